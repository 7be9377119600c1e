/**
 * The probe panel's page in real headless Chromium, under its own CSP, with a stand-in for the
 * webview's `acquireVsCodeApi`: the nonce'd script runs (nothing is refused), the form posts the
 * messages the extension host expects, hostile header values stay text, and a screenshot is kept
 * (CORS_LENS_E2E_ARTIFACTS, else the temp folder).
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { renderProbePage } from '../../../client/src/probe-html';
import type { PanelState } from '../../../client/src/probe-state';
import type { ProbeAnswer } from '../../../server/src/lsp/probe-protocol';
import { probeReport } from '../../../server/src/probe';
import { launchChromium, type TruthBrowser } from '../../truth/chromium/browser';
import { startEdgeServer, type TestServer } from './edge-servers';

const artifacts =
  process.env.CORS_LENS_E2E_ARTIFACTS ?? path.join(os.tmpdir(), 'cors-lens-e2e-screenshots');

/** A few of VS Code's Dark Modern colours, so the screenshot looks like the editor. */
const theme: Record<string, string> = {
  '--vscode-font-family': 'system-ui, sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-editor-font-family': 'monospace',
  '--vscode-foreground': '#cccccc',
  '--vscode-editor-background': '#1f1f1f',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-input-background': '#313131',
  '--vscode-input-foreground': '#cccccc',
  '--vscode-button-background': '#0078d4',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-button-secondaryBackground': '#313131',
  '--vscode-button-secondaryForeground': '#cccccc',
  '--vscode-errorForeground': '#f85149',
  '--vscode-editorWarning-foreground': '#cca700',
  '--vscode-testing-iconPassed': '#73c991',
  '--vscode-textLink-foreground': '#4daafc',
  '--vscode-diffEditor-removedTextBackground': 'rgba(255, 0, 0, 0.2)',
};

describe('probe panel page in Chromium', () => {
  let browser: TruthBrowser;
  let edge: TestServer;
  before(async () => {
    browser = await launchChromium();
    edge = await startEdgeServer();
  });
  after(async () => {
    await browser?.close();
    await edge?.close();
  });

  test('runs under its CSP, posts the form and links, keeps values as text; screenshot', async () => {
    const report = await probeReport(
      {
        url: `${edge.url}/reflect`,
        origin: 'https://app.example.com',
        credentials: true,
        headers: ['x-evil: <img src=x onerror=alert(1)>'],
      },
      { sweep: true },
    );
    const answer: ProbeAnswer = {
      ...report,
      links: [
        {
          message: 'Allowed: every origin is reflected (CORS_ALLOW_ALL_ORIGINS)',
          uri: 'file:///w/settings.py',
          line: 11,
          character: 0,
          label: 'settings.py:12',
        },
      ],
      policyFile: 'settings.py',
    };
    const state: PanelState = {
      rev: 3,
      form: {
        url: `${edge.url}/reflect`,
        origin: 'https://app.example.com',
        method: 'GET',
        headers: 'x-evil: <img src=x onerror=alert(1)>',
        credentials: true,
      },
      origins: ['https://app.example.com'],
      running: false,
      sweep: true,
      answer,
    };
    const { page, console: messages } = browser;
    // A string, not a function: tsx's transform would add helpers the page does not have.
    await page.addInitScript({
      content:
        'window.posted = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.posted.push(m), getState: () => window.saved, setState: (s) => { window.saved = s; } });',
    });
    // Served by navigation (not setContent) so the init script above runs first, as in a webview.
    const html = renderProbePage(state, {
      nonce: 'dGVzdC1ub25jZS0xMjM0',
      cspSource: 'vscode-webview://test',
    });
    await page.route('http://panel.test/', (route) =>
      route.fulfill({ contentType: 'text/html', body: html }),
    );
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto('http://panel.test/');
    // The webview's host sets these on <html>; CSSOM writes are not subject to the page's CSP.
    const setVars = Object.entries(theme).map(
      ([name, value]) =>
        `document.documentElement.style.setProperty(${JSON.stringify(name)}, ${JSON.stringify(value)});`,
    );
    await page.evaluate(setVars.join('\n'));

    assert.equal(
      await page.evaluate('window.saved && window.saved.rev'),
      3,
      'the nonce script ran and saved its state',
    );
    assert.equal(await page.locator('img').count(), 0, 'a header value is text, not markup');
    await page.click('button[name=sweep]');
    await page.click('a[data-uri]');
    const posted = await page.evaluate('window.posted');
    assert.deepEqual(posted, [
      { type: 'probe', form: state.form, sweep: true },
      { type: 'open', uri: 'file:///w/settings.py', line: 11, character: 0 },
    ]);
    assert.deepEqual(
      messages.filter((m) => /Refused|Content Security Policy/i.test(m)),
      [],
    );
    assert.deepEqual(errors, []);

    mkdirSync(artifacts, { recursive: true });
    const file = path.join(artifacts, 'probe-panel.png');
    await page.setViewportSize({ width: 1100, height: 900 });
    await page.screenshot({ path: file, fullPage: true });
    console.log(`probe panel screenshot: ${file}`);
  });
});
