/**
 * Truth suite for the Flask-CORS 3.0.10 and hand-set Python header models: every fixture app
 * under test/fixtures/truth/{flask-cors,python-handset}/<case>/app.py is extracted into policies
 * (the real extractors), answered through preview() and the model, and served by the real Flask
 * 2.2 / Flask-CORS 3.0.10 (Debian packages, /usr/bin/python3) on 127.0.0.1. Every exchange
 * compares the status and every `access-control-*` and `vary` line (names case-insensitively,
 * values exactly, in order), plus any other line the model predicts.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { DiskReader } from '../../server/src/base/disk-reader';
import { extractPolicies } from '../../server/src/frameworks';
import { parseText } from '../../server/src/parsing/parser';
import type { Policy } from '../../server/src/policy/types';
import {
  assertAgreement,
  compareMatrix,
  missingPython,
  serveCases,
  startServer,
} from './support/python-truth';

const ROOT = path.resolve(__dirname, '../..');
const SERVE = path.join(__dirname, 'flask/serve.py');
const SUITES = { 'flask-cors': 13, 'python-handset': 6 } as const;
const cases = Object.keys(SUITES).flatMap((suite) =>
  readdirSync(path.join(ROOT, 'test/fixtures/truth', suite))
    .sort()
    .map((name) => ({
      suite,
      name,
      file: path.join(ROOT, 'test/fixtures/truth', suite, name, 'app.py'),
    })),
);

const COMMON_ORIGINS = ['https://app.example.com', 'https://evil.example', 'null'];
/** Origins that probe what one case is about. */
const EXTRA_ORIGINS: Record<string, string[]> = {
  'config-object-dotted': ['http://localhost:5173', 'http://localhost:5173.evil.net'],
  'config-after-cors': ['https://only.example.com'],
  'config-base-other-module': ['http://localhost:5173', 'http://localhost:5173.evil.net'],
  'config-values-into-cors': ['https://admin.example.com'],
  'config-branch-default': ['http://localhost:3000'],
  'origins-list': [
    'http://localhost:3000',
    'HTTPS://APP.example.com',
    'https://app.example.com.evil.net',
  ],
  'regex-origins': [
    'https://a.example.com',
    'https://a.example.com.evil.net',
    'https://x.EXAMPLE.com',
    'http://localhost:5173',
    'HTTP://LOCALHOST:1',
    'https://partner.test',
  ],
  'localhost-port-wildcard-string': [
    'http://localhost:5173',
    'http://localhost.attacker.test',
    'http://localhostattacker.test',
    'http://localhost',
  ],
  'app-factory': ['https://admin.example.com'],
  'config-object-instance': ['https://admin.example.com'],
  decorator: ['https://admin.example.com'],
  'constants-env': ['https://b.example.com'],
  'always-send-off': ['https://a.example.com'],
  'allowlist-hook': ['https://admin.example.com'],
  'chosen-local': ['https://admin.example.com'],
  'star-entry': ['https://admin.example.com', 'https://shop.example.com', '*'],
  'pattern-guards': [
    'https://a.example.com',
    'HTTPS://A.EXAMPLE.COM',
    'https://a.example.com.evil.net',
    'https://partner.example.org',
    'https://partner.example.org.evil.net',
    'https://x.example.net',
    'https://evilexample.net',
  ],
};

async function policiesOf(file: string): Promise<Policy[]> {
  const text = readFileSync(file, 'utf8');
  const tree = await parseText('python', text);
  try {
    return await extractPolicies('python', file, text, tree, new DiskReader());
  } finally {
    tree.delete();
  }
}

describe('Flask-CORS 3.0.10 and hand-set headers: models vs the real Flask', () => {
  const missing = missingPython(['flask', 'flask_cors']);
  const { servers, outcomes } = serveCases(
    cases.map((c) => c.file),
    (file) => startServer(SERVE, file),
    { missing },
  );

  test('the real Flask and Flask-CORS are installed', () => {
    assert.equal(
      missing,
      undefined,
      `${missing}\nInstall them with: apt-get install python3-flask python3-flask-cors (see test/install-system.sh)`,
    );
  });

  for (const [suite, least] of Object.entries(SUITES)) {
    test(`${suite}: at least ${least} fixtures`, () =>
      assert.ok(cases.filter((c) => c.suite === suite).length >= least));
  }

  for (const { suite, name, file } of cases) {
    test(
      `${suite}/${name}`,
      { skip: missing ? 'Flask is missing (see the failing install test)' : false },
      async () => {
        const server = servers.get(file);
        assert.ok(server, `no server for ${file}`);
        const policies = await policiesOf(file);
        assert.ok(policies.length > 0, `no policy extracted from ${file}`);
        assert.ok(
          policies.every((p) => p.framework === suite),
          `${file}: expected ${suite} policies, got ${policies.map((p) => p.framework).join(', ')}`,
        );
        const outcome = await compareMatrix(server.port, policies, [
          ...COMMON_ORIGINS,
          ...(EXTRA_ORIGINS[name] ?? []),
        ]);
        outcomes.set(`${suite}/${name}`, outcome);
        assertAgreement(outcome);
      },
    );
  }
});
