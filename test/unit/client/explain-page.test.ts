/**
 * The explain panel's page (client/src/explain-html.ts) from a real `corsLens/explain` answer of
 * the language server's handler over the e2e workspace (Django, x-session-token not allowed):
 * the cause, the lines as links that post `open`, the fix's button, and the panels' CSP rules.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { before, describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseExplainMessage, renderExplainPage } from '../../../client/src/explain-html';
import { DiskReader } from '../../../server/src/base/disk-reader';
import type { ExplainAnswer } from '../../../server/src/lsp/explain-protocol';
import { explainFor } from '../../../server/src/lsp/explain-requests';

const root = path.resolve(__dirname, '../../fixtures/e2e/workspace');
const env = { nonce: 'ZXhwbGFpbi1ub25jZQ==', cspSource: 'vscode-webview://test' };
const hostile = `</script><img src=x onerror=alert(1)>`;
const message =
  "Access to fetch at 'http://127.0.0.1:8000/api/items' from origin 'http://localhost:3000' has been blocked by CORS policy: Request header field x-session-token is not allowed by Access-Control-Allow-Headers in preflight response.";

let answer: ExplainAnswer;

before(async () => {
  answer = await explainFor(
    { text: message },
    {
      roots: [root],
      reader: new DiskReader(),
      locate: (file) => {
        const uri = pathToFileURL(file).href;
        const text = readFileSync(file, 'utf8');
        return { uri, version: null, document: TextDocument.create(uri, 'python', 0, text) };
      },
    },
  );
});

describe('explain page', () => {
  test('the cause, the lines as links, the fix with its button, in that order', () => {
    const html = renderExplainPage(answer, env);
    const at = (text: string | RegExp) => {
      const i = typeof text === 'string' ? html.indexOf(text) : (html.match(text)?.index ?? -1);
      assert.ok(i !== -1, `page lacks ${String(text)}`);
      return i;
    };
    const order = [
      at('GET http://127.0.0.1:8000/api/items'),
      at(/<strong>Cause\.<\/strong> [^<]*x-session-token is not in the headers the policy allows/),
      at(
        /<a data-uri="file:[^"]*settings\.py" data-line="\d+" data-character="\d+">settings\.py:\d+<\/a>/,
      ),
      at('Allow &#39;x-session-token&#39; in CORS_ALLOW_HEADERS'),
      at('<button type="button" data-apply="0">Apply fix</button>'),
    ];
    assert.deepEqual(
      [...order].sort((a, b) => a - b),
      order,
    );
  });

  test("CSP default-src 'none', nonce on the style and the script, values escaped", () => {
    const evil: ExplainAnswer = {
      note: hostile,
      items: [{ ...answer.items[0], cause: hostile, url: hostile }],
    };
    const html = renderExplainPage(evil, env);
    assert.ok(
      html.includes(
        `default-src 'none'; style-src ${env.cspSource} 'nonce-${env.nonce}'; script-src 'nonce-${env.nonce}';`.replace(
          /'/g,
          '&#39;',
        ),
      ),
    );
    assert.equal(html.match(/<script nonce=/g)?.length, 1);
    assert.ok(!html.includes('<img'), 'a value is text');
    const tags = html.replace(/="[^"]*"/g, '=""');
    assert.ok(!/<[^>]*\s(src|action)=/.test(tags), 'no tag loads anything');
    // The only links that leave the page are the checks' docs pages.
    for (const [, href] of html.matchAll(/href="([^"]*)"/g)) assert.match(href, /^https:\/\//);
  });

  test('accepts file links and fix indexes; rejects anything else', () => {
    assert.deepEqual(parseExplainMessage({ type: 'apply', item: 0 }), { type: 'apply', item: 0 });
    assert.deepEqual(
      parseExplainMessage({ type: 'open', uri: 'file:///a.py', line: 3, character: 0 }),
      { type: 'open', uri: 'file:///a.py', line: 3, character: 0 },
    );
    for (const bad of [
      { type: 'open', uri: 'command:workbench.action.terminal.new', line: 1, character: 0 },
      { type: 'apply', item: -1 },
      { type: 'apply', item: '0' },
      null,
      'apply',
    ])
      assert.equal(parseExplainMessage(bad), undefined, JSON.stringify(bad));
  });
});
