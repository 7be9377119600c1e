/**
 * The cross-file case over the real language server: a Django backend and a React (Vite)
 * frontend in one workspace (test/fixtures/workspace/django-react, copied to a temp folder so the
 * test can edit files on disk). Only the frontend file is open at first: the server indexed the
 * backend from disk. The frontend call gets the diagnostic on its own line, its quick fix edits
 * settings.py (versioned once settings.py is open), and after the fix the diagnostic is gone.
 * A `.env.development` change on disk (watched file) re-resolves the call's URL.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import {
  DidChangeWatchedFilesNotification,
  FileChangeType,
  type CodeAction,
  type Diagnostic,
  type TextDocumentEdit,
} from 'vscode-languageserver-protocol/node';
import { applyTextEdits, LspTestClient } from './lsp-client';

const fixture = path.resolve(__dirname, '../fixtures/workspace/django-react');
const finding = (diagnostics: Diagnostic[]) =>
  diagnostics.find((d) => d.code === 'custom-header-not-allowed');

describe('workspace: Django backend + React frontend', () => {
  let client: LspTestClient;
  let root: string;
  let api: string;
  let settings: string;
  let envFile: string;

  before(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'cors-lens-ws-'));
    cpSync(fixture, root, { recursive: true });
    api = pathToFileURL(path.join(root, 'frontend/src/api.ts')).href;
    settings = pathToFileURL(path.join(root, 'backend/settings.py')).href;
    envFile = path.join(root, 'frontend/.env.development');
    ({ client } = await LspTestClient.start({ settings: {}, root }));
  });
  after(() => {
    client.kill();
    rmSync(root, { recursive: true, force: true });
  });

  const apiText = () => readFileSync(new URL(api), 'utf8');
  /** Rewrites a watched file on disk and tells the server, as VS Code's watcher does. */
  const changeOnDisk = async (file: string, text: string) => {
    writeFileSync(file, text);
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: pathToFileURL(file).href, type: FileChangeType.Changed }],
    });
  };

  test('the diagnostic is on the fetch line, naming the backend setting', async () => {
    // The index of the folder may land after the first analysis: wait for the finding.
    const published = client.nextDiagnostics(api, (p) => !!finding(p.diagnostics));
    await client.open(api, apiText(), 1, 'typescript');
    const diagnostic = finding((await published).diagnostics)!;
    assert.deepEqual(diagnostic.range.start, { line: 5, character: 20 }, 'on `fetch(` in `me()`');
    assert.match(
      diagnostic.message,
      /^This request \(fetch GET http:\/\/localhost:8000\/api\/me\/\) sends the header X-Session-Token, but CORS_ALLOW_HEADERS in backend\/settings\.py:16 does not allow it/,
    );
    assert.equal(diagnostic.relatedInformation?.[0].location.uri, settings);
    assert.deepEqual(diagnostic.relatedInformation?.[0].location.range.start, {
      line: 15,
      character: 0,
    });
    // The other calls pass (credentialed GET) or are same-origin (proxied /auth): one finding only.
    assert.equal(
      (await published).diagnostics.filter((d) => d.code === 'custom-header-not-allowed').length,
      1,
    );
  });

  test('a .env.development change on disk re-resolves the URL', async () => {
    const original = readFileSync(envFile, 'utf8');
    const cleared = client.nextDiagnostics(api, (p) => !finding(p.diagnostics));
    // A relative API URL: the calls go to the page's own origin, no CORS.
    await changeOnDisk(envFile, 'VITE_API_URL=/api\n');
    await cleared;
    const back = client.nextDiagnostics(api, (p) => !!finding(p.diagnostics));
    await changeOnDisk(envFile, original);
    await back;
  });

  test('the quick fix edits settings.py (versioned when open), and then the diagnostic is gone', async () => {
    const settingsText = readFileSync(new URL(settings), 'utf8');
    // The frontend is re-checked with the open settings.py, so the fix carries its version.
    const republished = client.nextDiagnostics(api, (p) => !!finding(p.diagnostics));
    await client.open(settings, settingsText, 7);
    const diagnostic = finding((await republished).diagnostics)!;
    const actions = (await client.codeActions(api, diagnostic.range, [diagnostic])) ?? [];
    const fix = actions.find((a): a is CodeAction => 'kind' in a && a.kind === 'quickfix');
    assert.ok(fix, 'a quick fix on the frontend line');
    assert.equal(fix.title, "Allow 'x-session-token' in CORS_ALLOW_HEADERS");
    const changes = fix.edit!.documentChanges as TextDocumentEdit[];
    assert.deepEqual(
      changes.map((c) => [c.textDocument.uri, c.textDocument.version]),
      [[settings, 7]],
    );
    const fixed = applyTextEdits(settingsText, changes[0].edits);
    assert.match(fixed, /"content-type",\n    "x-session-token",\n\]/);
    const cleared = client.nextDiagnostics(api, (p) => !finding(p.diagnostics));
    await client.change(settings, fixed, 8);
    assert.deepEqual(
      (await cleared).diagnostics.filter((d) => d.code === 'custom-header-not-allowed'),
      [],
    );
  });
});
