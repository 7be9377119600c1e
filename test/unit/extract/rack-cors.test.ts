/** The rack-cors extractor and the Ruby evaluator on the shapes Rails and rackup files use. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { extractRackCors } from '../../../server/src/frameworks/rack-cors/extract';
import { rackCors } from '../../../server/src/frameworks/rack-cors/model';
import { parseText } from '../../../server/src/parsing/parser';
import { type Policy, factsOf } from '../../../server/src/policy/types';

async function extract(text: string, file = '/app/config/initializers/cors.rb'): Promise<Policy[]> {
  const tree = await parseText('ruby', text);
  try {
    return await extractRackCors(file, text, tree, { read: () => undefined });
  } finally {
    tree.delete();
  }
}

const wrap = (body: string) =>
  `Rails.application.config.middleware.insert_before 0, Rack::Cors do\n  allow do\n${body}\n  end\nend\n`;
const exact = (p: Policy) => p.origins.exact.map((o) => o.value);

describe('rack-cors extractor', () => {
  test('ENV defaults, constants, splats and .freeze resolve, marked env-driven', async () => {
    const [policy] = await extract(
      `BASE = %w[https://a.example.com].freeze\nEXTRA = ENV['X']&.split(',') || ['https://b.example.com']\n` +
        wrap(
          `    origins(*BASE, *EXTRA, ENV.fetch('CORS', 'https://c.example.com, https://d.example.com').split(',').map(&:strip))\n    resource '*'`,
        ),
    );
    assert.deepEqual(exact(policy), [
      'https://a.example.com',
      'https://b.example.com',
      'https://c.example.com',
      'https://d.example.com',
    ]);
    assert.equal(policy.origins.envDriven, true);
    assert.equal(policy.origins.dynamic, false);
  });

  test('regexes keep their Ruby source; scheme-less hosts become any-scheme patterns; procs are dynamic', async () => {
    const [policy] = await extract(
      wrap(
        `    origins %r{\\Ahttps://x\\.com\\z}i, 'localhost:3000', ''\n    origins('https://late.example') { |source, env| Partner.allowed?(source) }\n    resource '/api/*'`,
      ),
    );
    assert.deepEqual(exact(policy), ['https://late.example']);
    assert.equal(policy.origins.dynamic, true);
    // A block that answers true (or the Origin itself) whatever the Origin lets every origin in.
    const [echo] = await extract(wrap(`    origins { |source, env| true }\n    resource '/api/*'`));
    assert.equal(echo.origins.dynamic, false);
    assert.equal(echo.origins.reflectAny?.label, 'An origins block that accepts every origin');
    const [first] = await extract(
      wrap(`    origins %r{\\Ahttps://x\\.com\\z}i, 'localhost:3000', ''\n    resource '/api/*'`),
    );
    assert.deepEqual(
      first.origins.regexes.map((r) => r.pattern),
      ['\\Ahttps://x\\.com\\z', '^[a-z][a-z0-9.+-]*:\\/\\/localhost:3000$'],
    );
  });

  test('one policy per resource in order; several blocks; only the first of a block carries origin spans', async () => {
    const policies = await extract(
      wrap(
        `    origins 'https://a.example.com'\n    resource '/api/items/:id', methods: :any\n    resource '/api/*', headers: %w[X-Token], credentials: true`,
      ) +
        `Rails.application.config.middleware.insert_before 0, Rack::Cors do\n  allow do\n    origins '*'\n    resource '/public/*'\n  end\nend\n`,
    );
    assert.deepEqual(
      policies.map((p) => p.urlRegex),
      ['^/api/items/([^/?&#]+)$', '^/api\\/?(.*?)$', '^/public\\/?(.*?)$'],
    );
    assert.ok(policies[0].origins.exact[0].span && !policies[1].origins.exact[0].span);
    assert.deepEqual(policies[1].headers.names, ['x-token']);
    assert.equal(policies[2].origins.allowAll, true);
  });

  test("credentials: true with origins '*' is a start-up error on the credentials option", async () => {
    const [policy] = await extract(wrap(`    origins '*'\n    resource '*', credentials: true`));
    assert.match(policy.startupError?.label ?? '', /CorsMisconfigurationError/);
    assert.deepEqual(
      rackCors.respond(policy, {
        method: 'GET',
        path: '/',
        headers: [['Origin', 'https://x.test']],
      }),
      { status: 500, headers: [] },
    );
  });

  test('position: insert_before 0, use, config.ru use after other middleware', async () => {
    assert.equal(
      factsOf(
        (await extract(wrap(`    origins 'https://a.example.com'\n    resource '*'`)))[0],
        'rack-cors',
      )?.setup.position.anchor,
      '0',
    );
    const [ru] = await extract(
      `use Rack::Static, urls: ['/x']\nuse Rack::Cors do\n  allow do\n    origins 'https://a.example.com'\n    resource '*'\n  end\nend\nrun App\n`,
      '/app/config.ru',
    );
    assert.deepEqual(
      factsOf(ru, 'rack-cors')?.setup.position.before.map((b) => b.name),
      ['Rack::Static'],
    );
    assert.equal(factsOf(ru, 'rack-cors')?.setup.position.stack, 'rackup');
  });

  test('code broken mid-typing gives no values from the broken part and no crash', async () => {
    const text = wrap(
      `    origins 'https://a.example.com', 'https://b.exa\n    resource '/api/*', headers: :any, methods: [:get, :po`,
    );
    for (let cut = 0; cut <= text.length; cut += 7) {
      const policies = await extract(text.slice(0, cut));
      for (const p of policies)
        for (const o of p.origins.exact)
          assert.ok(['https://a.example.com'].includes(o.value), `guessed ${o.value}`);
    }
  });

  test('a large initializer extracts quickly', async () => {
    const resources = Array.from(
      { length: 2000 },
      (_, i) => `    resource '/r${i}/*', headers: :any, methods: [:get, :post]`,
    ).join('\n');
    const policies = await extract(wrap(`    origins 'https://a.example.com'\n${resources}`));
    assert.equal(policies.length, 2000);
  });
});
