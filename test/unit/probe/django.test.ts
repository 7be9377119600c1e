/**
 * The probe against real Django + django-cors-headers (Debian packages) on 127.0.0.1: its verdict
 * on the real responses equals the preview's on the model's for the same settings, and its links
 * point at the setting that explains the outcome.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { preview } from '../../../server/src/replay/replay';
import { modelFor } from '../../../server/src/frameworks';
import { extractDjango } from '../../../server/src/frameworks/django/extract';
import { parseText } from '../../../server/src/parsing/parser';
import type { Policy } from '../../../server/src/policy/types';
import { probeReport, type ProbeInput } from '../../../server/src/probe';
import { requirePython, startDjango, type RunningServer } from './python-servers';

const FIXTURES = path.resolve(__dirname, '../../fixtures/truth/django');
const APP = 'https://app.example.com';

async function policyOf(file: string): Promise<Policy> {
  const text = readFileSync(file, 'utf8');
  const tree = await parseText('python', text);
  try {
    // A reader answers undefined for a file that is not there, as the workspace's does.
    const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : undefined);
    const policy = await extractDjango(file, text, tree, { read });
    assert.ok(policy, `no policy in ${file}`);
    return policy;
  } finally {
    tree.delete();
  }
}

type Case = Omit<ProbeInput, 'url'> & { path: string };
const cases: Record<string, Case[]> = {
  'custom-headers': [
    { path: '/api/items', origin: APP },
    {
      path: '/api/items',
      origin: APP,
      method: 'POST',
      headers: ['content-type: application/json', 'x-session-token: t'],
      credentials: true,
    },
    { path: '/api/items', origin: APP, method: 'POST', headers: ['x-unlisted: 1'] },
    {
      path: '/api/items/4',
      origin: APP,
      method: 'PUT',
      headers: ['content-type: application/json'],
    },
    { path: '/api/items', origin: 'https://evil.example', credentials: true },
  ],
  'exact-allowlist': [
    { path: '/api/items', origin: 'http://localhost:3000', credentials: true },
    { path: '/api/items', origin: APP, method: 'DELETE', headers: ['authorization: Bearer x'] },
    { path: '/api/items', origin: APP, headers: ['x-session-token: t'] },
    { path: '/', origin: 'null' },
  ],
  'allow-all-credentials': [
    { path: '/api/items', origin: 'https://evil.example', credentials: true },
    {
      path: '/api/items',
      origin: 'null',
      method: 'PATCH',
      headers: ['content-type: application/json'],
      credentials: true,
    },
  ],
};

describe('probe against real Django + django-cors-headers', () => {
  const servers = new Map<string, RunningServer>();
  const policies = new Map<string, Policy>();
  const table: string[] = [];
  before(async () => {
    requirePython(['django', 'corsheaders'], 'python3-django python3-django-cors-headers');
    await Promise.all(
      Object.keys(cases).map(async (name) => {
        const file = path.join(FIXTURES, name, 'settings.py');
        servers.set(name, await startDjango(file));
        policies.set(name, await policyOf(file));
      }),
    );
  });
  after(() => {
    for (const server of servers.values()) server.stop();
    if (table.length) console.log(['case                     agree  request', ...table].join('\n'));
  });

  for (const [name, list] of Object.entries(cases)) {
    test(`${name}: the probe's verdict equals the preview's`, async () => {
      const policy = policies.get(name)!;
      for (const c of list) {
        const url = servers.get(name)!.base + c.path;
        const report = await probeReport({ ...c, url }, { policy });
        const predicted = preview(policy, modelFor(policy), report.request);
        const label = `${c.method ?? 'GET'} ${c.path} ${c.origin} ${(c.headers ?? []).join('|')}${c.credentials ? ' +creds' : ''}`;
        // readableHeaders differ by design: the real app adds Content-Type and the like, the model does not.
        const judged = (v: typeof predicted.verdict | null) =>
          v && { ...v, readableHeaders: undefined };
        const agree =
          JSON.stringify(judged(report.verdict)) === JSON.stringify(judged(predicted.verdict));
        table.push(`${name.padEnd(25)}${agree ? 'yes' : 'NO '}    ${label}`);
        assert.equal(report.error, undefined, label);
        assert.deepEqual(judged(report.verdict), judged(predicted.verdict), label);
        assert.equal(report.compare?.verdictSame, true, label);
      }
    });
  }

  test('a request header the settings do not allow links to CORS_ALLOW_HEADERS', async () => {
    const policy = policies.get('custom-headers')!;
    const file = path.join(FIXTURES, 'custom-headers', 'settings.py');
    const report = await probeReport(
      {
        url: `${servers.get('custom-headers')!.base}/api/items`,
        origin: APP,
        method: 'POST',
        headers: ['x-unlisted: 1'],
      },
      { policy },
    );
    assert.equal(report.verdict?.allowed, false);
    const link = report.links?.[0];
    assert.equal(link?.message, 'x-unlisted is not in CORS_ALLOW_HEADERS');
    const text = readFileSync(file, 'utf8');
    assert.equal(link?.span.file, file);
    assert.match(text.slice(link!.span.start, link!.span.end), /^CORS_ALLOW_HEADERS = \(/);
  });

  test('an origin outside the allowlist links to CORS_ALLOWED_ORIGINS; an allowed one to its entry', async () => {
    const policy = policies.get('exact-allowlist')!;
    const base = servers.get('exact-allowlist')!.base;
    const blocked = await probeReport(
      { url: `${base}/api/items`, origin: 'https://evil.example' },
      { policy },
    );
    assert.equal(
      blocked.links?.[0]?.message,
      'https://evil.example is not in CORS_ALLOWED_ORIGINS',
    );
    const allowed = await probeReport(
      { url: `${base}/api/items`, origin: 'http://localhost:3000' },
      { policy },
    );
    const link = allowed.links?.[0];
    assert.equal(link?.message, 'Allowed: http://localhost:3000 is listed in CORS_ALLOWED_ORIGINS');
    assert.equal(
      readFileSync(policy.file, 'utf8').slice(link!.span.start, link!.span.end),
      '"http://localhost:3000"',
    );
  });

  test('the sweep finds the reflecting Django and links the finding to CORS_ALLOW_ALL_ORIGINS', async () => {
    const policy = policies.get('allow-all-credentials')!;
    const report = await probeReport(
      {
        url: `${servers.get('allow-all-credentials')!.base}/api/items`,
        origin: APP,
        credentials: true,
      },
      { policy, sweep: true },
    );
    const high = report.sweep?.filter((r) => r.risk === 'high').map((r) => r.origin) ?? [];
    assert.ok(high.includes('https://cors-lens-attacker.test'));
    assert.ok(high.includes('null'));
    assert.ok(
      report.links?.some((l) =>
        /^Sweep: null \(high risk\) gets in because CORS_ALLOW_ALL_ORIGINS allows every origin$/.test(
          l.message,
        ),
      ),
    );
  });

  test('the strict Django is not flagged by the sweep', async () => {
    const policy = policies.get('exact-allowlist')!;
    const report = await probeReport(
      { url: `${servers.get('exact-allowlist')!.base}/api/items`, origin: APP, credentials: true },
      { policy, sweep: true },
    );
    assert.deepEqual(
      report.sweep?.filter((r) => r.risk !== 'none').map((r) => `${r.origin} ${r.risk}`),
      [],
    );
  });
});
