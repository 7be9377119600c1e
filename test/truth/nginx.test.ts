/**
 * Truth: the nginx model against real nginx 1.22 (Debian nginx-light). Every fixture
 * `test/fixtures/truth/nginx/<case>/nginx.conf` is served by real nginx on 127.0.0.1 and analysed
 * by the real extractor; the browser's request matrix (through preview(), which picks the
 * location's policy by path) and raw requests, including 4xx/5xx answers, must get the same
 * status and the same CORS lines, in order.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { analyzeTree } from '../../server/src/analysis/analyze';
import { DiskReader } from '../../server/src/base/disk-reader';
import { defaultSettings } from '../../server/src/analysis/settings';
import { evaluate, type CorsRequest, type HttpRequest } from '../../server/src/fetch';
import { grammarFor } from '../../server/src/parsing/languages';
import { parseText } from '../../server/src/parsing/parser';
import type { Policy } from '../../server/src/policy/types';
import {
  agreementTable,
  compareMatrix,
  difference,
  missingPython,
  send,
  startServer,
  type Outcome,
  type Server,
} from './support/python-truth';
import { nginxInFront } from '../../server/src/frameworks/nginx/model';
import { answeredBy } from '../../server/src/frameworks/nginx/proxied-apps';
import { missingNginx, startNginx, type RealNginx } from './nginx/serve';
import { frameworkOf, modelFor } from '../../server/src/frameworks';
import { policyForPath } from '../../server/src/policy/paths';
import { preview } from '../../server/src/replay/replay';

const FIXTURES = path.join(__dirname, '../fixtures/truth/nginx');
const ORIGINS = [
  'https://app.example.com',
  'https://admin.example.com',
  'https://attacker.test',
  'http://localhost:5173',
  'https://partner.test',
  'null',
];

/** A preflight for `PUT` with `X-Session-Token` from `origin`. */
const preflight = (origin: string, path: string): HttpRequest => ({
  method: 'OPTIONS',
  path,
  headers: [
    ['Origin', origin],
    ['Access-Control-Request-Method', 'PUT'],
    ['Access-Control-Request-Headers', 'x-session-token'],
  ],
});

/**
 * Requests the shared matrix lacks: other statuses and methods nginx treats apart, and static
 * files asked for in other ways (a file by its name, a directory's index).
 */
function nginxRequests(origin: string): HttpRequest[] {
  return [
    preflight(origin, '/'),
    preflight(origin, '/index.html'),
    preflight(origin, '/public/'),
    { method: 'GET', path: '/public/', headers: [['Origin', origin]] },
    { method: 'GET', path: '/nowhere/at/all', headers: [['Origin', origin]] },
    { method: 'POST', path: '/public/health', headers: [['Origin', origin]] },
    { method: 'HEAD', path: '/api/items', headers: [['Origin', origin]] },
    { method: 'DELETE', path: '/public/health', headers: [['Origin', origin]] },
  ];
}

async function policiesOf(conf: string): Promise<Policy[]> {
  const text = readFileSync(conf, 'utf8');
  const tree = await parseText(grammarFor(conf) ?? 'nginx', text);
  try {
    return (await analyzeTree(conf, text, tree, new DiskReader(), defaultSettings)).policies;
  } finally {
    tree.delete();
  }
}

describe('nginx model vs real nginx 1.22', () => {
  const cases = readdirSync(FIXTURES).sort();
  const servers = new Map<string, RealNginx>();
  const outcomes = new Map<string, Outcome>();
  const started = Date.now();

  before(async () => {
    const missing = missingNginx();
    if (missing) throw new Error(missing);
    for (const name of cases)
      servers.set(name, await startNginx(path.join(FIXTURES, name, 'nginx.conf')));
  });

  after(async () => {
    await Promise.all([...servers.values()].map((s) => s.stop()));
    if (outcomes.size)
      console.log(
        `\nnginx truth: model vs real nginx\n${agreementTable(outcomes, (Date.now() - started) / 1000)}`,
      );
  });

  test(`at least 12 configurations`, () =>
    assert.ok(cases.length >= 12, `only ${cases.length} fixtures`));

  for (const name of cases) {
    test(name, async () => {
      const server = servers.get(name)!;
      const policies = await policiesOf(server.conf);
      assert.ok(policies.length > 0, 'the extractor finds the configuration');
      const outcome = await compareMatrix(server.port, policies, ORIGINS);
      for (const origin of ORIGINS) {
        for (const req of nginxRequests(origin)) {
          const policy = policyForPath(policies, req.path)!;
          const diff = difference(
            'nginx',
            req,
            modelFor(policy).respond(policy, req),
            await send(server.port, req),
          );
          outcome.exchanges++;
          if (diff) outcome.failures.push(diff);
          else outcome.agreed++;
        }
      }
      outcomes.set(name, outcome);
      assert.deepEqual(
        outcome.failures.slice(0, 5),
        [],
        `${outcome.failures.length} of ${outcome.exchanges} exchanges differ`,
      );
    });
  }
});

