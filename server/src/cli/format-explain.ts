/** `explain`'s text output: per failure, the cause, the server, the line, the fix, then what was guessed. */
import path from 'node:path';
import { LineIndex } from '../base/positions';
import type { SourceReader } from '../base/source-reader';
import type { Explanation, HarReport } from '../explain';

const BROWSER = { chromium: 'Chromium', firefox: 'Firefox', safari: 'Safari' } as const;

/** How each outcome is headed. */
const OUTCOME: Record<Explanation['outcome'], string> = {
  reproduced: 'reproduced by the prediction',
  different: 'NOT reproduced: the code predicts otherwise',
  'not-modelled': 'not predicted by CORS Lens',
  'no-server': 'no server found',
};

/**
 * One explanation, as indented lines. `shown` turns a path into the one the user reads (relative to
 * --root, as the causes say).
 */
function explanationLines(
  e: Explanation,
  shown: (file: string) => string,
  reader: SourceReader,
  source?: string,
): string[] {
  const { message, request } = e;
  const out = [
    `${source ?? BROWSER[message.browser]}: ${request.method} ${request.url || '(no URL)'} from ${request.origin}: ${message.rule} (${OUTCOME[e.outcome]})`,
    `  Cause:   ${e.cause}`,
  ];
  const [best, ...others] = e.candidates;
  if (best)
    out.push(
      `  Server:  ${shown(best.file)} (${best.framework}): ${best.reasons.join('; ') || 'the only server found'}`,
    );
  for (const other of others.slice(0, 3))
    out.push(
      `           or ${shown(other.file)} (${other.framework}, less likely): ${other.reasons.join('; ')}`,
    );
  for (const line of e.lines)
    out.push(`  Line:    ${shown(line.span.file)}:${line.line}  ${line.message}`);
  if (e.fix) {
    const by = e.fix.check ? ` [${e.fix.check}]` : '';
    out.push(`  Fix:     ${e.fix.title}${by}`);
    for (const edit of e.fix.edits) {
      const at = new LineIndex(reader.read(edit.file) ?? '').position(edit.start);
      const what = edit.start === edit.end ? 'insert' : 'replace with';
      out.push(
        `           ${shown(edit.file)}:${at.line + 1}: ${what} ${JSON.stringify(edit.newText)}`,
      );
    }
    if (e.fix.edits.length)
      out.push(
        '           (cors-lens check --fix applies the same fix when the frontend call is in the workspace)',
      );
  }
  for (const reason of e.predicted ?? []) out.push(`  Predicted: ${reason}`);
  for (const assumption of e.assumptions) out.push(`  Assumed: ${assumption}`);
  if (e.outcome !== 'reproduced') out.push(`  Probe:   ${e.probe}`);
  return out;
}

/** The explanations of pasted console text. */
export function formatExplainText(
  explanations: Explanation[],
  root: string,
  reader: SourceReader,
): string {
  const shown = (file: string) => path.relative(root, file) || path.basename(file);
  return explanations.map((e) => explanationLines(e, shown, reader).join('\n')).join('\n\n') + '\n';
}

/** The explanations of a HAR, one block per cause. */
export function formatHarText(report: HarReport, root: string, reader: SourceReader): string {
  const shown = (file: string) => path.relative(root, file) || path.basename(file);
  const causes = report.groups.length;
  const out = [
    `HAR: ${report.entries} entries, ${report.crossOrigin} cross-origin, ${report.blocked} blocked by CORS, ${causes} cause${causes === 1 ? '' : 's'}.`,
  ];
  report.groups.forEach((group, i) => {
    out.push(
      '',
      `Cause ${i + 1} of ${causes}: ${group.requests.length} request${group.requests.length === 1 ? '' : 's'}`,
    );
    for (const r of group.requests.slice(0, 5)) out.push(`  - ${r}`);
    if (group.requests.length > 5) out.push(`  - and ${group.requests.length - 5} more`);
    // A HAR's failures are the evaluator's verdicts on the recorded headers, not a browser's words.
    out.push(
      ...explanationLines(group.explanation, shown, reader, 'Recorded').map((l) => `  ${l}`),
    );
  });
  for (const skipped of report.skipped) out.push(`Skipped: ${skipped}`);
  return out.join('\n') + '\n';
}
