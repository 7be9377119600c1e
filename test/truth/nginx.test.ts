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
import { analyzeTree } from '../../server/src/core/analyze';
import { DiskReader } from '../../server/src/core/disk-reader';
import { defaultSettings } from '../../server/src/core/settings';
import type { HttpRequest } from '../../server/src/fetch';
import { parseText } from '../../server/src/parsing/parser';
import type { Policy } from '../../server/src/policy/types';
import { agreementTable, compareMatrix, difference, send, type Outcome } from './support/python-truth';
import { missingNginx, startNginx, type RealNginx } from './nginx/serve';
import { modelFor, policyForPath } from '../../server/src/core/preview';

const FIXTURES = path.join(__dirname, '../fixtures/truth/nginx');
const ORIGINS = ['https://app.example.com', 'https://admin.example.com', 'https://attacker.test', 'http://localhost:5173', 'https://partner.test', 'null'];

/** Requests the shared matrix lacks: other statuses and methods nginx treats apart. */
function nginxRequests(origin: string): HttpRequest[] {
  return [
    { method: 'GET', path: '/nowhere/at/all', headers: [['Origin', origin]] },
    { method: 'POST', path: '/public/health', headers: [['Origin', origin]] },
    { method: 'HEAD', path: '/api/items', headers: [['Origin', origin]] },
    { method: 'DELETE', path: '/public/health', headers: [['Origin', origin]] },
    { method: 'OPTIONS', path: '/', headers: [['Origin', origin], ['Access-Control-Request-Method', 'PUT'], ['Access-Control-Request-Headers', 'x-session-token']] },
  ];
}

async function policiesOf(conf: string): Promise<Policy[]> {
  const text = readFileSync(conf, 'utf8');
  const tree = await parseText('nginx', text);
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
    for (const name of cases) servers.set(name, await startNginx(path.join(FIXTURES, name, 'nginx.conf')));
  });

  after(async () => {
    await Promise.all([...servers.values()].map((s) => s.stop()));
    if (outcomes.size) console.log(`\nnginx truth: model vs real nginx\n${agreementTable(outcomes, (Date.now() - started) / 1000)}`);
  });

  test(`at least 12 configurations`, () => assert.ok(cases.length >= 12, `only ${cases.length} fixtures`));

  for (const name of cases) {
    test(name, async () => {
      const server = servers.get(name)!;
      const policies = await policiesOf(server.conf);
      assert.ok(policies.length > 0, 'the extractor finds the configuration');
      const outcome = await compareMatrix(server.port, policies, ORIGINS);
      for (const origin of ORIGINS) {
        for (const req of nginxRequests(origin)) {
          const policy = policyForPath(policies, req.path)!;
          const diff = difference('nginx', req, modelFor(policy).respond(policy, req), await send(server.port, req));
          outcome.exchanges++;
          if (diff) outcome.failures.push(diff);
          else outcome.agreed++;
        }
      }
      outcomes.set(name, outcome);
      assert.deepEqual(outcome.failures.slice(0, 5), [], `${outcome.failures.length} of ${outcome.exchanges} exchanges differ`);
    });
  }
});
