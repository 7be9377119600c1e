/**
 * The explain panel's HTML ("CORS Lens: Explain a CORS Error…"), built from the server's answer
 * alone (pure: unit-tested) under the probe and preview panels' rules: every value escaped,
 * nothing loaded (CSP `default-src 'none'`, style and script by nonce), themed with VS Code's CSS
 * variables. The script only posts clicks: open a line, apply an item's fix.
 */
import type { ExplainAnswer, ExplainItem } from '../../server/src/lsp/explain-protocol';
import { esc, pageCsp, scriptJson, STYLE, type PageEnv } from './probe-html';
import { isIndex, messageFields, parseOpenMessage, type OpenMessage } from './page-messages';
import { links } from './preview-html';

const OUTCOME: Record<ExplainItem['outcome'], string> = {
  reproduced: 'reproduced by the prediction',
  different: 'not reproduced: the code predicts otherwise',
  'not-modelled': 'not predicted by CORS Lens',
  'no-server': 'no server found in the workspace',
};

/** A message from the explain page. */
export type ExplainMessage = OpenMessage | { type: 'apply'; item: number };

/** The message, when it is one the page sends; undefined for anything else (untrusted input). */
export function parseExplainMessage(value: unknown): ExplainMessage | undefined {
  const m = messageFields(value);
  if (!m) return undefined;
  const open = parseOpenMessage(m);
  if (open) return open;
  if (m.type === 'apply' && isIndex(m.item)) return { type: 'apply', item: m.item };
  return undefined;
}

const EXPLAIN_STYLE = `
h1 { font-size: 1.4em; font-weight: normal; }
h2.item { font-size: 1.15em; font-family: var(--vscode-editor-font-family); word-break: break-all; }
p.cause { font-size: 1.1em; }
ul.links { padding-left: 1.2em; }
pre { white-space: pre-wrap; word-break: break-all; background: var(--vscode-textCodeBlock-background); padding: .5em; }
section.item { margin-bottom: 1.6em; padding-bottom: .6em; border-bottom: 1px solid var(--vscode-panel-border, transparent); }
`;

/** Posts clicks on links and on the fix buttons. */
const SCRIPT = `
const vscode = acquireVsCodeApi();
vscode.setState(JSON.parse(document.getElementById('state').textContent));
document.addEventListener('click', (event) => {
  const link = event.target.closest('[data-uri]');
  if (link) { event.preventDefault(); vscode.postMessage({ type: 'open', uri: link.dataset.uri, line: Number(link.dataset.line), character: Number(link.dataset.character) }); }
  const apply = event.target.closest('[data-apply]');
  if (apply) vscode.postMessage({ type: 'apply', item: Number(apply.dataset.apply) });
});
`;

const list = (items: string[], cls = '') =>
  items.length
    ? `<ul${cls ? ` class="${cls}"` : ''}>${items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`
    : '';

function fixSection(item: ExplainItem, index: number): string {
  const fix = item.fix;
  if (!fix) return '';
  const check = fix.check
    ? ` <span class="muted">(check <a href="${esc(fix.docs ?? '#')}">${esc(fix.check)}</a>)</span>`
    : '';
  const button = fix.changes.length
    ? `<p><button type="button" data-apply="${index}">Apply fix</button></p>`
    : '';
  return `<h3>Fix</h3><p>${esc(fix.title)}${check}</p>${button}`;
}

function serverSection(item: ExplainItem): string {
  const out: string[] = [];
  if (item.server)
    out.push(
      `<h3>Server</h3><p><a data-uri="${esc(item.server.uri)}" data-line="0" data-character="0">${esc(item.server.label)}</a> (${esc(item.server.framework)}): ${esc(item.server.reasons.join('; ') || 'the only one found')}.</p>`,
    );
  if (item.others.length)
    out.push(
      list(
        item.others.map((o) => `Less likely: ${o.label} (${o.framework}): ${o.reasons.join('; ')}`),
        'muted',
      ),
    );
  return out.join('\n');
}

function itemSection(item: ExplainItem, index: number, total: number): string {
  const out = [
    `<section class="item" id="item-${index}">`,
    `<h2 class="item">${total > 1 ? `${index + 1}. ` : ''}${esc(item.method)} ${esc(item.url)}</h2>`,
    `<p class="muted">From ${esc(item.origin)}, ${esc(item.browser)}: <code>${esc(item.rule)}</code> (${esc(OUTCOME[item.outcome])}).</p>`,
  ];
  if (item.requests?.length) out.push('<h3>Blocked requests</h3>', list(item.requests));
  out.push(`<p class="cause"><strong>Cause.</strong> ${esc(item.cause)}</p>`);
  if (item.lines.length) out.push('<h3>Lines</h3>', links(item.lines));
  out.push(fixSection(item, index), serverSection(item));
  if (item.predicted?.length) out.push('<h3>Predicted instead</h3>', list(item.predicted));
  if (item.assumptions.length) out.push('<h3>Assumed</h3>', list(item.assumptions, 'muted'));
  if (item.outcome !== 'reproduced')
    out.push('<h3>Ask the running server</h3>', `<pre>${esc(item.probe)}</pre>`);
  out.push('</section>');
  return out.filter((s) => s !== '').join('\n');
}

/** The whole page for `answer`. */
export function renderExplainPage(answer: ExplainAnswer, env: PageEnv): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${esc(pageCsp(env))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>CORS Lens: Explain</title>
<style nonce="${esc(env.nonce)}">${STYLE}${EXPLAIN_STYLE}</style>
</head><body>
<h1>CORS error explained</h1>
${answer.note ? `<p class="muted">${esc(answer.note)}</p>` : ''}
${answer.items.map((item, i) => itemSection(item, i, answer.items.length)).join('\n')}
<script type="application/json" id="state">${scriptJson(answer)}</script>
<script nonce="${esc(env.nonce)}">${SCRIPT}</script>
</body></html>`;
}
