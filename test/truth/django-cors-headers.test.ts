/**
 * Truth suite for the django-cors-headers model: every fixture settings file under
 * test/fixtures/truth/django/<case>/settings.py is extracted into a Policy (the real extractor),
 * answered by the model through preview(), and served by the real django-cors-headers 3.14.0 in
 * Django 3.2 (Debian packages, /usr/bin/python3) on 127.0.0.1. Every exchange compares the status
 * and every `access-control-*` and `vary` line (names case-insensitively, values exactly, in
 * order), plus any other line the model predicts (the preflight's Content-Type/Content-Length).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { extractDjango } from '../../server/src/frameworks/django/extract';
import type { CorsRequest, HeaderList, HttpRequest } from '../../server/src/fetch';
import { djangoCorsHeaders } from '../../server/src/frameworks/django/model';
import { parseText } from '../../server/src/parsing/parser';
import type { Policy } from '../../server/src/policy/types';
import { caseSuite, compareMatrix, missingPython, startServer } from './support/python-truth';
import { DiskReader } from '../../server/src/base/disk-reader';

const ROOT = path.resolve(__dirname, '../..');
const FIXTURES = path.join(ROOT, 'test/fixtures/truth/django');
const SERVE = path.join(__dirname, 'django/serve.py');
const cases = readdirSync(FIXTURES).sort();

const BASE = 'http://127.0.0.1:8000';
const json: HeaderList = [['Content-Type', 'application/json']];

/** Browser requests for every case; `origin` varies over the common and case-specific origins. */
function browserRequests(origin: string): CorsRequest[] {
  const r = (
    method: string,
    p: string,
    headers: HeaderList,
    credentials: CorsRequest['credentials'] = 'omit',
  ): CorsRequest => ({
    url: BASE + p,
    origin,
    method,
    headers,
    credentials,
  });
  return [
    r('GET', '/api/items', []),
    r('GET', '/api/items?page=2', [], 'include'),
    r('POST', '/api/items', json),
    r('POST', '/api/items', [['Content-Type', 'text/plain']], 'include'),
    r('PUT', '/api/items/42', [...json, ['X-Session-Token', 'abc']], 'include'),
    r('DELETE', '/api/items/42', [['Authorization', 'Bearer t']]),
    r('patch', '/api/items/42', json),
    r('PATCH', '/api/items/42', [['X-Email-Verification-Key', 'k']], 'include'),
    r('GET', '/', [['X-Unlisted', '1']]),
    r('GET', '/public/health', []),
    r('POST', '/public/health', json),
  ];
}

/** Raw requests a browser would not send this way, to pin down the library's edges. */
function rawRequests(origin: string): HttpRequest[] {
  return [
    { method: 'GET', path: '/api/items', headers: [] },
    { method: 'OPTIONS', path: '/api/items', headers: [['Origin', origin]] },
    {
      method: 'OPTIONS',
      path: '/api/items',
      headers: [
        ['Origin', origin],
        ['Access-Control-Request-Method', ''],
      ],
    },
    { method: 'OPTIONS', path: '/api/items', headers: [['Access-Control-Request-Method', 'PUT']] },
    { method: 'GET', path: '/api/items', headers: [['Origin', 'https://[::1']] },
    { method: 'GET', path: '/api/items', headers: [['Origin', '']] },
    {
      method: 'OPTIONS',
      path: '/public/health',
      headers: [
        ['Origin', origin],
        ['Access-Control-Request-Method', 'DELETE'],
      ],
    },
  ];
}

const COMMON_ORIGINS = ['https://app.example.com', 'https://evil.example', 'null'];
/** Origins that probe what one case's settings are about. */
const EXTRA_ORIGINS: Record<string, string[]> = {
  'subdomain-wildcard-string': ['https://preview.example.com', 'https://*.example.com'],
  'exact-allowlist': [
    'http://localhost:3000',
    'http://localhost:3001',
    'https://app.example.com:443',
    'HTTPS://app.example.com',
  ],
  'deprecated-names': [
    'https://old.example.com',
    'https://legacy-12.example.com',
    'https://legacy-x.example.com',
  ],
  'deprecated-and-new': ['https://new.example.com', 'https://old.example.com'],
  regexes: [
    'https://foo.example.com',
    'https://a.b.example.com',
    'https://foo.example.com.evil.net',
    'https://x.trusted.org.evil.net',
    'http://x.trusted.org',
    'https://api.partner.com',
    'https://apiXpartner.com',
    'http://localhost:5173',
  ],
  'custom-headers': ['https://app.example.com.evil.net'],
  'odd-origins': [
    'https://Upper.example.com',
    'https://upper.example.com',
    'https://slash.example.com',
    'file://',
    'app.example.com',
  ],
  'null-origin': ['NULL'],
};

/** The policy of a case: a case with receivers.py is that module's (settings plus its receiver). */
async function policyOf(name: string): Promise<Policy> {
  const receivers = path.join(FIXTURES, name, 'receivers.py');
  const file = existsSync(receivers) ? receivers : path.join(FIXTURES, name, 'settings.py');
  const text = readFileSync(file, 'utf8');
  const tree = await parseText('python', text);
  let policy: Policy | null;
  try {
    policy = await extractDjango(file, text, tree, new DiskReader());
  } finally {
    tree.delete();
  }
  assert.ok(policy, `the extractor found no django-cors-headers policy in ${file}`);
  return policy;
}

caseSuite({
  title: 'django-cors-headers 3.14.0 model vs the real library',
  cases,
  missing: missingPython(['django', 'corsheaders']),
  installed: 'the real Django and django-cors-headers are installed',
  install:
    'apt-get install python3-django python3-django-cors-headers (see test/install-system.sh)',
  atLeast: 10,
  start: (c) => startServer(SERVE, path.join(FIXTURES, c, 'settings.py')),
  run: async (name, port) => {
    const policy = await policyOf(name);
    const origins = [...COMMON_ORIGINS, ...(EXTRA_ORIGINS[name] ?? [])];
    return compareMatrix(port, [policy], origins, () => djangoCorsHeaders, {
      policyFor: () => policy,
      browser: browserRequests,
      raw: rawRequests,
    });
  },
});
