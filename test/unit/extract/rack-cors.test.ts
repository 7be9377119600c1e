/** The rack-cors extractor and the Ruby evaluator on the shapes Rails and rackup files use. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

  test("before rack-cors 1.0 (Gemfile.lock), credentials default to on and origins '*' echoes with them", async () => {
    // A real project folder: the lock file is looked for up to the project's root (its Gemfile).
    const legacy = async (body: string, version = '0.4.0') => {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rack-cors-legacy-'));
      const file = path.join(root, 'config', 'initializers', 'cors.rb');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(path.join(root, 'Gemfile'), "gem 'rack-cors'\n");
      fs.writeFileSync(
        path.join(root, 'Gemfile.lock'),
        `GEM\n  remote: https://rubygems.org/\n  specs:\n    rack (2.0.9)\n    rack-cors (${version})\n`,
      );
      const text = wrap(body);
      const tree = await parseText('ruby', text);
      try {
        const read = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined);
        return (await extractRackCors(file, text, tree, { read }))[0];
      } finally {
        tree.delete();
        fs.rmSync(root, { recursive: true, force: true });
      }
    };
    const simple = {
      method: 'GET',
      path: '/',
      headers: [['Origin', 'https://x.test']] as [string, string][],
    };
    const preflight = {
      method: 'OPTIONS',
      path: '/',
      headers: [
        ['Origin', 'https://x.test'],
        ['Access-Control-Request-Method', 'GET'],
      ] as [string, string][],
    };
    // Read off `Resource#to_headers` at v0.4.0: the origin echoed, credentials on, max_age 1728000.
    const byDefault = await legacy(`    origins '*'\n    resource '*', headers: :any`);
    assert.equal(byDefault.credentials, true);
    assert.equal(byDefault.origins.allowAll, false);
    assert.match(byDefault.origins.reflectAny?.label ?? '', /credentials default to on/);
    assert.equal(byDefault.startupError, undefined);
    const echoed = [
      ['Access-Control-Allow-Origin', 'https://x.test'],
      ['Access-Control-Allow-Methods', 'GET'],
      ['Access-Control-Expose-Headers', ''],
      ['Access-Control-Max-Age', '1728000'],
      ['Access-Control-Allow-Credentials', 'true'],
    ];
    assert.deepEqual(rackCors.respond(byDefault, preflight), { status: 200, headers: echoed });
    assert.deepEqual(rackCors.respond(byDefault, simple), {
      status: 200,
      headers: [...echoed, ['Vary', 'Origin']],
    });
    // `credentials: true` written out does not raise before 1.0; `false` turns it off: `*`.
    const written = await legacy(`    origins '*'\n    resource '*', credentials: true`);
    assert.equal(written.startupError, undefined);
    assert.equal(rackCors.respond(written, simple).headers[0][1], 'https://x.test');
    const off = await legacy(`    origins '*'\n    resource '*', credentials: false`);
    assert.equal(off.origins.allowAll, true);
    assert.deepEqual(rackCors.respond(off, simple).headers.slice(0, 1), [
      ['Access-Control-Allow-Origin', '*'],
    ]);
    assert.equal(
      rackCors.respond(off, simple).headers.some(([n]) => n === 'Access-Control-Allow-Credentials'),
      false,
    );
    // 1.x keeps its own defaults.
    const current = await legacy(`    origins '*'\n    resource '*'`, '1.1.1');
    assert.equal(current.credentials, false);
    assert.equal(current.origins.allowAll, true);
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