/**
 * nginx in front of a real Django + django-cors-headers app (test/truth/django/serve.py) that
 * answers CORS too: the nginx model with the Django model as its upstream must predict the lines
 * real nginx passes on, the doubled Access-Control-Allow-Origin included, and the Fetch
 * evaluator must reach the same verdict on the real response as on the predicted one.
 */
describe('nginx in front of real Django (duplicate Access-Control-Allow-Origin)', () => {
  const dir = path.join(__dirname, '../fixtures/truth/nginx-proxied/django');
  let django: Server | undefined;
  let nginx: RealNginx | undefined;
  const started = Date.now();
  const outcomes = new Map<string, Outcome>();

  before(async () => {
    const missing = missingNginx() ?? missingPython(['django', 'corsheaders']);
    if (missing) throw new Error(missing);
    django = await startServer(
      path.join(__dirname, 'django/serve.py'),
      path.join(dir, 'settings.py'),
    );
    nginx = await startNginx(path.join(dir, 'nginx.conf'), django.port);
  });

  after(async () => {
    await nginx?.stop();
    django?.child.kill();
    if (outcomes.size)
      console.log(
        `\nnginx + Django truth: model vs real nginx proxying to real Django\n${agreementTable(outcomes, (Date.now() - started) / 1000)}`,
      );
  });

  /** The nginx policies of the served config, and the model that puts the Django model behind them. */
  async function predicted() {
    const settings = path.join(dir, 'settings.py');
    const app = {
      file: settings,
      framework: 'django' as const,
      policies: await policiesOf(settings),
      ports: [django!.port],
    };
    assert.equal(app.policies.length, 1, 'the Django policy is extracted');
    return {
      policies: await policiesOf(nginx!.conf),
      model: nginxInFront(answeredBy(app, { framework: frameworkOf })),
    };
  }

  test('every exchange equals the prediction', async () => {
    const { policies, model } = await predicted();
    const outcome = await compareMatrix(nginx!.port, policies, ORIGINS, () => model);
    outcomes.set('nginx-proxied/django', outcome);
    assert.deepEqual(
      outcome.failures.slice(0, 5),
      [],
      `${outcome.failures.length} of ${outcome.exchanges} exchanges differ`,
    );
  });

  test('the browser sees two Access-Control-Allow-Origin lines and refuses them, as predicted', async () => {
    const { policies, model } = await predicted();
    const request: CorsRequest = {
      url: 'http://api.test/api/items',
      origin: 'https://app.example.com',
      method: 'GET',
      headers: [],
      credentials: 'include',
    };
    const policy = policyForPath(policies, '/api/items')!;
    const prediction = preview(policy, model, request);
    const real = await send(nginx!.port, {
      method: 'GET',
      path: '/api/items',
      headers: [['Origin', request.origin]],
    });
    const lines = real.headers
      .filter(([name]) => name.toLowerCase() === 'access-control-allow-origin')
      .map(([, v]) => v);
    assert.deepEqual(
      lines,
      ['https://app.example.com', 'https://app.example.com'],
      "Django's line, then nginx's",
    );
    const verdict = evaluate(request, { actual: real });
    assert.equal(verdict.allowed, false);
    assert.match(
      verdict.reasons[0],
      /contains multiple values 'https:\/\/app\.example\.com, https:\/\/app\.example\.com'/,
    );
    assert.deepEqual(prediction.verdict, verdict);
  });
});
