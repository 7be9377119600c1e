/** The probe panel's pure parts: the page it renders and the webview messages it accepts. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderProbePage } from '../../../client/src/probe-html';
import {
  formToParams,
  parseWebviewMessage,
  restoreState,
  untrustedProblem,
  type PanelState,
} from '../../../client/src/probe-state';
import type { ProbeAnswer } from '../../../server/src/lsp/probe-protocol';

const env = { nonce: 'bm9uY2Utb2YtdGVzdA==', cspSource: 'vscode-webview://abc' };
const form = {
  url: 'http://127.0.0.1:8000/api/items',
  origin: 'https://app.example.com',
  method: 'PUT',
  headers: 'x-session-token: t',
  credentials: true,
};
const hostile = `</script><script>alert(1)</script><img src="https://evil.example/x.png" onerror=alert(2)>`;

function answer(): ProbeAnswer {
  const sent = {
    method: 'GET',
    path: '/api/items',
    headers: [['Origin', 'https://app.example.com']] as [string, string][],
  };
  return {
    request: {
      url: form.url,
      origin: form.origin,
      method: 'GET',
      headers: [],
      credentials: 'include',
    },
    preflight: { needed: false },
    actual: {
      sent,
      status: 200,
      statusText: 'OK',
      headers: [
        ['X-Evil', hostile],
        ['Access-Control-Allow-Origin', 'https://app.example.com'],
      ],
      bodyBytes: 3,
      bodyTruncated: false,
      timing: { headersMs: 3, totalMs: 4 },
    },
    verdict: {
      allowed: false,
      stage: 'actual',
      reasons: [`blocked because ${hostile}`],
      readableHeaders: [],
      warnings: [],
    },
    notes: [],
    timing: { totalMs: 5 },
    links: [
      {
        message: 'x-session-token is not in CORS_ALLOW_HEADERS',
        uri: 'file:///w/settings.py',
        line: 41,
        character: 0,
        label: 'settings.py:42',
      },
    ],
    sweep: [
      {
        origin: 'https://cors-lens-attacker.test',
        kind: 'arbitrary',
        description: 'an arbitrary origin',
        status: 200,
        allowOrigin: hostile,
        allowCredentials: 'true',
        readableWithCredentials: true,
        readableWithoutCredentials: true,
        risk: 'high',
      },
    ],
    policyFile: 'settings.py',
  };
}

const state = (over: Partial<PanelState> = {}): PanelState => ({
  rev: 1,
  form,
  origins: ['https://app.example.com'],
  running: false,
  sweep: false,
  ...over,
});

describe('probe panel page', () => {
  const html = renderProbePage(state({ answer: answer() }), env);

  test('a CSP with default-src none and the nonce on the one style and the one script', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    assert.equal(
      csp,
      `default-src &#39;none&#39;; style-src vscode-webview://abc &#39;nonce-${env.nonce}&#39;; script-src &#39;nonce-${env.nonce}&#39;;`,
    );
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
    assert.deepEqual(scripts, [' type="application/json" id="state"', ` nonce="${env.nonce}"`]);
    assert.match(html, new RegExp(`<style nonce="${env.nonce}">`));
  });

  test('loads nothing: no tag has a src, href or action attribute, no CSS url()', () => {
    // Text is escaped, so every `<` starts a tag the page itself wrote.
    const tags = html.match(/<[^>]*>/g) ?? [];
    assert.ok(tags.length > 20);
    for (const tag of tags) assert.doesNotMatch(tag, /\s(src|href|action|srcset|poster)=/i, tag);
    assert.doesNotMatch(html, /url\(/i);
    assert.doesNotMatch(html, /@import/i);
  });

  test('header values, reasons and sweep values are escaped', () => {
    const body = html.slice(0, html.indexOf('<script type="application/json"'));
    assert.ok(!body.includes(hostile));
    assert.ok(body.includes('&#60;/script&#62;&#60;script&#62;alert(1)&#60;/script&#62;'));
    assert.equal((html.match(/<script/g) ?? []).length, 2, 'no script element from a value');
    const json =
      /<script type="application\/json" id="state">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    assert.ok(!json.includes('</script'), 'the state JSON cannot close its element');
    assert.deepEqual(JSON.parse(json).answer.actual.headers[0], ['X-Evil', hostile]);
  });

  test('links carry the file position; the sweep and the verdict are shown', () => {
    assert.match(
      html,
      /<a data-uri="file:\/\/\/w\/settings\.py" data-line="41" data-character="0">settings\.py:42<\/a> — x-session-token is not in CORS_ALLOW_HEADERS/,
    );
    assert.match(
      html,
      /<td class="origin">https:\/\/cors-lens-attacker\.test<\/td><td>readable with credentials <span class="muted">\(Allow-Origin: [^<]*\)<\/span><\/td><td class="risk-high">high<\/td>/,
    );
    assert.match(html, /<h2 class="blocked">Blocked at the actual<\/h2>/);
    // One line on top says both the verdict and what the sweep found.
    assert.match(
      html,
      /<p id="summary" class="summary level-high">Blocked for your origin at the actual — 1 attacker origin can read credentialed responses: high risk<\/p>/,
    );
  });

  test('while running: disabled buttons, a cancel button and a status line, never without one', () => {
    const running = renderProbePage(state({ running: true }), env);
    assert.match(running, /Probing… \(each request times out after 5 s\)/);
    assert.match(running, /<button type="button" id="cancel"/);
    assert.match(running, /name="probe" disabled/);
    assert.match(
      renderProbePage(state({ problem: 'Cancelled.' }), env),
      /<p class="status problem">Cancelled\.<\/p>/,
    );
  });
});

describe('probe panel messages', () => {
  test('accepts the three messages, with their fields checked', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'probe', form, sweep: true }), {
      type: 'probe',
      form,
      sweep: true,
    });
    assert.deepEqual(
      parseWebviewMessage({ type: 'open', uri: 'file:///w/settings.py', line: 3, character: 0 }),
      { type: 'open', uri: 'file:///w/settings.py', line: 3, character: 0 },
    );
    assert.deepEqual(parseWebviewMessage({ type: 'cancel' }), { type: 'cancel' });
  });

  test('rejects anything else: other types, missing fields, non-file links', () => {
    for (const m of [
      null,
      'probe',
      { type: 'probe' },
      { type: 'probe', form: { ...form, credentials: 'yes' } },
      { type: 'open', uri: 'command:workbench.action.terminal.new', line: 0, character: 0 },
      { type: 'open', uri: 'https://evil.example', line: 0, character: 0 },
      { type: 'open', uri: 'file:///x', line: -1, character: 0 },
      { type: 'run' },
    ]) {
      assert.equal(parseWebviewMessage(m), undefined, JSON.stringify(m));
    }
  });

  test('a form becomes probe params; bad forms say what is wrong', () => {
    assert.deepEqual(
      formToParams({ ...form, headers: 'a: 1\r\n\n b \n' }, true, 'file:///w/settings.py', true),
      {
        url: form.url,
        origin: form.origin,
        method: 'PUT',
        headers: ['a: 1', 'b'],
        credentials: true,
        sweep: true,
        uri: 'file:///w/settings.py',
      },
    );
    assert.match(
      (
        formToParams({ ...form, url: 'localhost:8000' }, false, undefined, true) as {
          problem: string;
        }
      ).problem,
      /URL of the running server/,
    );
    assert.match(
      (formToParams({ ...form, origin: ' ' }, false, undefined, true) as { problem: string })
        .problem,
      /origin/,
    );
    assert.match(
      (formToParams({ ...form, method: 'GE T' }, false, undefined, true) as { problem: string })
        .problem,
      /not an HTTP method/,
    );
  });

  test('nothing is sent from an untrusted workspace: the form is refused at send time', () => {
    assert.equal(
      (formToParams(form, false, undefined, false) as { problem: string }).problem,
      untrustedProblem,
    );
    assert.equal(
      (formToParams(form, true, 'file:///w/settings.py', false) as { problem: string }).problem,
      untrustedProblem,
    );
  });

  test('a panel restored in an untrusted workspace says why it will not probe', () => {
    const restored = restoreState(state({ answer: answer() }), false);
    assert.equal(restored?.problem, untrustedProblem);
    assert.equal(restored?.running, false);
    assert.equal(restoreState(state(), true)?.problem, undefined);
  });

  test('a saved state is restored; one saved mid-probe is not left running', () => {
    const restored = restoreState({ ...state({ running: true, answer: answer() }) });
    assert.equal(restored?.running, false);
    assert.equal(restored?.answer, undefined);
    assert.match(restored?.problem ?? '', /interrupted/);
    assert.equal(restoreState({ form: { url: 1 } }), undefined);
    assert.deepEqual(restoreState(state())?.form, form);
  });
});
