/**
 * The environment chosen in the editor (`corsLens.environment`, set by the status bar's
 * environment item) through the bundled language server over stdio: the diagnostics, and the
 * policy the probe compares with, are read in that environment, and change when it does.
 * The fixture's Express app reflects any origin unless CORS_ORIGIN is set; `.env.production`
 * sets it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import type { PolicySummary, PreviewAnswer } from '../../server/src/lsp/protocol';
import { LspTestClient } from './lsp-client';

const ROOT = path.resolve(__dirname, '../fixtures/protocol/environment-switch');
const FILE = path.join(ROOT, 'server.js');
const uri = pathToFileURL(FILE).href;
const codes = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => String(d.code)).sort();

describe('the editor environment over stdio', () => {
  let client: LspTestClient;

  before(async () => {
    ({ client } = await LspTestClient.start({ root: ROOT, settings: {} }));
  });
  after(() => client.kill());

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

    // production: .env.production sets CORS_ORIGIN: nothing is reflected, and the fallback to
    // `true` is not taken there.
    const production = client.nextDiagnostics(uri);
    await client.changeSettings({ environment: 'production' });
    assert.deepEqual(codes(await production), []);
    const answer = await preview();
    assert.equal(answer.verdict.allowed, false);
    assert.deepEqual(answer.policy.origins.exact, ['https://app.example.com']);

    const back = client.nextDiagnostics(uri);
    await client.changeSettings({ environment: '' });
    assert.deepEqual(codes(await back), ['insecure-env-default', 'reflect-any-origin']);
  });
});
