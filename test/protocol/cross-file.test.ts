/**
 * Cross-file findings over the real language server: a frontend document's call shows up on the
 * backend's settings (with the call as relatedInformation), its fix edits the backend, and
 * editing the frontend re-checks the backend. Documents are unsaved (not on disk).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, Diagnostic, TextDocumentEdit } from 'vscode-languageserver-protocol/node';
import { fixtureUri, LspTestClient } from './lsp-client';

const settingsText = `INSTALLED_APPS = ["corsheaders"]
MIDDLEWARE = ["corsheaders.middleware.CorsMiddleware"]
CORS_ALLOWED_ORIGINS = ["http://localhost:5173"]
`;
const frontendText = (headers: string) =>
  `export const me = () => fetch('http://localhost:8000/api/me', { headers: ${headers} });\n`;

describe('cross-file: frontend calls against a backend policy', () => {
  let client: LspTestClient;
  const settings = fixtureUri('crossfile/backend/settings.py');
  const frontend = fixtureUri('crossfile/frontend/api.js');

  before(async () => {
    ({ client } = await LspTestClient.start({ settings: {} }));
  });
  after(() => client.kill());

  test('the backend gets the finding, linked to the frontend call, with a fix in settings.py', async () => {
    await client.open(settings, settingsText);
    assert.deepEqual((await client.diagnostics(settings, 1)).diagnostics, []);
    const next = client.nextDiagnostics(settings, (p) => p.diagnostics.length > 0);
    await client.open(frontend, frontendText(`{ 'X-Session-Token': 't' }`), 1, 'javascript');
    const { diagnostics } = await next;
    const finding = diagnostics.find((d: Diagnostic) => d.code === 'custom-header-not-allowed');
    assert.ok(finding, 'custom-header-not-allowed on settings.py');
    assert.match(finding.message, /api\.js:1 .*X-Session-Token/);
    assert.equal(finding.relatedInformation?.[0].location.uri, frontend);
    assert.deepEqual(finding.relatedInformation?.[0].location.range.start, {
      line: 0,
      character: 24,
    });
    const actions = (await client.codeActions(settings, finding.range, [finding])) ?? [];
    const fix = actions.find((a): a is CodeAction => 'kind' in a && a.kind === 'quickfix');
    assert.ok(fix, 'a quick fix');
    const edits = fix.edit!.documentChanges as TextDocumentEdit[];
    assert.deepEqual(
      edits.map((e) => e.textDocument.uri),
      [settings],
    );
    assert.match(edits[0].edits.map((e) => e.newText).join(''), /x-session-token/);
  });

  test('editing the frontend re-checks the backend', async () => {
    const cleared = client.nextDiagnostics(settings, (p) => p.diagnostics.length === 0);
    await client.change(frontend, frontendText(`{ Accept: 'application/json' }`), 2);
    assert.deepEqual((await cleared).diagnostics, []);
    await client.close(frontend);
    await client.close(settings);
  });
});
