import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { probe, ProbeInputError } from '../../../server/src/probe';
import { closedPort, startEdgeServer, startGarbageServer, type TestServer } from './edge-servers';

const APP = 'https://app.example.com';
const fast = { timeoutMs: 400, maxBodyBytes: 64 * 1024 };
const lower = (headers: [string, string][]) => headers.map(([n, v]) => `${n.toLowerCase()}: ${v}`);

describe('probe engine against a node:http server on 127.0.0.1', () => {
  let edge: TestServer;
  let garbage: TestServer;
  before(async () => {
    edge = await startEdgeServer();
    garbage = await startGarbageServer();
  });
  after(async () => {
    await edge.close();
    await garbage.close();
  });

  test('sends exactly the browser preflight, then the actual request; no cookie without credentials', async () => {
    edge.seen.length = 0;
    const result = await probe({
      url: `${edge.url}/strict?x=1`,
      origin: APP,
      method: 'put',
      headers: ['X-Session-Token: t', 'Content-Type: application/json', 'Cookie: sid=1'],
    });
    assert.equal(edge.seen.length, 2);
    const [pre, actual] = edge.seen;
    assert.equal(pre.method, 'OPTIONS');
    assert.equal(pre.url, '/strict?x=1');
    assert.deepEqual(
      lower(pre.headers).filter((h) => !/^(host|connection|accept|user-agent):/.test(h)),
      [
        'origin: https://app.example.com',
        'access-control-request-method: PUT',
        'access-control-request-headers: content-type,x-session-token',
      ],
    );
    assert.equal(actual.method, 'PUT');
    assert.ok(lower(actual.headers).includes('x-session-token: t'));
    assert.ok(
      !lower(actual.headers).some((h) => h.startsWith('cookie:')),
      'no cookie without credentials',
    );
    assert.ok(result.notes.some((n) => /Cookie header was not sent/.test(n)));
    assert.equal(result.verdict?.allowed, true);
    assert.equal(result.preflight.needed, true);
    assert.ok(result.actual && result.actual.timing.totalMs >= 0);
  });

  test('the cookie goes on the actual request only, and only with credentials', async () => {
    edge.seen.length = 0;
    await probe({
      url: `${edge.url}/strict`,
      origin: APP,
      method: 'POST',
      headers: ['content-type: application/json', 'Cookie: sid=1'],
      credentials: true,
    });
    const [pre, actual] = edge.seen;
    assert.ok(!lower(pre.headers).some((h) => h.startsWith('cookie:')));
    assert.ok(lower(actual.headers).includes('cookie: sid=1'));
  });

  test('a failed preflight stops the browser: no actual request is sent', async () => {
    edge.seen.length = 0;
    const result = await probe({
      url: `${edge.url}/strict`,
      origin: 'https://evil.example',
      method: 'DELETE',
    });
    assert.deepEqual(
      edge.seen.map((s) => s.method),
      ['OPTIONS'],
    );
    assert.equal(result.actual, null);
    assert.equal(result.verdict?.allowed, false);
    assert.equal(result.verdict?.stage, 'preflight');
    assert.match(
      result.verdict?.reasons[0] ?? '',
      /No 'Access-Control-Allow-Origin' header is present/,
    );
  });

  test('duplicate header lines are kept in order and judged as Chromium does', async () => {
    const result = await probe({ url: `${edge.url}/duplicate`, origin: APP });
    assert.deepEqual(
      result.actual?.headers.filter(([n]) => n === 'Access-Control-Allow-Origin'),
      [
        ['Access-Control-Allow-Origin', APP],
        ['Access-Control-Allow-Origin', APP],
      ],
    );
    assert.equal(result.verdict?.allowed, false);
    assert.match(result.verdict?.reasons[0] ?? '', /contains multiple values/);
  });

  test('a redirect to another host is reported, not followed', async () => {
    edge.seen.length = 0;
    const result = await probe({ url: `${edge.url}/redirect`, origin: APP });
    assert.equal(edge.seen.length, 1);
    assert.equal(result.actual?.status, 302);
    assert.deepEqual(result.actual?.redirect, {
      location: 'http://elsewhere.invalid/login',
      sameOrigin: false,
    });
    assert.ok(result.notes.some((n) => /redirects to another origin .*does not follow/.test(n)));
  });

  test('a 10 MB body is read up to the limit, then the socket is closed', async () => {
    const started = Date.now();
    const result = await probe(
      { url: `${edge.url}/big`, origin: APP },
      { timeoutMs: 5000, maxBodyBytes: 64 * 1024 },
    );
    assert.equal(result.actual?.bodyTruncated, true);
    assert.equal(result.actual?.bodyBytes, 64 * 1024);
    assert.equal(result.verdict?.allowed, true);
    assert.ok(Date.now() - started < 2000, 'stops reading early');
    assert.ok(result.notes.some((n) => /longer than 64 KiB/.test(n)));
  });

  test('a body that never ends keeps the headers and notes the truncation', async () => {
    const result = await probe({ url: `${edge.url}/slow-body`, origin: APP }, fast);
    assert.equal(result.error, undefined);
    assert.equal(result.actual?.bodyTruncated, true);
    assert.equal(result.verdict?.allowed, true);
  });

  test('a server that never answers times out with a clear message', async () => {
    const started = Date.now();
    const result = await probe({ url: `${edge.url}/hang`, origin: APP }, fast);
    assert.equal(result.error?.kind, 'timeout');
    assert.match(result.error?.message ?? '', /No answer from 127\.0\.0\.1:\d+ within 0\.4 s/);
    assert.equal(result.verdict, null);
    assert.ok(Date.now() - started < 2000);
  });

  test('a closed port is "connection refused"', async () => {
    const port = await closedPort();
    const result = await probe(
      { url: `http://127.0.0.1:${port}/`, origin: APP, method: 'PUT' },
      fast,
    );
    assert.equal(result.error?.kind, 'refused');
    assert.equal(result.error?.stage, 'preflight');
    assert.match(
      result.error?.message ?? '',
      /Connection refused by 127\.0\.0\.1:\d+: is the dev server running/,
    );
    assert.equal(result.actual, null);
  });

  test('a listener that does not speak HTTP is "not HTTP"', async () => {
    const result = await probe({ url: `${garbage.url}/`, origin: APP }, fast);
    assert.equal(result.error?.kind, 'not-http');
    assert.match(result.error?.message ?? '', /answered, but not with HTTP/);
  });

  test('https:// to a plain-http server says so', async () => {
    const result = await probe(
      { url: edge.url.replace('http:', 'https:') + '/strict', origin: APP },
      fast,
    );
    assert.equal(result.error?.kind, 'tls');
    assert.match(
      result.error?.message ?? '',
      /^127\.0\.0\.1:\d+ does not speak TLS: is it a plain http:\/\/ server\?$/,
    );
  });

  test('bad URLs are refused before anything is sent', async () => {
    for (const url of [
      'not a url',
      'ftp://127.0.0.1/',
      'http://user:pw@127.0.0.1/',
      '/api/items',
    ]) {
      await assert.rejects(probe({ url, origin: APP }), ProbeInputError, url);
    }
  });

  test('a forbidden method is refused by fetch() itself: nothing is sent', async () => {
    edge.seen.length = 0;
    const result = await probe({ url: `${edge.url}/strict`, origin: APP, method: 'TRACE' });
    assert.equal(edge.seen.length, 0);
    assert.equal(result.verdict?.allowed, false);
    assert.match(result.verdict?.reasons[0] ?? '', /HTTP method is unsupported/);
  });

  test('cancelling gives an "aborted" error', async () => {
    const controller = new AbortController();
    const pending = probe(
      { url: `${edge.url}/hang`, origin: APP },
      { timeoutMs: 5000, maxBodyBytes: 1024 },
      controller.signal,
    );
    setTimeout(() => controller.abort(), 50);
    const result = await pending;
    assert.equal(result.error?.kind, 'aborted');
  });
});
