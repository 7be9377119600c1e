/**
 * A settings module long enough to be parsed in segments, over the real language server: its
 * findings are where they are in the file whichever segment holds them, typing through a broken
 * state (an unclosed bracket) ends with the diagnostics of the same text opened fresh, and a
 * quick-fix edits the right line.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { applyTextEdits, editsOf, fixtureUri, isAction, LspTestClient } from './lsp-client';

const filler = (from: number, count: number) =>
  Array.from(
    { length: count },
    (_, i) => `SETTING_${from + i} = {"name": "value", "on": True}\n`,
  ).join('');

/** ~900 lines: the CORS settings sit far apart, in different segments. */
const text = [
  'INSTALLED_APPS = ["django.contrib.auth", "corsheaders"]\n',
  filler(0, 300),
  'MIDDLEWARE = [\n    "django.middleware.common.CommonMiddleware",\n    "corsheaders.middleware.CorsMiddleware",\n]\n',
  filler(300, 300),
  'CORS_ALLOW_ALL_ORIGINS = True\n',
  filler(600, 290),
  'CORS_ALLOW_CREDENTIALS = True\n',
].join('');

const summary = (diagnostics: Diagnostic[]) =>
  diagnostics
    .map(
      (d) =>
        `${d.code} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`,
    )
    .sort();
const lineOf = (needle: string, source = text) =>
  source.slice(0, source.indexOf(needle)).split('\n').length - 1;

describe('a long settings module (parsed in segments) over the real server', () => {
  let client: LspTestClient;
  const uri = fixtureUri('long/settings.py');
  /** The document's text after the typing test. */
  let typedText = text;
  before(async () => {
    ({ client } = await LspTestClient.start({ settings: {} }));
    await client.open(uri, text, 1, 'python');
  });
  after(() => client.kill());

  test('findings sit on their own lines, segments apart', async () => {
    const { diagnostics } = await client.diagnostics(uri, 1);
    const lines = new Map(diagnostics.map((d) => [d.code, d.range.start.line]));
    assert.equal(
      lines.get('cors-middleware-order'),
      lineOf('"corsheaders.middleware.CorsMiddleware"'),
    );
    assert.equal(lines.get('allow-all-origins'), lineOf('CORS_ALLOW_ALL_ORIGINS'));
    assert.ok(
      lineOf('CORS_ALLOW_ALL_ORIGINS') > 600 &&
        lineOf('"corsheaders.middleware.CorsMiddleware"') < 320,
    );
  });

  test('typing an unclosed bracket and closing it ends as a fresh open of the same text does', async () => {
    let current = text;
    let at = text.indexOf('SETTING_450 ');
    let version = 1;
    for (const typed of ['EXTRA = [', '"a",', ']\n']) {
      current = current.slice(0, at) + typed + current.slice(at);
      at += typed.length;
      await client.change(uri, current, ++version);
    }
    typedText = current;
    const typed = summary((await client.diagnostics(uri, version)).diagnostics);
    const fresh = fixtureUri('long/fresh.py');
    await client.open(fresh, current, 1, 'python');
    assert.deepEqual(typed, summary((await client.diagnostics(fresh, 1)).diagnostics));
    assert.ok(
      typed.some((d) => d.startsWith('allow-all-origins ')),
      typed.join('\n'),
    );
    await client.close(fresh);
  });

  test("the quick fix of a finding in a later segment edits that finding's line", async () => {
    const { diagnostics, version } = await client.diagnostics(uri, 4);
    const finding = diagnostics.find((d) => d.code === 'allow-all-origins')!;
    const fix = (await client.codeActions(uri, finding.range, [finding]))!
      .filter(isAction)
      .find((a) => a.isPreferred)!;
    const [change] = editsOf(fix);
    assert.deepEqual(change.textDocument, { uri, version });
    // The line that allows every origin, and only it, becomes the allowlist.
    const line = typedText.split('\n')[finding.range.start.line];
    assert.equal(line, 'CORS_ALLOW_ALL_ORIGINS = True');
    const allowlist =
      'CORS_ALLOWED_ORIGINS = [\n    "http://localhost:3000",\n    "http://localhost:5173",\n]';
    assert.equal(applyTextEdits(typedText, change.edits), typedText.replace(line, allowlist));
  });
});
