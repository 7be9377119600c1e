/**
 * The probe panel's HTML, built from its state alone (pure: no VS Code import, unit-tested).
 * Every value from the server or the user is escaped; the page loads nothing (CSP
 * `default-src 'none'`, style and the one script by nonce) and is themed with VS Code's CSS
 * variables. The script only reads the form and posts messages; the extension host does the rest.
 */
import { byRisk } from '../../server/src/probe/sweep';
import type { CompareRow, Exchange, ResponseComparison } from '../../server/src/probe';
import type { ProbeAnswer, ProbeSourceLink } from '../../server/src/lsp/probe-protocol';
import type { PanelState } from './probe-state';
import { groupLinks, probeSummary, sweepResult } from './probe-summary';

const linkTag = (l: ProbeSourceLink) =>
  `<a data-uri="${esc(l.uri)}" data-line="${l.line}" data-character="${l.character}">${esc(l.label)}</a>`;
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** What the page needs from the webview: the nonce for its style and script, the CSP source. */
export interface PageEnv {
  nonce: string;
  cspSource: string;
}

/** The pages' CSP: nothing loaded; style and script only by the page's nonce. */
export const pageCsp = (env: PageEnv): string =>
  `default-src 'none'; style-src ${env.cspSource} 'nonce-${env.nonce}'; script-src 'nonce-${env.nonce}';`;

/** Escapes text for HTML content and attribute values. */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

