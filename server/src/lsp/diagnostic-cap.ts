import type { Finding, Severity } from '../checks/types';
import { docsUrl } from '../checks/types';

const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

/**
 * At most `max` of a document's findings, the most severe first (then in file order), kept in
 * file order, with one info finding at the top of the file saying how many more there are. A
 * user gains nothing from 10,000 squiggles, and publishing them held the LSP thread for most of
 * a second; the CLI still reports every finding (the note says how to see them).
 */
export function capFindings(file: string, findings: Finding[], max: number): Finding[] {
  if (findings.length <= max) return findings;
  const shown = findings
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => rank[a.finding.severity] - rank[b.finding.severity] || a.index - b.index)
    .slice(0, Math.max(0, max))
    .sort((a, b) => a.index - b.index)
    .map(({ finding }) => finding);
  const hidden = findings.length - shown.length;
  const note: Finding = {
    check: 'diagnostics-capped',
    severity: 'info',
    docs: docsUrl('analysis-over-budget').replace(/docs\/checks\/[^/]+\.md$/, 'README.md'),
    message: `${hidden} more CORS Lens findings not shown; run \`cors-lens check ${file}\` for all`,
    span: { file, start: 0, end: 0 },
  };
  return [note, ...shown];
}
