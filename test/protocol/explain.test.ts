/**
 * `corsLens/explain` through the bundled language server over stdio: the workspace folder is the
 * explain fixture workspace; an open document's unsaved text wins over the disk, and the answer's
 * lines and fix edits are document positions.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { ExplainAnswer } from '../../server/src/lsp/explain-protocol';
import { LspTestClient } from './lsp-client';

const ROOT = path.resolve(__dirname, '../fixtures/explain/workspace');
const SETTINGS = path.join(ROOT, 'backend/settings.py');
const settingsUri = pathToFileURL(SETTINGS).href;
const MESSAGE =
  "Access to fetch at 'http://127.0.0.1:8001/api/items' from origin 'http://localhost:5173' has been blocked by CORS policy: Request header field x-session-token is not allowed by Access-Control-Allow-Headers in preflight response.";

describe('explain requests over stdio', () => {
  let client: LspTestClient;

  before(async () => {
    ({ client } = await LspTestClient.start({ root: ROOT }));
  });
  after(() => client.kill());

  test('a Chromium message: the line in settings.py and the fix as document edits', async () => {
    const answer = await client.request<ExplainAnswer>('corsLens/explain', { text: MESSAGE });
    const line = readFileSync(SETTINGS, 'utf8')
      .split('\n')
      .findIndex((l) => l.startsWith('CORS_ALLOW_HEADERS'));
    assert.equal(answer.items.length, 1);
    const [item] = answer.items;
    assert.equal(item.outcome, 'reproduced');
    assert.deepEqual(item.lines, [
      {
        message: 'x-session-token is not in CORS_ALLOW_HEADERS',
        uri: settingsUri,
        line,
        character: 0,
        label: `backend/settings.py:${line + 1}`,
      },
    ]);
    assert.equal(item.server?.label, 'backend/settings.py');
    assert.equal(item.fix?.check, 'custom-header-not-allowed');
    assert.equal(item.fix?.changes[0].uri, settingsUri);
    assert.equal(item.fix?.changes[0].version, null);
  });

  test('the open document, unsaved, is what gets explained', async () => {
    const edited = readFileSync(SETTINGS, 'utf8').replace(
      '"content-type",',
      '"content-type",\n    "x-session-token",',
    );
    await client.open(settingsUri, edited, 3);
    const [item] = (await client.request<ExplainAnswer>('corsLens/explain', { text: MESSAGE }))
      .items;
    assert.equal(item.outcome, 'different');
    assert.match(
      item.probe,
      /^cors-lens probe http:\/\/127\.0\.0\.1:8001\/api\/items --origin http:\/\/localhost:5173 --header 'x-session-token: example'$/,
    );
  });

  test('text without a CORS error gets a note, an empty text an error', async () => {
    const answer = await client.request<ExplainAnswer>('corsLens/explain', {
      text: 'TypeError: Failed to fetch',
    });
    assert.deepEqual(answer.items, []);
    assert.match(answer.note ?? '', /No CORS error/);
    await assert.rejects(
      client.request<ExplainAnswer>('corsLens/explain', { text: '  ' }),
      /Paste the CORS error/,
    );
  });
});
