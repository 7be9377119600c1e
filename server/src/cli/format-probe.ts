import type { HeaderList } from '../fetch/types';
import { byRisk, type Exchange, type ProbeReport, type SweepRow } from '../probe';
import { safeLines } from './terminal-safe';

const indent = (headers: HeaderList) => headers.map(([name, value]) => `    ${name}: ${value}`);

function exchangeLines(label: string, ex: Exchange): string[] {
  return [
    `${label}: ${ex.sent.method} ${ex.sent.path} -> ${ex.status} ${ex.statusText} (${ex.timing.headersMs} ms)`.trimEnd(),
    '  sent:',
    ...indent(ex.sent.headers),
    '  received:',
    ...indent(ex.headers),
  ];
}

const pad = (text: string, width: number) =>
  text.length >= width ? `${text} ` : text.padEnd(width);

/** The sweep as a table, riskiest first (stable within a risk). */
function sweepLines(rows: SweepRow[]): string[] {
  const sorted = byRisk(rows);
  const originWidth = Math.min(60, Math.max(...rows.map((r) => r.origin.length), 6) + 2);
  const out = [
    `Sweep (${rows.length} origins):`,
    `  ${pad('RISK', 8)}${pad('ORIGIN', originWidth)}${pad('ALLOW-ORIGIN', 34)}${pad('CREDS', 7)}KIND`,
  ];
  for (const row of sorted) {
    const acao = row.error ? `(${row.error.kind})` : (row.allowOrigin ?? '-');
    out.push(
      `  ${pad(row.risk, 8)}${pad(row.origin, originWidth)}${pad(acao, 34)}${pad(row.allowCredentials ?? '-', 7)}${row.kind}`,
    );
  }
  // One line per kind of trick: the table already names every origin.
  const risky = sorted.filter(
    (r, i) =>
      (r.risk === 'high' || r.risk === 'medium') &&
      sorted.findIndex((o) => o.kind === r.kind && o.risk === r.risk) === i,
  );
  if (risky.length)
    out.push(
      '',
      ...risky.map(
        (r) =>
          `  ${r.risk}: ${r.origin} is readable${r.readableWithCredentials ? ' with credentials' : ''}: ${r.description}`,
      ),
    );
  return out;
}

/** A probe for a terminal: the exchange, raw headers, the verdict, notes and the sweep. */
export function formatProbeText(report: ProbeReport): string {
  const { request, preflight, actual, verdict, error, notes } = report;
  const out = [
    `Probe: ${request.method} ${request.url} from ${request.origin} (credentials: ${request.credentials})`,
    ...indent(request.headers),
    '',
  ];
  if (!preflight.needed) out.push('Preflight: not needed');
  else if ('status' in preflight) out.push(...exchangeLines('Preflight', preflight));
  else out.push(`Preflight: ${preflight.sent.method} ${preflight.sent.path} -> no answer`);
  out.push('');
  if (actual) out.push(...exchangeLines('Actual', actual));
  else if (!error) out.push('Actual: not sent (the browser stops before it)');
  if (error) out.push(`Error at the ${error.stage}: ${error.message}`);
  out.push('');
  if (verdict) {
    out.push(
      `Verdict: ${verdict.allowed ? 'allowed' : `BLOCKED at the ${verdict.stage}`}`,
      ...verdict.reasons.map((r) => `  - ${r}`),
      ...verdict.warnings.map((w) => `  warning: ${w}`),
    );
    if (verdict.allowed)
      out.push(`  readable response headers: ${verdict.readableHeaders.join(', ') || '(none)'}`);
  } else out.push('Verdict: none (the server gave no usable answer)');
  if (notes.length) out.push('', 'Notes:', ...notes.map((n) => `  - ${n}`));
  if (report.sweep) out.push('', ...sweepLines(report.sweep));
  out.push('', `Total: ${report.timing.totalMs} ms`);
  // Reason phrases and header values are the server's bytes: shown, never interpreted.
  return safeLines(out);
}
