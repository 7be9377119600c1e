/**
 * Truth suite for the django-cors-headers model: every fixture settings file under
 * test/fixtures/truth/django/<case>/settings.py is extracted into a Policy (the real extractor),
 * answered by the model through preview(), and served by the real django-cors-headers 3.14.0 in
 * Django 3.2 (Debian packages, /usr/bin/python3) on 127.0.0.1. Every exchange compares the status
 * and every `access-control-*` and `vary` line (names case-insensitively, values exactly, in
 * order), plus any other line the model predicts (the preflight's Content-Type/Content-Length).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { preview } from '../../server/src/core/preview';
import { extractDjango } from '../../server/src/extract/django';
import { buildActualRequest, buildPreflightRequest, type CorsRequest, type HeaderList, type HttpRequest, type HttpResponse } from '../../server/src/fetch';
import { djangoCorsHeaders } from '../../server/src/models/django-cors-headers';
import { parseText } from '../../server/src/parsing/parser';
import type { Policy } from '../../server/src/policy/types';

const PYTHON = '/usr/bin/python3';
const ROOT = path.resolve(__dirname, '../..');
const FIXTURES = path.join(ROOT, 'test/fixtures/truth/django');
const SERVE = path.join(__dirname, 'django/serve.py');
const cases = readdirSync(FIXTURES).sort();

/** Why the real library cannot run here, or undefined when it can. */
function missingDjango(): string | undefined {
  const probe = spawnSync(PYTHON, ['-c', 'import django, corsheaders; print(django.get_version())'], { encoding: 'utf8' });
  if (probe.error) return `${PYTHON} cannot run (${probe.error.message})`;
  if (probe.status !== 0) return `${PYTHON} cannot import django and corsheaders: ${probe.stderr.trim().split('\n').pop()}`;
  return undefined;
}

