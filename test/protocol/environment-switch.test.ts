/**
 * The environment chosen in the editor (`corsLens.environment`, set by the status bar's
 * environment item) through the bundled language server over stdio: the diagnostics, the preview
 * and the prediction the probe compares the live answer with are read in that environment, and
 * change when it does. The fixture's Express app reflects any origin unless CORS_ORIGIN is set;
 * `.env.production` sets it. The probe asks the real app (express 5 + cors 2.8 from npm) started
 * without CORS_ORIGIN, as a developer's machine runs it.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import type { PolicySummary, PreviewAnswer } from '../../server/src/lsp/protocol';
import type { ProbeAnswer } from '../../server/src/lsp/probe-protocol';
import { freePort } from '../support/free-port';
import { LspTestClient } from './lsp-client';

const ROOT = path.resolve(__dirname, '../fixtures/protocol/environment-switch');
const FILE = path.join(ROOT, 'server.js');
const uri = pathToFileURL(FILE).href;
const codes = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => String(d.code)).sort();

/** Resolves once `url` answers HTTP (the app is listening), polling while the connection is refused. */
async function answering(url: string, app: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) =>
      http
        .get(url, (res) => {
          res.resume();
          resolve(true);
        })
        .on('error', () => resolve(false)),
    );
    if (ok) return;
    if (app.exitCode !== null || Date.now() > deadline)
      throw new Error(`the app at ${url} did not answer`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the editor environment over stdio', () => {
  let client: LspTestClient;
  let app: ChildProcess;
  let base: string;

  before(async () => {
    ({ client } = await LspTestClient.start({ root: ROOT, settings: {} }));
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port) };
    delete env.CORS_ORIGIN;
    app = spawn(process.execPath, [FILE], { cwd: ROOT, env, stdio: 'ignore' });
    base = `http://127.0.0.1:${port}`;
    await answering(`${base}/api/items`, app);
  });
  after(() => {
    client.kill();
    app.kill();
  });

  /** Probes the live app with a credentialed GET from a site not on any list. */
  const probe = () =>
    client.request<ProbeAnswer>('corsLens/probe', {
      uri,
      url: `${base}/api/items`,
      origin: 'https://evil.example',
      method: 'GET',
      headers: [],
      credentials: true,
      sweep: false,
    });

  const preview = () =>
    client.request<PreviewAnswer>('corsLens/preview', {
      uri,
      origin: 'https://evil.example',
      path: '/api/items',
      method: 'GET',
      headers: [],
      credentials: true,
    });

  test('as written, production, then as written again', async () => {
    await client.open(uri, readFileSync(FILE, 'utf8'), 1, 'javascript');
    // As written (CORS_ORIGIN unset): `|| true` reflects every origin.
    assert.deepEqual(codes(await client.diagnostics(uri, 1)), [
      'insecure-env-default',
      'reflect-any-origin',
    ]);
    assert.equal((await preview()).verdict.allowed, true);
    // The preview's path prompt offers a route the policy covers, not `/`.
    const summary = await client.request<PolicySummary>('corsLens/policy', { uri });
    assert.equal(summary.path, '/api/items');
    // The live app (CORS_ORIGIN unset) reflects the origin, as predicted for the code as written.
    const live = await probe();
    assert.equal(live.verdict?.allowed, true);
    assert.equal(live.compare?.predicted.verdict.allowed, true);
    assert.equal(live.compare?.verdictSame, true);

    // production: .env.production sets CORS_ORIGIN: nothing is reflected, and the fallback to
    // `true` is not taken there.
    const production = client.nextDiagnostics(uri);
    await client.changeSettings({ environment: 'production' });
    assert.deepEqual(codes(await production), []);
    const answer = await preview();
    assert.equal(answer.verdict.allowed, false);
    assert.deepEqual(answer.policy.origins.exact, ['https://app.example.com']);
    // The same live answer now differs from the production prediction.
    const inProduction = await probe();
    assert.equal(inProduction.verdict?.allowed, true);
    assert.equal(inProduction.compare?.predicted.verdict.allowed, false);
    assert.equal(inProduction.compare?.verdictSame, false);

    const back = client.nextDiagnostics(uri);
    await client.changeSettings({ environment: '' });
    assert.deepEqual(codes(await back), ['insecure-env-default', 'reflect-any-origin']);
  });
});
