import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { DiskReader } from '../base/disk-reader';
import { explainHarText, explainText, HarError, type Explanation } from '../explain';
import { formatExplainText, formatHarText } from './format-explain';
import { UsageError, type CliIo } from './io';

/** `explain`'s parsed command line. */
export interface ExplainOptions {
  /** The pasted console text; `-` or absent with no --har: read from stdin. */
  message?: string;
  har?: string;
  root?: string;
  origin?: string;
  format: 'text' | 'json';
}

/** Paths in JSON, relative to --root (as the causes name them). */
function relativePaths(value: unknown, root: string): unknown {
  return JSON.parse(
    JSON.stringify(value, (key, v: unknown) =>
      key === 'file' && typeof v === 'string' && path.isAbsolute(v)
        ? path.relative(root, v) || path.basename(v)
        : v,
    ),
  );
}

/** 0 when every failure is reproduced at a line, 1 when one is not (or none was found). */
const exitCodeOf = (explanations: Explanation[]): number =>
  explanations.length && explanations.every((e) => e.outcome === 'reproduced') ? 0 : 1;

/**
 * `cors-lens explain`: the server, line and fix behind a browser's CORS error (pasted text) or
 * behind each blocked request of a HAR.
 */
export async function explainCommand(options: ExplainOptions, io: CliIo): Promise<number> {
  const root = path.resolve(io.cwd, options.root ?? '.');
  if (!existsSync(root) || !statSync(root).isDirectory())
    throw new UsageError(`--root is not a folder: ${options.root}`);
  const reader = new DiskReader();
  const context = { root, reader, origin: options.origin };
  if (options.har) {
    const file = path.resolve(io.cwd, options.har);
    if (!existsSync(file)) throw new UsageError(`no such file: ${options.har}`);
    let report;
    try {
      report = await explainHarText(readFileSync(file, 'utf8'), context);
    } catch (error) {
      if (error instanceof HarError) throw new UsageError(`${options.har}: ${error.message}`);
      throw error;
    }
    if (options.format === 'json')
      io.stdout(JSON.stringify({ har: relativePaths(report, root) }, null, 2) + '\n');
    else io.stdout(formatHarText(report, root, reader));
    // Nothing blocked is a clean HAR (0); otherwise as for pasted errors.
    return report.groups.length ? exitCodeOf(report.groups.map((g) => g.explanation)) : 0;
  }
  const text =
    options.message === undefined || options.message === '-'
      ? await (io.stdin?.() ?? Promise.resolve(''))
      : options.message;
  const explanations = await explainText(text, context);
  if (options.format === 'json')
    io.stdout(JSON.stringify({ explanations: relativePaths(explanations, root) }, null, 2) + '\n');
  else if (explanations.length) io.stdout(formatExplainText(explanations, root, reader));
  if (!explanations.length)
    io.stderr(
      'cors-lens explain: no CORS error from Chromium, Firefox or Safari found in the text\n',
    );
  return exitCodeOf(explanations);
}