/** Starts serve.py for one settings file and resolves with its port once it listens. */
function startServer(settings: string): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [SERVE, settings], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`Django did not start within 20 s for ${settings}\n${err}`));
    }, 20_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Django exited (${code}) for ${settings}\n${err}`));
    });
  });
}

/** Sends one request and returns the status and the raw header lines in order. */
function send(port: number, req: HttpRequest): Promise<HttpResponse> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of req.headers) {
    const prev = headers[name];
    headers[name] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
  }
  return new Promise((resolve, reject) => {
    const r = http.request({ host: '127.0.0.1', port, method: req.method, path: req.path, headers, agent: false }, (res) => {
      const lines: HeaderList = [];
      for (let i = 0; i < res.rawHeaders.length; i += 2) lines.push([res.rawHeaders[i], res.rawHeaders[i + 1]]);
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: lines }));
    });
    r.on('error', reject);
    r.end();
  });
}

/** The lines compared: CORS and Vary always, any other name only where the model predicts it. */
function comparable(headers: HeaderList, extra: Set<string>): string[] {
  return headers
    .filter(([n]) => {
      const name = n.toLowerCase();
      return name.startsWith('access-control-') || name === 'vary' || extra.has(name);
    })
    .map(([n, v]) => `${n.toLowerCase()}: ${v}`);
}

function describeRequest(req: HttpRequest): string {
  return `${req.method} ${req.path} ${req.headers.map(([n, v]) => `${n}: ${v}`).join(' | ')}`;
}

/** Empty string when the real response is the predicted one, else a readable difference. */
function difference(label: string, req: HttpRequest, predicted: HttpResponse, real: HttpResponse): string {
  const extra = new Set(
    predicted.headers.map(([n]) => n.toLowerCase()).filter((n) => !n.startsWith('access-control-') && n !== 'vary'),
  );
  const want = comparable(predicted.headers, extra);
  const got = comparable(real.headers, extra);
  if (predicted.status === real.status && JSON.stringify(want) === JSON.stringify(got)) return '';
  return [
    `${label}: ${describeRequest(req)}`,
    `  model: ${predicted.status} ${JSON.stringify(want)}`,
    `  real:  ${real.status} ${JSON.stringify(got)}`,
  ].join('\n');
}

const BASE = 'http://127.0.0.1:8000';
const json: HeaderList = [['Content-Type', 'application/json']];

/** Browser requests for every case; `origin` varies over the common and case-specific origins. */
function browserRequests(origin: string): CorsRequest[] {
  const r = (method: string, p: string, headers: HeaderList, credentials: CorsRequest['credentials'] = 'omit'): CorsRequest => ({
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
    { method: 'OPTIONS', path: '/api/items', headers: [['Origin', origin], ['Access-Control-Request-Method', '']] },
    { method: 'OPTIONS', path: '/api/items', headers: [['Access-Control-Request-Method', 'PUT']] },
    { method: 'GET', path: '/api/items', headers: [['Origin', 'https://[::1']] },
    { method: 'GET', path: '/api/items', headers: [['Origin', '']] },
    { method: 'OPTIONS', path: '/public/health', headers: [['Origin', origin], ['Access-Control-Request-Method', 'DELETE']] },
  ];
}

const COMMON_ORIGINS = ['https://app.example.com', 'https://evil.example', 'null'];
/** Origins that probe what one case's settings are about. */
const EXTRA_ORIGINS: Record<string, string[]> = {
  'exact-allowlist': ['http://localhost:3000', 'http://localhost:3001', 'https://app.example.com:443', 'HTTPS://app.example.com'],
  'deprecated-names': ['https://old.example.com', 'https://legacy-12.example.com', 'https://legacy-x.example.com'],
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
  'odd-origins': ['https://Upper.example.com', 'https://upper.example.com', 'https://slash.example.com', 'file://', 'app.example.com'],
  'null-origin': ['NULL'],
};

interface Outcome {
  exchanges: number;
  agreed: number;
  failures: string[];
}

async function runCase(name: string, port: number): Promise<Outcome> {
  const file = path.join(FIXTURES, name, 'settings.py');
  const text = readFileSync(file, 'utf8');
  const tree = await parseText('python', text);
  let policy: Policy | null;
  try {
    policy = await extractDjango(file, text, tree, {
      read: (f) => {
        try {
          return readFileSync(f, 'utf8');
        } catch {
          return undefined;
        }
      },
    });
  } finally {
    tree.delete();
  }
  assert.ok(policy, `the extractor found no django-cors-headers policy in ${file}`);

  const outcome: Outcome = { exchanges: 0, agreed: 0, failures: [] };
  const compare = async (label: string, req: HttpRequest, predicted: HttpResponse) => {
    const real = await send(port, req);
    const diff = difference(label, req, predicted, real);
    outcome.exchanges++;
    if (diff) outcome.failures.push(diff);
    else outcome.agreed++;
  };

  const origins = [...COMMON_ORIGINS, ...(EXTRA_ORIGINS[name] ?? [])];
  for (const origin of origins) {
    for (const req of browserRequests(origin)) {
      const p = preview(policy, djangoCorsHeaders, req);
      if (p.preflight.needed) await compare('preflight', buildPreflightRequest(req), p.preflight);
      // When the preflight fails the browser stops; the server's answer is still compared.
      const actualRequest = buildActualRequest(req);
      await compare(p.actual ? 'actual' : 'actual (not sent by a browser)', actualRequest, p.actual ?? djangoCorsHeaders.respond(policy, actualRequest));
    }
    for (const req of rawRequests(origin)) await compare('raw', req, djangoCorsHeaders.respond(policy, req));
  }
  return outcome;
}

describe('django-cors-headers 3.14.0 model vs the real library', () => {
  const servers = new Map<string, { child: ChildProcess; port: number }>();
  const outcomes = new Map<string, Outcome>();
  const missing = missingDjango();
  const started = Date.now();

  before(async () => {
    if (missing) return;
    const results = await Promise.allSettled(cases.map((c) => startServer(path.join(FIXTURES, c, 'settings.py'))));
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') servers.set(cases[i], r.value);
    });
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  });

  after(() => {
    for (const { child } of servers.values()) child.kill();
    if (outcomes.size === 0) return;
    const rows = [...outcomes].map(([name, o]) => `${name.padEnd(24)} ${String(o.exchanges).padStart(5)} ${String(o.agreed).padStart(7)}`);
    const total = [...outcomes.values()].reduce((a, o) => ({ e: a.e + o.exchanges, g: a.g + o.agreed }), { e: 0, g: 0 });
    console.log(
      [
        `${'case'.padEnd(24)} ${'sent'.padStart(5)} ${'agreed'.padStart(7)}`,
        ...rows,
        `${'total'.padEnd(24)} ${String(total.e).padStart(5)} ${String(total.g).padStart(7)}  (${outcomes.size} cases, ${((Date.now() - started) / 1000).toFixed(1)} s)`,
      ].join('\n'),
    );
  });

  test('the real Django and django-cors-headers are installed', () => {
    assert.equal(missing, undefined, `${missing}\nInstall them with: apt-get install python3-django python3-django-cors-headers (see test/install-system.sh)`);
  });

  assert.ok(cases.length >= 10, `expected at least 10 truth fixtures in ${FIXTURES}`);
  for (const name of cases) {
    test(name, { skip: missing ? 'Django is missing (see the failing install test)' : false }, async () => {
      const server = servers.get(name);
      assert.ok(server, `no Django server for ${name}`);
      const outcome = await runCase(name, server.port);
      outcomes.set(name, outcome);
      assert.equal(outcome.failures.length, 0, `${outcome.failures.length} of ${outcome.exchanges} exchanges disagree:\n${outcome.failures.slice(0, 8).join('\n')}`);
    });
  }
});
