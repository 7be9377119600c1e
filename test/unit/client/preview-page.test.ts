/**
 * The preview panel's page (client/src/preview-html.ts) from a real `corsLens/preview` answer of
 * the language server's handler over a Django fixture whose allow-all is set in an imported base
 * settings file: rendered, checked as markup, then run in headless Chromium under its own CSP
 * with a stand-in for `acquireVsCodeApi` (links and the compare button post their messages);
 * a screenshot is kept (CORS_LENS_E2E_ARTIFACTS, else the temp folder).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  parsePreviewMessage,
  renderPreviewPage,
  restorePreviewState,
} from '../../../client/src/preview-html';
import { DiskReader } from '../../../server/src/base/disk-reader';
import { analyzeFile } from '../../../server/src/cli/analyze-file';
import { previewFor } from '../../../server/src/lsp/requests';
import type { PreviewAnswer } from '../../../server/src/lsp/protocol';
import { launchChromium, type TruthBrowser } from '../../truth/chromium/browser';

const artifacts =
  process.env.CORS_LENS_E2E_ARTIFACTS ?? path.join(os.tmpdir(), 'cors-lens-e2e-screenshots');
const env = { nonce: 'cHJldmlldy1ub25jZQ==', cspSource: 'vscode-webview://test' };
const hostile = `</script><img src=x onerror=alert(1)>`;

const BASE = `CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = True
`;
const SETTINGS = `from .base import *

INSTALLED_APPS = ["corsheaders"]
MIDDLEWARE = ["corsheaders.middleware.CorsMiddleware"]

CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
`;

let dir: string;
let answer: PreviewAnswer;
let uri: string;

/** The answer the language server gives for a request from a site that is not on the list. */
async function previewOf(origin: string): Promise<PreviewAnswer> {
  const file = path.join(dir, 'proj', 'settings.py');
  const result = await analyzeFile(file, new DiskReader());
  assert.ok('analysis' in result, JSON.stringify(result));
  return previewFor(
    result.analysis!.policies,
    {
      uri: pathToFileURL(file).href,
      origin,
      path: '/api/me',
      method: 'PUT',
      headers: ['content-type: application/json'],
      credentials: true,
    },
    (f) => ({
      uri: pathToFileURL(f).href,
      version: null,
      document: TextDocument.create(
        pathToFileURL(f).href,
        'python',
        0,
        f.endsWith('base.py') ? BASE : SETTINGS,
      ),
    }),
  );
}

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cors-lens-preview-page-'));
  mkdirSync(path.join(dir, 'proj'));
  writeFileSync(path.join(dir, 'proj', '__init__.py'), '');
  writeFileSync(path.join(dir, 'proj', 'base.py'), BASE);
  writeFileSync(path.join(dir, 'proj', 'settings.py'), SETTINGS);
  uri = pathToFileURL(path.join(dir, 'proj', 'settings.py')).href;
  answer = await previewOf('https://evil.example');
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('preview page', () => {
  test('the answer says why an unlisted origin gets in: allow-all in the imported base.py', () => {
    assert.equal(answer.verdict.allowed, true);
    assert.deepEqual(
      answer.because.map((l) => `${l.label} ${l.message}`),
      ['base.py:1 Allowed: CORS_ALLOW_ALL_ORIGINS allows every origin'],
    );
    const sources = answer.sources.map((l) => l.label);
    assert.ok(sources.includes('base.py:1') && sources.includes('base.py:2'), sources.join(', '));
    assert.ok(
      sources.some((l) => l.startsWith('settings.py:')),
      sources.join(', '),
    );
  });

  test('verdict first, then the policy with its links, then both responses as tables', () => {
    const html = renderPreviewPage(
      { uri, answer, live: { url: 'http://127.0.0.1:8000/api/me', running: false } },
      env,
    );
    const at = (text: string) => {
      const i = html.indexOf(text);
      assert.ok(i !== -1, `page lacks ${text}`);
      return i;
    };
    const order = [
      at('<h2 class="verdict allowed">Allowed</h2>'),
      at('The policy that decided it'),
      at('Preflight: OPTIONS /api/me → 200'),
      at('Actual: PUT /api/me → 200'),
      at('id="compare"'),
    ];
    assert.deepEqual(
      [...order].sort((a, b) => a - b),
      order,
    );
    assert.match(html, /data-uri="file:[^"]*base\.py" data-line="0"/);
    assert.match(html, /<th>predicted by<\/th><td>django-cors-headers 3\.14\.0<\/td>/);
    assert.match(html, /<th>access-control-allow-origin<\/th><td>https:\/\/evil\.example<\/td>/i);
  });

  test('an Express `origin: true` policy reads "reflects any origin" in the policy table', async () => {
    const file = path.resolve(__dirname, '../../fixtures/cli/reflect/express-reflect.js');
    const result = await analyzeFile(file, new DiskReader());
    assert.ok('analysis' in result, JSON.stringify(result));
    const express = previewFor(result.analysis!.policies, {
      uri: pathToFileURL(file).href,
      origin: 'https://a.example',
      path: '/api/items',
      method: 'GET',
      headers: [],
      credentials: false,
    });
    const html = renderPreviewPage(
      { uri, answer: express, live: { url: '', running: false } },
      env,
    );
    assert.ok(html.includes('<tr><th>origins</th><td>reflects any origin</td></tr>'));
  });

  test("CSP default-src 'none', nonce on the style and the script, nothing loaded, values escaped", () => {
    const evil: PreviewAnswer = {
      ...answer,
      verdict: { ...answer.verdict, reasons: [hostile] },
      because: [{ ...answer.because[0], message: hostile }],
    };
    const html = renderPreviewPage(
      { uri, answer: evil, live: { url: hostile, running: false, problem: hostile } },
      env,
    );
    assert.ok(
      html.includes(
        `default-src 'none'; style-src ${env.cspSource} 'nonce-${env.nonce}'; script-src 'nonce-${env.nonce}';`.replace(
          /'/g,
          '&#39;',
        ),
      ),
    );
    assert.equal(html.match(/<script nonce=/g)?.length, 1);
    // Attribute values are escaped text: only attribute names count here.
    const tags = html.replace(/="[^"]*"/g, '=""');
    assert.ok(!/<[^>]*\s(src|href|action)=/.test(tags), 'no tag loads anything');
    assert.ok(!html.includes('<img'), 'a value is text');
  });

  test('while comparing the button is disabled and a status line shows', () => {
    const html = renderPreviewPage({ uri, answer, live: { url: 'http://x/', running: true } }, env);
    assert.match(html, /id="compare" disabled/);
    assert.ok(html.includes('Probing…'));
  });

  test('accepts file links and compare; rejects anything else', () => {
    assert.deepEqual(parsePreviewMessage({ type: 'compare', url: 'http://127.0.0.1:8000/' }), {
      type: 'compare',
      url: 'http://127.0.0.1:8000/',
    });
    assert.deepEqual(
      parsePreviewMessage({ type: 'open', uri: 'file:///a.py', line: 1, character: 0 }),
      {
        type: 'open',
        uri: 'file:///a.py',
        line: 1,
        character: 0,
      },
    );
    for (const bad of [
      { type: 'open', uri: 'command:workbench.action.terminal.new', line: 1, character: 0 },
      { type: 'open', uri: 'file:///a.py', line: -1, character: 0 },
      { type: 'compare' },
      { type: 'probe' },
      null,
      'compare',
    ])
      assert.equal(parsePreviewMessage(bad), undefined, JSON.stringify(bad));
  });

  test('a saved state restores without its running comparison; anything else is refused', () => {
    const live = { url: 'http://127.0.0.1:8000/api/me', running: true };
    const saved = JSON.parse(JSON.stringify({ uri, answer, live })) as unknown;
    assert.deepEqual(restorePreviewState(saved), {
      uri,
      answer,
      live: { ...live, running: false },
    });
    for (const bad of [
      { uri: 'command:x', answer, live },
      { uri, answer: { ...answer, request: null }, live },
      { uri, answer: { ...answer, request: { ...answer.request, origin: 1 } }, live },
      { uri },
      null,
    ])
      assert.equal(restorePreviewState(bad), undefined, JSON.stringify(bad).slice(0, 80));
  });
});

