/**
 * Truth suite for the rack-cors model: every fixture test/fixtures/truth/rack-cors/<case>/config.ru
 * is extracted into policies (the real extractor), answered by the model through preview() and
 * served by the real rack-cors 1.1.1 on Rack 2.2 under Puma 5.6 (Debian's ruby-rack-cors, puma)
 * on 127.0.0.1. A case the model says cannot boot must make the real server fail at start-up.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { extractRackCors } from '../../server/src/frameworks/rack-cors/extract';
import type { CorsRequest, HeaderList, HttpRequest } from '../../server/src/fetch';
import { parseText } from '../../server/src/parsing/parser';
import type { Policy } from '../../server/src/policy/types';
import {
  assertAgreement,
  compareMatrix,
  serveCases,
  startServer,
  type Outcome,
} from './support/python-truth';

const RUBY = '/usr/bin/ruby';
const ROOT = path.resolve(__dirname, '../..');
const FIXTURES = path.join(ROOT, 'test/fixtures/truth/rack-cors');
const SERVE = path.join(__dirname, 'rack-cors/serve.rb');
const cases = readdirSync(FIXTURES).sort();
const configOf = (name: string) => path.join(FIXTURES, name, 'config.ru');

/** Why the real library cannot run here, or undefined when it can. */
function missingRackCors(): string | undefined {
  const probe = spawnSync(
    RUBY,
    [
      '-e',
      "require 'rack/cors'; require 'rack/cors/version'; require 'puma'; puts Rack::Cors::VERSION",
    ],
    { encoding: 'utf8' },
  );
  if (probe.error) return `${RUBY} cannot run (${probe.error.message})`;
  if (probe.status !== 0)
    return `ruby cannot load rack-cors and puma: ${probe.stderr.trim().split('\n').pop()}`;
  return probe.stdout.trim() === '1.1.1'
    ? undefined
    : `rack-cors ${probe.stdout.trim()} is installed, the model is of 1.1.1`;
}

const BASE = 'http://127.0.0.1:8000';
const json: HeaderList = [['Content-Type', 'application/json']];

/** The browser's requests sent for every case, from `origin`. */
function browserRequests(origin: string): CorsRequest[] {
  const r = (
    method: string,
    p: string,
    headers: HeaderList,
    credentials: CorsRequest['credentials'] = 'omit',
  ): CorsRequest => ({ url: BASE + p, origin, method, headers, credentials });
  return [
    r('GET', '/api/items', []),
    r('GET', '/api/items?page=2', [], 'include'),
    r('POST', '/api/items', json),
    r('POST', '/api/items/', [['Content-Type', 'text/plain']], 'include'),
    r('PUT', '/api/items/42', [...json, ['X-Session-Token', 'abc']], 'include'),
    r('DELETE', '/api/items/42', [['Authorization', 'Bearer t']]),
    r('patch', '/api/items/42', json),
    r('GET', '/public/health', []),
    r('POST', '/public/health', json),
    r('GET', '/nowhere', [['X-Unlisted', '1']]),
  ];
}

/** Requests a browser would not send this way, to pin down rack-cors' edges. */
function rawRequests(origin: string): HttpRequest[] {
  const preflight = (p: string, more: HeaderList = []): HttpRequest => ({
    method: 'OPTIONS',
    path: p,
    headers: [['Origin', origin], ['Access-Control-Request-Method', 'GET'], ...more],
  });
  return [
    { method: 'GET', path: '/api/items', headers: [] },
    { method: 'GET', path: '/api/items', headers: [['X-Origin', origin]] },
    { method: 'GET', path: '/api/items', headers: [['Origin', '']] },
    { method: 'OPTIONS', path: '/api/items', headers: [['Origin', origin]] },
    { method: 'OPTIONS', path: '/api/items', headers: [['Access-Control-Request-Method', 'PUT']] },
    preflight('/api/items', [['Access-Control-Request-Headers', 'content-type,x-session-token']]),
    preflight('/api/items', [['Access-Control-Request-Headers', '']]),
    preflight('/api/%00'),
    preflight('/public/../api/items/7'),
    preflight('//api//items/'),
    { method: 'GET', path: '/api', headers: [['Origin', origin]] },
  ];
}

