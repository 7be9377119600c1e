import type { ExplainAnswer, ExplainItem } from '../../server/src/lsp/explain-protocol';

const OUTCOME: Record<ExplainItem['outcome'], string> = {
  reproduced: 'reproduced by the prediction',
  different: 'not reproduced: the code predicts otherwise',
  'not-modelled': 'not predicted by CORS Lens',
  'no-server': 'no server found in the workspace',
};

/** A link that opens a file at a 1-based line (VS Code reads `#L<n>` fragments). */
const lineLink = (label: string, uri: string, line: number): string =>
  `[${label}](${uri}#L${line + 1})`;

function itemMarkdown(item: ExplainItem, index: number, total: number): string[] {
  const out: string[] = [];
  out.push(`## ${total > 1 ? `${index + 1}. ` : ''}${item.method} ${item.url}`, '');
  out.push(
    `From \`${item.origin}\`, ${item.browser}: \`${item.rule}\` (${OUTCOME[item.outcome]}).`,
    '',
  );
  if (item.requests)
    out.push('**Blocked requests**', '', ...item.requests.map((r) => `- ${r}`), '');
  out.push(`**Cause.** ${item.cause}`, '');
  if (item.lines.length)
    out.push(
      '**Lines**',
      '',
      ...item.lines.map((l) => `- ${lineLink(l.label, l.uri, l.line)}: ${l.message}`),
      '',
    );
  if (item.fix) {
    out.push(
      `**Fix.** ${item.fix.title}${item.fix.check ? ` (check [\`${item.fix.check}\`](${item.fix.docs ?? '#'}))` : ''}`,
      '',
    );
    if (item.fix.changes.length)
      out.push('Run **Apply fix** from the notification, or the quick fix on the line.', '');
  }
  if (item.server)
    out.push(
      `**Server.** [${item.server.label}](${item.server.uri}) (${item.server.framework}): ${item.server.reasons.join('; ') || 'the only one found'}.`,
      '',
    );
  for (const other of item.others)
    out.push(`- Less likely: \`${other.label}\` (${other.framework}): ${other.reasons.join('; ')}`);
  if (item.others.length) out.push('');
  if (item.predicted?.length)
    out.push('**Predicted instead**', '', ...item.predicted.map((p) => `- ${p}`), '');
  if (item.assumptions.length)
    out.push('**Assumed**', '', ...item.assumptions.map((a) => `- ${a}`), '');
  if (item.outcome !== 'reproduced')
    out.push('**Ask the running server**', '', '```sh', item.probe, '```', '');
  return out;
}

/** The answer to `corsLens/explain` as a readable page: per failure, the cause first, then lines, fix and server. */
export function explainMarkdown(answer: ExplainAnswer): string {
  const out = ['# CORS error explained', ''];
  if (answer.note) out.push(answer.note, '');
  answer.items.forEach((item, i) => out.push(...itemMarkdown(item, i, answer.items.length)));
  return out.join('\n') + '\n';
}
