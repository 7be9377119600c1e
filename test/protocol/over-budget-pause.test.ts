/**
 * A document whose analysis ran out of budget is analysed again once typing pauses, not on every
 * keystroke (a 2 MB module would otherwise cost the worker its whole budget per keystroke, with
 * every other document waiting behind it). The budget is 0 here, so any file runs out; the
 * server's output channel says "analysed <file> (v<n>)" for each analysis it publishes, and an
 * analysis whose text changed meanwhile is not published.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DidChangeTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { LspTestClient } from './lsp-client';

const settings = `INSTALLED_APPS = ["corsheaders"]
MIDDLEWARE = ["corsheaders.middleware.CorsMiddleware"]
CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
`;

let root: string;
before(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'cors-lens-pause-'));
  fs.writeFileSync(path.join(root, 'settings.py'), settings);
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

test('keystrokes 30 ms apart in an over-budget document are analysed together, once typing pauses', async () => {
  const uri = pathToFileURL(path.join(root, 'settings.py')).href;
  const { client } = await LspTestClient.start({ root, settings: { analysisBudgetMs: 0 } });
  try {
    await client.open(uri, settings, 1, 'python');
    const first = await client.diagnostics(uri, 1);
    assert.deepEqual(
      first.diagnostics.map((d) => d.code),
      ['analysis-over-budget'],
    );
    const analysed = () => client.logs.filter((l) => /analysed settings\.py \(v\d+\)/.test(l));
    // Log lines are notifications of their own: wait for the one of a version.
    const logged = async (version: number) => {
      for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
        if (analysed().some((l) => l.includes(`(v${version})`))) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.fail(`no log line for v${version}: ${analysed().join(' | ')}`);
    };
    await logged(1);
    const before = analysed().length;
    let text = settings;
    for (let version = 2; version <= 6; version++) {
      const line = text.split('\n').length - 1;
      text += '#\n';
      await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version },
        contentChanges: [
          { range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: '#\n' },
        ],
      });
      // Typing: each keystroke's analysis (over its 0 ms budget at once) would be done by the next.
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    await client.diagnostics(uri, 6);
    await logged(6);
    const versions = analysed()
      .slice(before)
      .map((l) => /\(v(\d+)\)/.exec(l)![1]);
    // One analysis (a machine so busy that a 30 ms wait took 300 ms may give two or three), never
    // one a keystroke.
    assert.ok(versions.length < 5, `analysed versions ${versions.join(', ')}`);
    assert.equal(versions.at(-1), '6');
  } finally {
    await client.stop();
  }
});
