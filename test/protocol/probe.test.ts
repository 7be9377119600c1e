/**
 * `corsLens/probe` and `corsLens/probeDefaults` through the bundled language server over stdio:
 * the server probes a live node:http server on 127.0.0.1 and links the outcome to lines of the
 * open document's policy.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { CancellationTokenSource } from 'vscode-languageserver-protocol/node';
import type { ProbeAnswer, ProbeDefaults } from '../../server/src/lsp/probe-protocol';
import { startEdgeServer, type TestServer } from '../unit/probe/edge-servers';
import { hangGuardMs } from '../support/hang-guard';
import { fixtureUri, LspTestClient } from './lsp-client';

const text = [
  'INSTALLED_APPS = ["corsheaders"]',
  'MIDDLEWARE = ["corsheaders.middleware.CorsMiddleware"]',
  'CORS_ALLOWED_ORIGINS = ["https://app.example.com"]',
  'CORS_ALLOW_HEADERS = ["content-type"]',
  'CORS_URLS_REGEX = r"^/api/.*$"',
  '',
].join('\n');

describe('probe requests over stdio', () => {
  let client: LspTestClient;
  let edge: TestServer;
  // Not on disk: the server reads the open document.
  const uri = fixtureUri('probe-unsaved/settings.py');

  before(async () => {
    ({ client } = await LspTestClient.start());
    edge = await startEdgeServer();
    await client.open(uri, text, 1);
  });
  after(async () => {
    client.kill();
    await edge.close();
  });

  test('probeDefaults guesses the dev server from the policy: Django on 8000, the covered path', async () => {
    assert.equal(
      (await client.request<ProbeDefaults>('corsLens/probeDefaults', { uri })).url,
      'http://127.0.0.1:8000/api/',
    );
    assert.equal(
      (await client.request<ProbeDefaults>('corsLens/probeDefaults', {})).url,
      'http://127.0.0.1:8000/',
    );
  });

  test('a blocked header links to CORS_ALLOW_HEADERS in the open document', async () => {
    const answer = await client.request<ProbeAnswer>('corsLens/probe', {
      uri,
      url: `${edge.url}/strict`,
      origin: 'https://app.example.com',
      method: 'POST',
      headers: ['x-other: 1'],
      credentials: false,
      sweep: false,
    });
    assert.equal(answer.verdict?.allowed, false);
    assert.deepEqual(answer.links, [
      {
        message: 'x-other is not in CORS_ALLOW_HEADERS',
        uri,
        line: 3,
        character: 0,
        label: 'settings.py:4',
      },
    ]);
    assert.equal(answer.policyFile, 'settings.py');
  });

  test('the live server allowing more than the policy shows in the comparison', async () => {
    const answer = await client.request<ProbeAnswer>('corsLens/probe', {
      uri,
      url: `${edge.url}/strict`,
      origin: 'https://app.example.com',
      method: 'POST',
      headers: ['x-session-token: t'],
      credentials: true,
      sweep: false,
    });
    assert.equal(answer.verdict?.allowed, true);
    assert.equal(answer.compare?.verdictSame, false, 'the policy does not allow x-session-token');
    const preflight = answer.compare?.responses.find((r) => r.stage === 'preflight');
    const allowHeaders = preflight?.rows.find((r) => r.name === 'access-control-allow-headers');
    assert.equal(allowHeaders?.same, false);
    assert.deepEqual(allowHeaders?.real, ['content-type, x-session-token']);
    assert.deepEqual(
      answer.links.map((l) => l.message),
      ['Allowed: https://app.example.com is listed in CORS_ALLOWED_ORIGINS'],
    );
    assert.equal(answer.links[0].line, 2);
  });

  test('a bad URL is an error response, not a crash', async () => {
    await assert.rejects(
      client.request('corsLens/probe', {
        uri,
        url: 'file:///etc/passwd',
        origin: 'https://a.example',
        method: 'GET',
        headers: [],
        credentials: false,
        sweep: false,
      }),
      /only http and https URLs/,
    );
    assert.equal(
      (await client.request<ProbeDefaults>('corsLens/probeDefaults', { uri })).url,
      'http://127.0.0.1:8000/api/',
      'the server still answers',
    );
  });

  test('a cancelled probe stops waiting for the server: its connection is closed, the server still answers', async () => {
    // A dev server that accepts the connection and never answers.
    const sockets: net.Socket[] = [];
    let connected!: (socket: net.Socket) => void;
    const connection = new Promise<net.Socket>((resolve) => (connected = resolve));
    const silent = net.createServer((socket) => {
      sockets.push(socket);
      // Reading, so the client's close is seen.
      socket.resume();
      connected(socket);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as net.AddressInfo;
      const cancel = new CancellationTokenSource();
      const probe = client.request(
        'corsLens/probe',
        {
          uri,
          url: `http://127.0.0.1:${port}/api/me`,
          origin: 'https://app.example.com',
          method: 'GET',
          headers: [],
          credentials: false,
          sweep: false,
        },
        cancel.token,
      );
      const socket = await connection;
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      cancel.cancel();
      // The answer reports the exchange cancelled, not timed out: the cancel reached the worker.
      assert.match(JSON.stringify(await probe), /The probe was cancelled\./);
      await Promise.race([
        closed,
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error('the probe kept its connection')), hangGuardMs(10_000)),
        ),
      ]);
      assert.equal(
        (await client.request<ProbeDefaults>('corsLens/probeDefaults', { uri })).url,
        'http://127.0.0.1:8000/api/',
      );
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe('probe requests from an untrusted workspace', () => {
  let client: LspTestClient;
  let edge: TestServer;
  before(async () => {
    ({ client } = await LspTestClient.start({
      initializationOptions: { workspaceTrusted: false },
    }));
    edge = await startEdgeServer();
  });
  after(async () => {
    client.kill();
    await edge.close();
  });

  const params = () => ({
    url: `${edge.url}/strict`,
    origin: 'https://app.example.com',
    method: 'GET',
    headers: [],
    credentials: false,
    sweep: false,
  });

  test('are refused, and nothing reaches the server; trust granted later lets them through', async () => {
    edge.seen.length = 0;
    await assert.rejects(client.request('corsLens/probe', params()), /untrusted workspace/);
    assert.equal(edge.seen.length, 0);
    await client.notify('corsLens/workspaceTrust', { trusted: true });
    const answer = await client.request<ProbeAnswer>('corsLens/probe', params());
    assert.equal(answer.actual?.status, 200);
    assert.equal(edge.seen.length, 1);
  });
});
