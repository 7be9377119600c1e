import path from 'node:path';
import type { DocumentState } from './analysis-service';

/**
 * One line of the server's log per analysis: the file, how long it took, what it found and
 * which other files were read for it (imported settings), so a slow or surprising result can be
 * traced from the "CORS Lens" output channel.
 */
export function analysisLogLine(
  state: DocumentState | undefined,
  findings: number,
  startedAt: number,
): string {
  const ms = Math.round(performance.now() - startedAt);
  if (!state) return `CORS Lens: analysed a document in ${ms} ms`;
  const name = path.basename(state.file);
  const policies = state.analysis.policies.filter((p) => p.configured).length;
  const reads = (state.extractedFrom?.reads ?? [])
    .filter(([file]) => file !== state.file)
    .map(([file, text]) => `${path.basename(file)}${text === undefined ? ' (missing)' : ''}`);
  return (
    `CORS Lens: analysed ${name} (v${state.version}) in ${ms} ms: ` +
    `${policies} CORS ${policies === 1 ? 'policy' : 'policies'}, ${findings} finding(s)` +
    (reads.length ? `; also read ${reads.join(', ')}` : '')
  );
}
