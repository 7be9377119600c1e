import { isToken } from '../fetch/headers';
import { parseHeader } from '../analysis/preview-report';
import { parseTarget, probeReport, type ProbeInput, type ProbeReport } from '../probe';
import { formatProbeText } from './format-probe';
import { UsageError, type CliIo } from './io';
import { terminalSafe } from './terminal-safe';

/** `probe`'s parsed command line. */
export interface ProbeOptions extends ProbeInput {
  sweep: boolean;
  format: 'text' | 'json';
}

/** Throws a usage error for what could never go on the wire: a bad URL, method or header. */
function validate(options: ProbeOptions): void {
  const target = parseTarget(options.url);
  if ('problem' in target) throw new UsageError(target.problem);
  if (options.method !== undefined && !isToken(options.method))
    throw new UsageError(`--method must be an HTTP method token (got '${options.method}')`);
  if (/[\r\n\0]/.test(options.origin)) throw new UsageError('--origin cannot contain line breaks');
  for (const spec of options.headers ?? []) {
    const [name, value] = parseHeader(spec);
    if (!isToken(name)) throw new UsageError(`--header needs a header name (got '${spec}')`);
    if (/[\r\n\0]/.test(value))
      throw new UsageError(`--header value cannot contain line breaks ('${name}')`);
  }
}

/**
 * The exit code of a probe: 3 when the server gave no usable answer (down, refused, timeout,
 * not HTTP), 1 when the browser would block the request or the sweep found a high-risk origin,
 * 0 otherwise. (2, bad usage, is the runner's.)
 */
export function probeExitCode(report: ProbeReport): number {
  if (report.error || !report.verdict) return 3;
  if (!report.verdict.allowed) return 1;
  return report.sweep?.some((row) => row.risk === 'high') ? 1 : 0;
}

/** `cors-lens probe`: the real responses, the browser's verdict and, with `--sweep`, attacker origins. */
export async function probeCommand(options: ProbeOptions, io: CliIo): Promise<number> {
  validate(options);
  const { sweep, format, ...input } = options;
  const report = await probeReport(input, { sweep });
  if (format === 'json') io.stdout(JSON.stringify(report, null, 2) + '\n');
  else io.stdout(formatProbeText(report));
  if (report.error) io.stderr(`cors-lens probe: ${terminalSafe(report.error.message)}\n`);
  return probeExitCode(report);
}