describe('preview page in Chromium', () => {
  let browser: TruthBrowser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  test('runs under its CSP, posts link and compare clicks; screenshot', async () => {
    const { page, console: messages } = browser;
    await page.addInitScript({
      content:
        'window.posted = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.posted.push(m), getState: () => undefined, setState: (s) => { window.saved = s; } });',
    });
    const html = renderPreviewPage(
      { uri, answer, live: { url: 'http://127.0.0.1:8000/api/me', running: false } },
      env,
    );
    await page.route('http://preview.test/', (route) =>
      route.fulfill({ contentType: 'text/html', body: html }),
    );
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto('http://preview.test/');
    await page.evaluate(
      "for (const [n, v] of Object.entries({'--vscode-font-family':'system-ui, sans-serif'," +
        "'--vscode-font-size':'13px','--vscode-editor-font-family':'monospace'," +
        "'--vscode-foreground':'#cccccc','--vscode-editor-background':'#1f1f1f'," +
        "'--vscode-descriptionForeground':'#9d9d9d'," +
        "'--vscode-input-background':'#313131','--vscode-input-foreground':'#cccccc'," +
        "'--vscode-button-background':'#0078d4','--vscode-button-foreground':'#ffffff'," +
        "'--vscode-errorForeground':'#f85149','--vscode-testing-iconPassed':'#73c991'," +
        "'--vscode-textLink-foreground':'#4daafc'})) " +
        'document.documentElement.style.setProperty(n, v);',
    );
    await page.locator('a[data-uri]').first().click();
    await page.click('#compare');
    const posted = (await page.evaluate('window.posted')) as { type: string }[];
    assert.deepEqual(
      posted.map((m) => m.type),
      ['open', 'compare'],
    );
    assert.deepEqual(posted[1], { type: 'compare', url: 'http://127.0.0.1:8000/api/me' });
    assert.deepEqual(
      messages.filter((m) => /Refused|Content Security Policy/i.test(m)),
      [],
    );
    assert.deepEqual(errors, []);
    // What the page saves for a reload is what the panel restores from.
    assert.equal(
      restorePreviewState(await page.evaluate('window.saved'))?.answer.verdict.allowed,
      true,
    );
    mkdirSync(artifacts, { recursive: true });
    const file = path.join(artifacts, 'preview-panel.png');
    await page.setViewportSize({ width: 1000, height: 900 });
    await page.screenshot({ path: file, fullPage: true });
    console.log(`preview panel screenshot: ${file}`);
  });
});
