/**
 * Truth suite for the hand-set PHP header model: every fixture script under
 * test/fixtures/truth/php/<case>/index.php is extracted into a policy (the real extractor),
 * answered through preview() and the model, and served by Debian's PHP 8.2 built-in server
 * (`php -S 127.0.0.1:0 index.php`, the script as router, so it runs for every path) on 127.0.0.1.
 * Every exchange compares the status and every `access-control-*` and `vary` line (names
 * case-insensitively, values exactly, in order); the lines PHP adds itself (Host, Date,
 * Connection, X-Powered-By, Content-type) are not CORS and are not compared.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { DiskReader } from '../../server/src/base/disk-reader';
import { extractPolicies, modelFor } from '../../server/src/frameworks';
import type { HttpRequest } from '../../server/src/fetch/types';
import { parseText } from '../../server/src/parsing/parser';
import type { Policy } from '../../server/src/policy/types';
import { compareMatrix } from './support/python-truth';
import { assertAgreement, serveCases, startServer } from './support/real-server';

const ROOT = path.resolve(__dirname, '../..');
const SERVE = path.join(__dirname, 'php/serve.mjs');
const PHP = '/usr/bin/php';
const FIXTURES = path.join(ROOT, 'test/fixtures/truth/php');
const cases = readdirSync(FIXTURES)
  .sort()
  .map((name) => ({ name, file: path.join(FIXTURES, name, 'index.php') }));

const COMMON_ORIGINS = ['https://app.example.com', 'https://evil.example', 'null'];

/** Query strings that pick a branch of the query-branch case (`$_GET` tests). */
const QUERIES = [
  '?action=list',
  '?action=lis',
  '?action=list&action=other',
  '?action=',
  '?page=2',
  '?page=02',
  '?n=1.0',
  '?n=01',
  '?n=1x',
  '?action=list&page=2',
];

/** Requests with those queries, per origin: a plain GET and a preflight. */
const queryRequests = (origin: string): HttpRequest[] =>
  QUERIES.flatMap((query) => [
    { method: 'GET', path: `/api/items${query}`, headers: [['Origin', origin]] },
    {
      method: 'OPTIONS',
      path: `/api/items${query}`,
      headers: [
        ['Origin', origin],
        ['Access-Control-Request-Method', 'PUT'],
      ],
    },
  ]);
/** Origins that probe what one case is about. */
const EXTRA_ORIGINS: Record<string, string[]> = {
  allowlist: ['http://localhost:3000', 'HTTPS://APP.example.com'],
  'preg-match': [
    'https://a.example.com',
    'https://example.com.evil.net',
    'http://LOCALHOST:5173',
    'http://localhost:1x',
    'https://aexample.com',
  ],
  'exact-else': ['https://admin.example.com'],
  'string-tests': [
    'http://localhost:5173',
    'http://localhost.evil.net',
    'https://api.example.com',
    'https://example.com',
    'https://api.example.com.evil.net',
    'https://partner.io',
    'https://PARTNER.io',
  ],
  'chosen-origin-default': ['https://admin.example.com', 'HTTPS://ADMIN.EXAMPLE.COM'],
};

async function policiesOf(file: string): Promise<Policy[]> {
  const text = readFileSync(file, 'utf8');
  const tree = await parseText('php', text);
  try {
    return await extractPolicies('php', file, text, tree, new DiskReader());
  } finally {
    tree.delete();
  }
}

describe('hand-set PHP headers: model vs PHP 8.2 (php -S)', () => {
  const missing = existsSync(PHP) ? undefined : `${PHP} is missing`;
  const { servers, outcomes } = serveCases(
    cases.map((c) => c.file),
    (file) => startServer(process.execPath, [SERVE, file], `php -S for ${file}`),
    { missing },
  );

  test('PHP is installed', () =>
    assert.equal(
      missing,
      undefined,
      `${missing}\nInstall it with: apt-get install php-cli (see test/install-system.sh)`,
    ));
  test('at least 5 fixtures', () => assert.ok(cases.length >= 5));

  for (const { name, file } of cases) {
    test(`php/${name}`, { skip: missing ? 'PHP is missing' : false }, async () => {
      const server = servers.get(file);
      assert.ok(server, `no server for ${file}`);
      const policies = await policiesOf(file);
      assert.ok(policies.length > 0, `no policy extracted from ${file}`);
      assert.ok(policies.every((p) => p.framework === 'php-handset'));
      const [policy] = policies;
      const outcome = await compareMatrix(
        server.port,
        policies,
        [...COMMON_ORIGINS, ...(EXTRA_ORIGINS[name] ?? [])],
        modelFor,
        name === 'query-branch'
          ? {
              extra: {
                label: 'query',
                requests: queryRequests,
                respond: (req) => modelFor(policy).respond(policy, req),
              },
            }
          : {},
      );
      outcomes.set(`php/${name}`, outcome);
      assertAgreement(outcome);
    });
  }
});
