import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ARBITRARY_ORIGIN,
  classifyRisk,
  probeReport,
  sweepCandidates,
} from '../../../server/src/probe';
import { startEdgeServer, type TestServer } from './edge-servers';

const APP = 'https://app.example.com';

describe('sweep origins', () => {
  test('controls first, then arbitrary, null, regex bypasses and the tricks around each trusted origin', () => {
    const candidates = sweepCandidates([APP], ['https://appXexample.com']);
    const byKind = (kind: string) => candidates.filter((c) => c.kind === kind).map((c) => c.origin);
    assert.deepEqual(
      candidates.slice(0, 4).map((c) => c.origin),
      [APP, ARBITRARY_ORIGIN, 'null', 'https://appXexample.com'],
    );
    assert.deepEqual(byKind('prefix'), ['https://app.example.com.attacker.test']);
    assert.deepEqual(byKind('suffix'), [
      'https://attackerapp.example.com',
      'https://attackerexample.com',
    ]);
    assert.deepEqual(byKind('subdomain'), ['https://attacker.app.example.com']);
    assert.deepEqual(byKind('unescaped-dot'), [
      'https://appxexample.com',
      'https://app.examplexcom',
    ]);
    assert.deepEqual(byKind('http-downgrade'), ['http://app.example.com']);
    assert.ok(byKind('special-char').includes('https://app.example.com_.attacker.test'));
    assert.ok(byKind('special-char').includes('https://app.example.com%60.attacker.test'));
  });

  test('ports are kept, no downgrade of http, no dot tricks on IP addresses', () => {
    const candidates = sweepCandidates(['http://localhost:3000', 'http://127.0.0.1:5173']);
    const origins = candidates.map((c) => c.origin);
    assert.ok(origins.includes('http://localhost.attacker.test:3000'));
    assert.ok(!candidates.some((c) => c.kind === 'http-downgrade'));
    assert.ok(!candidates.some((c) => c.kind === 'unescaped-dot'));
  });

  test('unique, never a trusted origin as an attack, bounded', () => {
    const many = Array.from({ length: 30 }, (_, i) => `https://a${i}.b.example.com`);
    const candidates = sweepCandidates([...many, 'https://attackerexample.com']);
    assert.equal(new Set(candidates.map((c) => c.origin)).size, candidates.length);
    assert.ok(candidates.length <= 80);
    assert.ok(
      !candidates.some((c) => c.kind !== 'trusted' && c.origin === 'https://attackerexample.com'),
    );
  });

  test('risk: credentialed read by an attacker-owned origin is high, by a foothold origin medium', () => {
    const both = { withCredentials: true, withoutCredentials: true };
    const anon = { withCredentials: false, withoutCredentials: true };
    const none = { withCredentials: false, withoutCredentials: false };
    assert.equal(classifyRisk('arbitrary', both, ARBITRARY_ORIGIN), 'high');
    assert.equal(classifyRisk('null', both, 'null'), 'high');
    assert.equal(classifyRisk('subdomain', both, 'https://attacker.app.example.com'), 'medium');
    assert.equal(classifyRisk('http-downgrade', both, 'http://app.example.com'), 'medium');
    assert.equal(classifyRisk('prefix', anon, 'https://app.example.com.attacker.test'), 'medium');
    assert.equal(classifyRisk('subdomain', anon, 'https://attacker.app.example.com'), 'low');
    assert.equal(classifyRisk('arbitrary', anon, '*'), 'info');
    assert.equal(classifyRisk('arbitrary', none, undefined), 'none');
    assert.equal(classifyRisk('trusted', both, APP), 'none');
  });
});

describe('sweep against live servers on 127.0.0.1', () => {
  let edge: TestServer;
  before(async () => {
    edge = await startEdgeServer();
  });
  after(() => edge.close());

  const risks = async (path: string) => {
    const report = await probeReport(
      { url: `${edge.url}${path}`, origin: APP, credentials: true },
      { sweep: true },
    );
    return new Map((report.sweep ?? []).map((row) => [row.origin, row.risk]));
  };

  test('the reflecting server is found: every attacker-owned origin is high', async () => {
    const r = await risks('/reflect');
    assert.equal(r.get(ARBITRARY_ORIGIN), 'high');
    assert.equal(r.get('null'), 'high');
    assert.equal(r.get('https://app.example.com.attacker.test'), 'high');
    assert.equal(r.get('https://attacker.app.example.com'), 'medium');
    assert.equal(r.get(APP), 'none');
  });

  test('the strict server is not flagged', async () => {
    const r = await risks('/strict');
    assert.ok(
      [...r.values()].every((risk) => risk === 'none'),
      JSON.stringify([...r]),
    );
  });

  test("'*' without credentials is info only", async () => {
    const r = await risks('/star');
    assert.equal(r.get(ARBITRARY_ORIGIN), 'info');
    assert.ok([...r.values()].every((risk) => risk === 'info' || risk === 'none'));
  });

  test('no sweep when the server gave no answer', async () => {
    const report = await probeReport(
      { url: `${edge.url}/hang`, origin: APP },
      { sweep: true, limits: { timeoutMs: 300, maxBodyBytes: 1024 } },
    );
    assert.equal(report.error?.kind, 'timeout');
    assert.equal(report.sweep, undefined);
  });
});
