import path from 'node:path';
import type { Finding, Severity } from '../checks/types';
import { LineIndex, type Range } from '../base/positions';

/** A fix in the JSON output: its title and edits, each in its file with a 0-based range. */
export interface JsonFix {
  title: string;
  edits: { file: string; range: Range; newText: string }[];
}

/** A finding in the JSON output (design.md's CLI contract), plus its docs URL. */
export interface JsonFinding {
  check: string;
  severity: Severity;
  message: string;
  file: string;
  range: Range;
  docs: string;
  fixes: JsonFix[];
  /** Other places the finding is about (the app behind nginx, a frontend call), when there are any. */
  related?: { file: string; range: Range; message: string }[];
}

/** A file that was not analysed, and why. */
export interface Skipped {
  file: string;
  reason: string;
}

/** What `check` found, in the form every output format is written from. */
export interface CheckReport {
  findings: JsonFinding[];
  skipped: Skipped[];
  /** Files analysed. */
  checked: number;
  /** Files with a CORS setup CORS Lens modelled (at least one policy), as shown. */
  modelled: string[];
  /** Fixes applied by `--fix` (absent without it). */
  fixed?: number;
  /** Files whose syntax errors may hide or invent findings. */
  syntaxErrors: string[];
}

/** A path as shown to the user: relative to the working directory when inside it, `/`-separated. */
export function displayPath(file: string, cwd: string): string {
  const key = `${cwd}\0${file}`;
  let shown = displayed.get(key);
  if (shown === undefined) {
    const relative = path.relative(cwd, file);
    shown = (relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file)
      .split(path.sep)
      .join('/');
    displayed.set(key, shown);
  }
  return shown;
}

/** Paths already shown: a file with 10,000 findings is resolved once, not per finding and edit. */
const displayed = new Map<string, string>();

/** One line index per file, built on first use and shared by every finding of a run. */
export function lineIndexes(text: (file: string) => string): (file: string) => LineIndex {
  const indexes = new Map<string, LineIndex>();
  return (file) => {
    let found = indexes.get(file);
    if (!found) indexes.set(file, (found = new LineIndex(text(file))));
    return found;
  };
}

/** Findings with offsets turned into 0-based lines and UTF-16 columns. */
export function toJsonFinding(
  finding: Finding,
  index: (file: string) => LineIndex,
  cwd: string,
): JsonFinding {
  return {
    check: finding.check,
    severity: finding.severity,
    message: finding.message,
    file: displayPath(finding.span.file, cwd),
    range: index(finding.span.file).range(finding.span.start, finding.span.end),
    docs: finding.docs,
    fixes: finding.fix
      ? [
          {
            title: finding.fix.title,
            edits: finding.fix.edits.map((e) => ({
              file: displayPath(e.file, cwd),
              range: index(e.file).range(e.start, e.end),
              newText: e.newText,
            })),
          },
        ]
      : [],
    ...(finding.related?.length
      ? {
          related: finding.related.map((r) => ({
            file: displayPath(r.span.file, cwd),
            range: index(r.span.file).range(r.span.start, r.span.end),
            message: r.message,
          })),
        }
      : {}),
  };
}

/** `check --fail-on`: the lowest severity that makes it exit 1, or `none` (exit 0 whatever it finds). */
export type FailOn = Severity | 'none';

/** The `--fail-on` values, most severe first (the order `Severity` ranks by). */
export const failOnValues: readonly FailOn[] = ['error', 'warning', 'info', 'hint', 'none'];

/** 1 when a finding is at least as severe as `failOn` (default `error`), else 0. */
export const exitCodeOf = (report: CheckReport, failOn: FailOn = 'error'): number =>
  failOn !== 'none' &&
  report.findings.some((f) => failOnValues.indexOf(f.severity) <= failOnValues.indexOf(failOn))
    ? 1
    : 0;