export const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 1rem 2rem; }
h2 { font-size: 1.1em; margin: 1.4em 0 .5em; border-bottom: 1px solid var(--vscode-panel-border, transparent); }
form { display: grid; grid-template-columns: max-content 1fr; gap: .4rem .8rem; align-items: center; max-width: 60rem; }
label { color: var(--vscode-descriptionForeground); }
input[type=text], textarea { font-family: var(--vscode-editor-font-family); color: var(--vscode-input-foreground); background: var(--vscode-input-background); border: 1px solid var(--vscode-input-border, transparent); padding: 3px 5px; }
textarea { min-height: 3.5em; }
.buttons { grid-column: 2; display: flex; gap: .5rem; }
button { color: var(--vscode-button-foreground); background: var(--vscode-button-background); border: none; padding: 4px 12px; cursor: pointer; }
button:hover { background: var(--vscode-button-hoverBackground); }
button.secondary { color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground); }
button:disabled { opacity: .5; cursor: default; }
.status { margin-top: 1rem; }
.problem, .blocked { color: var(--vscode-errorForeground); }
.allowed { color: var(--vscode-testing-iconPassed, var(--vscode-foreground)); }
.warning { color: var(--vscode-editorWarning-foreground); }
table { border-collapse: collapse; font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); }
th, td { text-align: left; vertical-align: top; padding: 2px 10px 2px 0; }
th { color: var(--vscode-descriptionForeground); font-weight: normal; }
tr.diff td { background: var(--vscode-diffEditor-removedTextBackground, rgba(255,0,0,.15)); }
td.risk-high { color: var(--vscode-errorForeground); font-weight: bold; }
td.risk-medium { color: var(--vscode-editorWarning-foreground); font-weight: bold; }
pre { font-family: var(--vscode-editor-font-family); white-space: pre-wrap; word-break: break-all; margin: .2em 0; }
a { color: var(--vscode-textLink-foreground); cursor: pointer; }
.muted { color: var(--vscode-descriptionForeground); }
p.summary { font-size: 1.2em; font-weight: bold; margin: 1rem 0 .2rem; padding: .4rem .6rem; border-left: 4px solid currentColor; }
.level-high, .level-blocked { color: var(--vscode-errorForeground); }
.level-medium { color: var(--vscode-editorWarning-foreground); }
.level-allowed { color: var(--vscode-testing-iconPassed, var(--vscode-foreground)); }
table.sweep { table-layout: fixed; width: 100%; max-width: 70rem; }
table.sweep td { padding-top: 1px; padding-bottom: 1px; line-height: 1.3; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
table.sweep td.origin { white-space: normal; word-break: break-all; }
col.c-origin { width: 42%; } col.c-result { width: 30%; } col.c-risk { width: 8%; } col.c-cause { width: 20%; }
`;

/** Reads the form, posts the user's actions, and keeps typed values across a reload of the page. */
const SCRIPT = `
const vscode = acquireVsCodeApi();
const state = JSON.parse(document.getElementById('state').textContent);
const form = document.getElementById('form');
const read = () => ({ url: form.url.value, origin: form.origin.value, method: form.method.value, headers: form.headers.value, credentials: form.credentials.checked });
const saved = vscode.getState();
if (saved && saved.rev === state.rev && saved.form) {
  form.url.value = saved.form.url; form.origin.value = saved.form.origin; form.method.value = saved.form.method;
  form.headers.value = saved.form.headers; form.credentials.checked = saved.form.credentials;
}
const save = () => vscode.setState({ ...state, form: read() });
save();
form.addEventListener('input', save);
form.addEventListener('submit', (event) => {
  event.preventDefault();
  vscode.postMessage({ type: 'probe', form: read(), sweep: !!(event.submitter && event.submitter.name === 'sweep') });
});
document.addEventListener('click', (event) => {
  const link = event.target.closest('[data-uri]');
  if (link) { event.preventDefault(); vscode.postMessage({ type: 'open', uri: link.dataset.uri, line: Number(link.dataset.line), character: Number(link.dataset.character) }); }
  if (event.target.closest('#cancel')) vscode.postMessage({ type: 'cancel' });
});
`;

/** JSON inside a script element: `<` escaped so no value can close the element. */
export const scriptJson = (value: unknown) =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

function formSection(state: PanelState): string {
  const { form, running } = state;
  const origins = state.origins
    .map((o) => `<option value="${esc(o)}">allowlisted</option>`)
    .join('');
  const methods = METHODS.map((m) => `<option value="${m}"></option>`).join('');
  const disabled = running ? ' disabled' : '';
  return `<form id="form">
<label for="url">URL</label><input type="text" id="url" name="url" value="${esc(form.url)}" spellcheck="false">
<label for="origin">Origin</label><input type="text" id="origin" name="origin" list="origins" value="${esc(form.origin)}" spellcheck="false"><datalist id="origins">${origins}</datalist>
<label for="method">Method</label><input type="text" id="method" name="method" list="methods" value="${esc(form.method)}" spellcheck="false"><datalist id="methods">${methods}</datalist>
<label for="headers">Headers</label><textarea id="headers" name="headers" placeholder="one per line: x-session-token: abc" spellcheck="false">${esc(form.headers)}</textarea>
<label for="credentials">Credentials</label><span><input type="checkbox" id="credentials" name="credentials"${form.credentials ? ' checked' : ''}> <label for="credentials">credentials: 'include' (cookies are sent only if you add a Cookie header)</label></span>
<span class="buttons"><button type="submit" name="probe"${disabled}>Probe</button><button type="submit" name="sweep" class="secondary"${disabled}>Probe + sweep attacker origins</button>${running ? '<button type="button" id="cancel" class="secondary">Cancel</button>' : ''}</span>
</form>`;
}

export function headerTable(headers: [string, string][]): string {
  if (!headers.length) return '<p class="muted">(no headers)</p>';
  return `<table>${headers.map(([n, v]) => `<tr><th>${esc(n)}</th><td>${esc(v)}</td></tr>`).join('')}</table>`;
}

function exchangeSection(title: string, ex: Exchange): string {
  return `<h2>${esc(title)}: ${esc(ex.sent.method)} ${esc(ex.sent.path)} → ${esc(ex.status)} ${esc(ex.statusText)} <span class="muted">(${esc(ex.timing.headersMs)} ms)</span></h2>
<details><summary class="muted">request sent</summary>${headerTable(ex.sent.headers)}</details>
${headerTable(ex.headers)}`;
}

function verdictSection(answer: ProbeAnswer): string {
  const v = answer.verdict;
  const out: string[] = [];
  if (answer.error)
    out.push(
      `<p class="problem">No usable answer at the ${esc(answer.error.stage)}: ${esc(answer.error.message)}</p>`,
    );
  if (v) {
    out.push(
      `<h2 class="${v.allowed ? 'allowed' : 'blocked'}">${v.allowed ? 'Allowed' : `Blocked at the ${esc(v.stage)}`}</h2>`,
    );
    out.push(
      `<ul>${v.reasons.map((r) => `<li>${esc(r)}</li>`).join('')}${v.warnings.map((w) => `<li class="warning">${esc(w)}</li>`).join('')}</ul>`,
    );
    if (v.allowed)
      out.push(
        `<p class="muted">Script can read: ${esc(v.readableHeaders.join(', ') || 'no response headers')}</p>`,
      );
  }
  const { own, groups } = groupLinks(answer.links);
  if (own.length)
    out.push(`<ul>${own.map((l) => `<li>${linkTag(l)} — ${esc(l.message)}</li>`).join('')}</ul>`);
  if (groups.length)
    out.push(
      `<h3>Why the sweep's origins get in</h3><ul>${groups
        .map(
          (g) =>
            `<li>${linkTag(g.link)} — ${esc(plural(g.origins.length, 'origin'))} ${esc(g.cause.replace(/^gets in/, 'get in'))}: <span class="muted">${esc(g.origins.join(', '))}</span></li>`,
        )
        .join('')}</ul>`,
    );
  if (answer.notes.length)
    out.push(`<ul class="muted">${answer.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`);
  out.push(`<p class="muted">Total ${esc(answer.timing.totalMs)} ms</p>`);
  return out.join('\n');
}

const cell = (values: string[]) =>
  values.length ? values.map((v) => esc(v)).join('<br>') : '<span class="muted">—</span>';
const compareRow = (r: CompareRow) =>
  `<tr${r.same ? '' : ' class="diff"'}><th>${esc(r.name)}</th><td>${cell(r.predicted)}</td><td>${cell(r.real)}</td></tr>`;
const status = (s: number | undefined) => (s === undefined ? '—' : esc(s));

/** Where a prediction was computed: `settings.py, production` (as written when no environment). */
const predictedFrom = (answer: ProbeAnswer, environment?: string) =>
  `${answer.policyFile ?? 'policy'}, ${environment || 'as written'}`;

function compareSection(answer: ProbeAnswer, environment?: string): string {
  const c = answer.compare;
  if (!c) return '';
  const table = (r: ResponseComparison) =>
    `<h3>${esc(r.stage)}${r.same ? '' : ' <span class="warning">(differs)</span>'}</h3>
<table><tr><th></th><th>predicted (${esc(predictedFrom(answer, environment))})</th><th>live server</th></tr>
<tr${r.predictedStatus === r.realStatus ? '' : ' class="diff"'}><th>status</th><td>${status(r.predictedStatus)}</td><td>${status(r.realStatus)}</td></tr>
${r.rows.map(compareRow).join('\n')}</table>`;
  const where = environment ? ` in ${esc(environment)}` : '';
  const verdict = c.verdictSame
    ? `The live server behaves as the policy predicts${where}.`
    : `The live server differs from the policy in ${esc(answer.policyFile ?? 'the workspace')}${where}: predicted ${c.predicted.verdict.allowed ? 'allowed' : 'blocked'}.`;
  return `<h2>Compared with the prediction${environment ? ` for <span class="environment">${esc(environment)}</span>` : ''}</h2><p class="${c.verdictSame ? 'muted' : 'warning'}">${verdict}</p>${c.responses.map(table).join('\n')}`;
}

function sweepSection(answer: ProbeAnswer): string {
  const rows = answer.sweep;
  if (!rows) return '';
  const { byOrigin } = groupLinks(answer.links);
  const body = byRisk(rows)
    .map((r) => {
      const group = byOrigin.get(r.origin);
      const seen =
        r.allowOrigin === undefined
          ? ''
          : r.allowOrigin === r.origin
            ? ' <span class="muted">(reflected)</span>'
            : ` <span class="muted">(Allow-Origin: ${esc(r.allowOrigin)})</span>`;
      const cause = group ? linkTag(group.link) : '<span class="muted">—</span>';
      return (
        `<tr><td class="origin">${esc(r.origin)}</td><td>${esc(sweepResult(r))}${seen}</td>` +
        `<td class="risk-${esc(r.risk)}">${esc(r.risk)}</td><td>${cause}</td></tr>`
      );
    })
    .join('\n');
  return `<h2>Sweep: ${rows.length} origins</h2><table class="sweep"><colgroup><col class="c-origin"><col class="c-result"><col class="c-risk"><col class="c-cause"></colgroup><tr><th>origin</th><th>result</th><th>risk</th><th>cause</th></tr>\n${body}</table>`;
}

function resultSection(state: PanelState): string {
  if (state.running)
    return `<p class="status">Probing${state.sweep ? ' and sweeping' : ''}… (each request times out after 5 s)</p>`;
  if (state.problem) return `<p class="status problem">${esc(state.problem)}</p>`;
  const a = state.answer;
  if (!a)
    return '<p class="status muted">Start your dev server, then Probe: CORS Lens sends the preflight a browser would, then the actual request, and shows what came back.</p>';
  const summary = probeSummary(a);
  const stale =
    a.compare && (state.predictedIn ?? '') !== (state.environment ?? '')
      ? `<p class="status warning" id="stale">The prediction below is for ${esc(state.predictedIn || 'the code as written')}; probe again to compare with ${esc(state.environment || 'the code as written')}.</p>`
      : '';
  return [
    `<p id="summary" class="summary level-${summary.level}">${esc(summary.text)}</p>`,
    stale,
    liveAnswerSection(a, state.predictedIn),
    sweepSection(a),
  ].join('\n');
}

/**
 * A probe's answer without the sweep: verdict and links, both exchanges, the comparison with the
 * prediction computed in `environment` (absent: as written).
 */
export function liveAnswerSection(a: ProbeAnswer, environment?: string): string {
  const preflight = a.preflight.needed
    ? 'status' in a.preflight
      ? exchangeSection('Preflight', a.preflight)
      : '<h2>Preflight: no answer</h2>'
    : '<h2>Preflight: not needed</h2>';
  const actual = a.actual
    ? exchangeSection('Actual', a.actual)
    : `<h2>Actual: ${a.error ? 'no answer' : 'not sent (the browser stops before it)'}</h2>`;
  return [verdictSection(a), preflight, actual, compareSection(a, environment)].join('\n');
}

/** The whole page for `state`. */
export function renderProbePage(state: PanelState, env: PageEnv): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${esc(pageCsp(env))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>CORS Lens: Probe</title>
<style nonce="${esc(env.nonce)}">${STYLE}</style>
</head><body>
${formSection(state)}
${resultSection(state)}
<script type="application/json" id="state">${scriptJson(state)}</script>
<script nonce="${esc(env.nonce)}">${SCRIPT}</script>
</body></html>`;
}