const COMMON_ORIGINS = ['https://app.example.com', 'https://evil.example', 'null'];
/** Origins that probe what one case is about. */
const EXTRA_ORIGINS: Record<string, string[]> = {
  'exact-allowlist': [
    'http://localhost:3000',
    'https://app.example.com:443',
    'https://APP.example.com',
  ],
  'regex-origins': [
    'https://foo.example.com',
    'https://a.b.example.com',
    'https://example.org.attacker.test',
    'HTTP://LOCALHOST:8080',
    'http://localhost:x',
  ],
  'scheme-less-origins': [
    'http://localhost:3000',
    'chrome-extension://localhost:3000',
    'https://app.example.com',
    'file://',
  ],
  'several-blocks': ['https://partner.example.com'],
  'origin-lambda-tests': ['https://app.example.com.attacker.test', 'https://app.example.co'],
  'subdomain-wildcard-string': ['https://preview.example.com', 'https://*.example.com'],
  'origin-block-echo': ['https://attacker.test', 'null'],
  'origin-block-tests': [
    'https://attackerexample.com',
    'http://localhost:3000',
    'https://partner.example.net',
    'https://shop.example.org',
    'https://shop.example.org.attacker.test',
  ],
  'env-and-constants': ['https://partner.example.com', 'http://localhost:3000'],
  'regexp-new-strings': [
    'http://localhost:3000',
    'https://localhost.attacker.test',
    'https://app.example.com.attacker.test',
    'https://attackerlocalhost.test',
  ],
};

async function policiesOf(file: string): Promise<Policy[]> {
  const text = readFileSync(file, 'utf8');
  const tree = await parseText('ruby', text);
  try {
    return await extractRackCors(file, text, tree, { read: () => undefined });
  } finally {
    tree.delete();
  }
}

function runCase(name: string, policies: Policy[], port: number): Promise<Outcome> {
  const origins = [...COMMON_ORIGINS, ...(EXTRA_ORIGINS[name] ?? [])];
  return compareMatrix(port, policies, origins, undefined, {
    browser: browserRequests,
    raw: rawRequests,
  });
}

describe('rack-cors 1.1.1 model vs the real library (Puma)', () => {
  const bootErrors = new Map<string, string>();
  const policies = new Map<string, Policy[]>();
  const missing = missingRackCors();
  before(async () => {
    for (const name of cases) policies.set(name, await policiesOf(configOf(name)));
  });
  // rack-cors refuses some configurations at boot: those servers' errors are recorded, not thrown.
  const { servers, outcomes } = serveCases(cases, (c) => startServer(SERVE, configOf(c), RUBY), {
    missing,
    bootErrors,
  });

  test('ruby, rack-cors 1.1.1 and puma are installed', () => {
    assert.equal(
      missing,
      undefined,
      `${missing}\nInstall them with: apt-get install ruby ruby-rack-cors puma (see test/install-system.sh)`,
    );
  });

  assert.ok(cases.length >= 10, `expected at least 10 truth fixtures in ${FIXTURES}`);
  for (const name of cases) {
    test(
      name,
      { skip: missing ? 'rack-cors is missing (see the failing install test)' : false },
      async () => {
        const found = policies.get(name) ?? [];
        assert.ok(found.length > 0, `the extractor found no rack-cors policy in ${name}`);
        const refused = found.find((p) => p.startupError)?.startupError;
        if (refused) {
          assert.match(
            bootErrors.get(name) ?? 'it started',
            /CorsMisconfigurationError|Allowing credentials for wildcard origins/,
            'the model says rack-cors refuses this at boot; the real server must not start',
          );
          outcomes.set(name, { exchanges: 1, agreed: 1, failures: [] });
          return;
        }
        const server = servers.get(name);
        assert.ok(server, `no server for ${name}: ${bootErrors.get(name)}`);
        const outcome = await runCase(name, found, server.port);
        outcomes.set(name, outcome);
        assertAgreement(outcome);
      },
    );
  }
});
