import type { Severity } from '../checks/types';
import type { CheckReport } from './report';
import { safeLines } from './terminal-safe';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Compiler-style lines, `path:line:col  severity  message  [check-id]` (1-based), and a summary. */
export function formatText(report: CheckReport): string {
  const lines = report.findings.map(
    (f) =>
      `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}  ${f.severity}  ${f.message}  [${f.check}]`,
  );
  const counts = new Map<Severity, number>();
  for (const f of report.findings) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
  const detail = (['error', 'warning', 'info', 'hint'] as const)
    .filter((s) => counts.get(s))
    .map((s) => (s === 'info' ? `${counts.get(s)} info` : plural(counts.get(s)!, s)))
    .join(', ');
  const files = `${plural(report.checked, 'file')} checked, ${report.modelled.length} with a CORS setup modelled`;
  if (report.fixed !== undefined) lines.push(`Fixed ${plural(report.fixed, 'problem')}.`);
  lines.push(
    report.findings.length === 0
      ? `No CORS problems found (${files}).`
      : `${plural(report.findings.length, 'problem')} (${detail}); ${files}.`,
  );
  // Messages quote the analysed files' text: control characters are shown, never interpreted.
  return safeLines(lines);
}

/** One line per file that was skipped or may be misread, for stderr. */
export function formatNotes(report: CheckReport): string {
  const notes = [
    ...report.skipped.map((s) => `${s.file}: skipped: ${s.reason}`),
    ...report.syntaxErrors.map((file) => `${file}: has syntax errors; findings may be incomplete`),
  ];
  return notes.length ? safeLines(notes) : '';
}
