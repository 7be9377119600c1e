/**
 * The preview panel's HTML, built from its state alone (pure: no VS Code import, unit-tested), under
 * the probe panel's rules: every value escaped, nothing loaded (CSP `default-src 'none'`, style
 * and the one script by nonce), themed with VS Code's CSS variables. The script only posts the
 * user's clicks (open a line, compare with the live server); the extension host does the rest.
 */
import type { PreviewAnswer } from '../../server/src/lsp/protocol';
import { messageFields, parseOpenMessage, type OpenMessage } from './page-messages';
import type { ProbeAnswer, ProbeSourceLink } from '../../server/src/lsp/probe-protocol';
import {
  esc,
  pageCsp,
  headerTable,
  liveAnswerSection,
  scriptJson,
  STYLE,
  type PageEnv,
} from './probe-html';

/** The live comparison run in place ("Compare with live server"). */
export interface LiveState {
  /** The dev server's URL the probe goes to (guessed from the workspace; editable). */
  url: string;
  running: boolean;
  answer?: ProbeAnswer;
  problem?: string;
}

/** Everything the preview page shows; the page keeps it (setState) so a reload can restore it. */
export interface PreviewPageState {
  /** The document whose policy answered (`file:` URI). */
  uri: string;
  answer: PreviewAnswer;
  live: LiveState;
  /** The environment the policy was read in (absent or empty: as written). */
  environment?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * The state a reloaded page saved, when it has the preview's shape (the page is untrusted input:
 * only a `file:` document and an answer with its request are taken); a comparison that was running
 * is not, and its result is dropped.
 */
export function restorePreviewState(value: unknown): PreviewPageState | undefined {
  if (!isObject(value) || typeof value.uri !== 'string' || !value.uri.startsWith('file:'))
    return undefined;
  const { answer, live } = value;
  if (!isObject(answer) || !isObject(answer.request) || !isObject(answer.policy)) return undefined;
  const r = answer.request;
  if (typeof r.origin !== 'string' || typeof r.url !== 'string' || typeof r.method !== 'string')
    return undefined;
  const url = isObject(live) && typeof live.url === 'string' ? live.url : '';
  const environment = typeof value.environment === 'string' ? value.environment : '';
  return {
    uri: value.uri,
    answer: answer as unknown as PreviewAnswer,
    live: { url, running: false },
    ...(environment ? { environment } : {}),
  };
}

/** A message from the preview page. */
export type PreviewMessage = OpenMessage | { type: 'compare'; url: string };

/** The message, when it is one the page sends; undefined for anything else (untrusted input). */
export function parsePreviewMessage(value: unknown): PreviewMessage | undefined {
  const m = messageFields(value);
  if (!m) return undefined;
  const open = parseOpenMessage(m);
  if (open) return open;
  if (m.type === 'compare' && typeof m.url === 'string') return { type: 'compare', url: m.url };
  return undefined;
}

const PREVIEW_STYLE = `
h1 { font-size: 1.3em; margin: 1em 0 .2em; font-weight: normal; font-family: var(--vscode-editor-font-family); }
h2.verdict { font-size: 1.4em; border: none; margin-top: .6em; }
th { white-space: nowrap; }
ul.links { padding-left: 1.2em; }
.live { margin-top: 1.6em; padding-top: .4em; border-top: 1px solid var(--vscode-panel-border, transparent); }
.live input { width: 28rem; max-width: 70%; }
`;

/** Posts clicks on links and the compare button. */
const SCRIPT = `
const vscode = acquireVsCodeApi();
const state = JSON.parse(document.getElementById('state').textContent);
vscode.setState(state);
document.addEventListener('click', (event) => {
  const link = event.target.closest('[data-uri]');
  if (link) { event.preventDefault(); vscode.postMessage({ type: 'open', uri: link.dataset.uri, line: Number(link.dataset.line), character: Number(link.dataset.character) }); }
  if (event.target.closest('#compare')) vscode.postMessage({ type: 'compare', url: document.getElementById('live-url').value });
});
`;

const link = (l: ProbeSourceLink) =>
  `<li><a data-uri="${esc(l.uri)}" data-line="${l.line}" data-character="${l.character}">${esc(l.label)}</a> — ${esc(l.message)}</li>`;
/** Source links as a list; a click posts `open` (the pages' scripts handle `[data-uri]`). */
export const links = (list: ProbeSourceLink[]) =>
  list.length ? `<ul class="links">${list.map(link).join('')}</ul>` : '';

const names = (l: { names: string[]; wildcard: boolean; dynamic: boolean }, none: string) =>
  (l.wildcard ? '*' : l.names.join(', ') || none) + (l.dynamic ? ' (partly dynamic)' : '');

function originsText(answer: PreviewAnswer): string {
  const o = answer.policy.origins;
  if (o.allowAll) return 'every origin (*)';
  const listed = [...o.exact, ...o.regexes.map((r) => `/${r.pattern}/`)];
  const text = o.reflectAny ? 'reflects any origin' : listed.join(', ') || 'none';
  return (
    text + (o.dynamic ? ' (partly dynamic)' : '') + (o.envDriven ? ' (from the environment)' : '')
  );
}

