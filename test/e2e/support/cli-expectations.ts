/**
 * What the editor must show, taken from the CLI over the same files: the design promises that the
 * editor and `cors-lens` tell the same story, so the e2e suite asserts the UI against them.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const cli = path.resolve(__dirname, '../../../dist/cli.js');

/** One finding of `cors-lens check --format json` (0-based positions). */
export interface CliFinding {
  check: string;
  severity: string;
  message: string;
  file: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  fixes: { title: string }[];
}

type Headers = [string, string][];

/** The parts of `cors-lens preview --format json` the preview page shows. */
export interface CliPreview {
  preflight: { needed: boolean; status?: number; headers?: Headers };
  actual: { status: number; headers: Headers } | null;
  verdict: { allowed: boolean; stage: string; reasons: string[] };
}

function run(args: string[], cwd: string): string {
  try {
    return execFileSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  } catch (error) {
    // `check` exits 1 when it finds an error, `probe` when the browser blocks: the output is still the answer.
    const stdout = (error as { stdout?: string }).stdout;
    if (typeof stdout === 'string' && stdout.trim().startsWith('{')) return stdout;
    throw error;
  }
}

/** `cors-lens check --format json` over `folder`; file paths relative to it. */
export function cliFindings(folder: string): CliFinding[] {
  return (JSON.parse(run(['check', '.', '--format', 'json'], folder)) as { findings: CliFinding[] })
    .findings;
}

/** Each file's text after `cors-lens check --fix` (on a scratch copy of `folder`). */
export function cliFixedTexts(folder: string, files: string[]): Map<string, string> {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'cors-lens-e2e-fixed-'));
  try {
    fs.cpSync(folder, copy, { recursive: true });
    run(['check', '.', '--fix'], copy);
    return new Map(files.map((f) => [f, fs.readFileSync(path.join(copy, f), 'utf8')]));
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

/** The parts of `cors-lens probe --format json` the probe panel shows. */
export interface CliProbe {
  verdict: { allowed: boolean; stage: string; reasons: string[] } | null;
}

/** `cors-lens probe <url> --format json` with the given request flags (a blocked verdict exits 1). */
export function cliProbe(url: string, flags: string[]): CliProbe {
  return JSON.parse(
    run(['probe', url, ...flags, '--format', 'json'], path.dirname(cli)),
  ) as CliProbe;
}

/** `cors-lens preview <file> --format json` with the given request flags. */
export function cliPreview(file: string, flags: string[]): CliPreview {
  return JSON.parse(
    run(['preview', file, ...flags, '--format', 'json'], path.dirname(file)),
  ) as CliPreview;
}