function policySection(answer: PreviewAnswer): string {
  const p = answer.policy;
  const rows: [string, string][] = [
    ['origins', originsText(answer)],
    ['credentials', String(p.credentials)],
    ['methods', names(p.methods, "the library's default")],
    ['request headers', names(p.headers, "the library's default")],
    ['exposed headers', names(p.expose, 'none')],
    ['max age', p.maxAge === null ? 'not set' : String(p.maxAge)],
    ['predicted by', answer.model],
  ];
  const files = [...new Set(answer.sources.map((s) => s.label.replace(/:\d+$/, '')))];
  return `<h2>The policy that decided it: ${esc(answer.policyFile)} <span class="muted">(${esc(p.framework)}${files.length > 1 ? `, read from ${esc(files.join(', '))}` : ''})</span></h2>
<table class="summary">${rows.map(([n, v]) => `<tr><th>${esc(n)}</th><td>${esc(v)}</td></tr>`).join('')}</table>
<h3>Where it is written</h3>${links(answer.sources) || '<p class="muted">No line of the policy could be located.</p>'}`;
}

function responseSections(answer: PreviewAnswer): string {
  const { request, preflight, actual } = answer;
  const path = new URL(request.url).pathname + new URL(request.url).search;
  const out: string[] = [];
  out.push(
    preflight.needed
      ? `<h2>Preflight: OPTIONS ${esc(path)} → ${esc(preflight.status)}</h2>${headerTable(preflight.headers)}`
      : '<h2>Preflight: not needed</h2><p class="muted">A simple request: the browser sends it directly.</p>',
  );
  out.push(
    actual
      ? `<h2>Actual: ${esc(request.method)} ${esc(path)} → ${esc(actual.status)}</h2>${headerTable(actual.headers)}`
      : '<h2>Actual: not sent</h2><p class="muted">The browser stops before the actual request.</p>',
  );
  return out.join('\n');
}

function verdictSection(answer: PreviewAnswer, environment = ''): string {
  const { request, verdict } = answer;
  const headers = request.headers.length
    ? `headers ${request.headers.map(([n]) => n).join(', ')}`
    : 'no custom headers';
  const out = [
    `<h1>${esc(request.method)} ${esc(new URL(request.url).pathname)}</h1>`,
    `<p class="muted">From ${esc(request.origin)}, credentials ${esc(request.credentials)}, ${esc(headers)}; predicted from ${esc(answer.policyFile)} ${environment ? `in <strong class="environment">${esc(environment)}</strong>` : '<span class="environment">as written</span>'}.</p>`,
    `<h2 class="verdict ${verdict.allowed ? 'allowed' : 'blocked'}">${verdict.allowed ? 'Allowed' : `Blocked at the ${esc(verdict.stage)}`}</h2>`,
    `<ul>${verdict.reasons.map((r) => `<li>${esc(r)}</li>`).join('')}${verdict.warnings.map((w) => `<li class="warning">${esc(w)}</li>`).join('')}</ul>`,
  ];
  if (answer.because.length) out.push('<h3>Because</h3>', links(answer.because));
  if (verdict.allowed)
    out.push(
      `<p class="muted">Script can read: ${esc(verdict.readableHeaders.join(', ') || 'no response headers')}</p>`,
    );
  return out.join('\n');
}

function liveSection(live: LiveState, environment?: string): string {
  const disabled = live.running ? ' disabled' : '';
  const form = `<h2>Compare with the live server</h2>
<p><input type="text" id="live-url" value="${esc(live.url)}" spellcheck="false" aria-label="Dev server URL"> <button type="button" id="compare"${disabled}>Compare with live server</button></p>`;
  let result = '';
  if (live.running) result = '<p class="status">Probing… (each request times out after 5 s)</p>';
  else if (live.problem) result = `<p class="status problem">${esc(live.problem)}</p>`;
  else if (live.answer) result = liveAnswerSection(live.answer, environment);
  else
    result =
      '<p class="muted">Start your dev server, then compare: CORS Lens sends the same preflight and request and shows what came back beside this prediction.</p>';
  return `<section class="live" id="live">${form}${result}</section>`;
}

/** The whole page for `state`. */
export function renderPreviewPage(state: PreviewPageState, env: PageEnv): string {
  const { answer } = state;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${esc(pageCsp(env))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>CORS Lens: Preview</title>
<style nonce="${esc(env.nonce)}">${STYLE}${PREVIEW_STYLE}</style>
</head><body>
${verdictSection(answer, state.environment)}
${policySection(answer)}
${responseSections(answer)}
${liveSection(state.live, state.environment)}
<script type="application/json" id="state">${scriptJson(state)}</script>
<script nonce="${esc(env.nonce)}">${SCRIPT}</script>
</body></html>`;
}
