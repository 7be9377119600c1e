import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { concatBytes, writeBytes } from './bytes';

export const repoRoot = path.resolve(__dirname, '../..');
export const cliBundle = path.join(repoRoot, 'dist/cli.js');
const rssHook = path.join(__dirname, 'rss-hook.cjs');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  timedOut: boolean;
  /** Peak resident memory in MB (undefined when killed). */
  rssMb?: number;
  /** CPU time the process used, user + system, in ms (undefined when killed). */
  cpuMs?: number;
}

/** Runs `node dist/cli.js ...args` in `cwd`, killed (whole process group) after `timeoutMs`. */
export function runCli(args: string[], cwd: string, timeoutMs: number): Promise<CliResult> {
  const rssFile = path.join(
    os.tmpdir(),
    `cors-fuzz-rss-${process.pid}-${Math.random().toString(36).slice(2)}`,
  );
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--require', rssHook, cliBundle, ...args], {
      cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CORS_FUZZ_RSS_FILE: rssFile, NODE_OPTIONS: '' },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let errBytes = 0;
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => {
      if (errBytes < 1_000_000) err.push(c);
      errBytes += c.length;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      let rssMb: number | undefined;
      let cpuMs: number | undefined;
      try {
        const [rss, cpu] = readFileSync(rssFile, 'utf8').split(' ').map(Number);
        rssMb = rss / 1024;
        cpuMs = cpu;
        rmSync(rssFile, { force: true });
      } catch {
        rssMb = undefined;
      }
      resolve({
        code,
        signal,
        stdout: concatBytes(out).toString('utf8'),
        stderr: concatBytes(err).toString('utf8'),
        ms,
        timedOut,
        rssMb,
        cpuMs,
      });
    });
  });
}

export type FailureKind =
  | 'crash'
  | 'hang'
  | 'slow'
  | 'invalid-output'
  | 'fix-lost-line'
  | 'eol-findings-differ'
  | 'lsp-crash'
  | 'lsp-hang'
  | 'lsp-error'
  | 'lsp-unresponsive'
  | 'lsp-slow'
  | 'lsp-shutdown';

export interface Failure {
  kind: FailureKind;
  /** A stable, input-independent description (the dedup key). */
  signature: string;
  detail: string;
}

/** The first error line and top stack frame of a stderr, without numbers or paths. */
export function errorSignature(stderr: string): string {
  const lines = stderr.split(/\r?\n/);
  const known =
    /Maximum call stack size exceeded|JavaScript heap out of memory|Aborted|FATAL ERROR|RuntimeError: [^\n]*|RangeError: [^\n]*|TypeError: [^\n]*|SyntaxError: [^\n]*|ReferenceError: [^\n]*|Error: [^\n]*/;
  let message = '';
  let frame = '';
  for (let i = 0; i < lines.length; i++) {
    const m = known.exec(lines[i]);
    if (m && !message) {
      message = m[0];
      for (let j = i + 1; j < Math.min(lines.length, i + 12); j++) {
        const f = /^\s+at (?:async )?([\w$.<>[\] ]+?) \(/.exec(lines[j]);
        if (f) {
          frame = f[1];
          break;
        }
      }
    }
  }
  if (!message)
    message = lines.find((l) => l.trim() !== '' && !/has syntax errors/.test(l)) ?? 'no message';
  const clean = message
    .replace(/(file:\/\/|\/)[^\s'"):]+/g, '<path>')
    .replace(/\d+/g, 'N')
    .replace(/'[^']*'|"[^"]*"/g, "'…'")
    .slice(0, 120);
  return frame ? `${clean} at ${frame}` : clean;
}

/** Turns a signature into a folder name. */
export const slug = (signature: string): string =>
  signature
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);

const crashText =
  /Maximum call stack|Aborted|FATAL ERROR|out of memory|\n\s+at .+[(:]\d+|Unhandled|uncaught/i;

/**
 * The failure a CLI run shows, if any: the process's own (see `classifyProcess`), or a file whose
 * analysis threw, which the CLI reports as an `analysis-failed` finding (json) or line (text)
 * and goes on: for the fuzzer that is a crash of that file's analysis.
 */
export function classify(
  res: CliResult,
  format: 'json' | 'text' | 'sarif' | 'fix',
): Failure | undefined {
  const own = classifyProcess(res, format);
  if (own) return own;
  const failed =
    format === 'json'
      ? [...fileVerdicts(res.stdout).values()].find((v) => v.failed)?.failed
      : /could not analyse this file \(([^\n]*?)\); its CORS/.exec(res.stdout)?.[1];
  return failed === undefined ? undefined : analysisFailure(failed);
}

/** The failure of one file whose analysis threw (`message`: the error's first line). */
export const analysisFailure = (message: string): Failure => ({
  kind: 'crash',
  signature: `crash: analysis-failed ${errorSignature(message)}`,
  detail: `analysis-failed: ${message.slice(0, 600)}`,
});

/** What the CLI's json output says about each file: its analysis threw, or ran over budget. */
export interface FileVerdict {
  /** The error's first line, from the `analysis-failed` finding. */
  failed?: string;
  /** An `analysis-over-budget` finding: the file stopped at its budget and says so. */
  overBudget?: boolean;
}

/** The verdict of every file the json output reports on, by path as printed. */
export function fileVerdicts(stdout: string): Map<string, FileVerdict> {
  const out = new Map<string, FileVerdict>();
  let parsed: { findings?: { check: string; file: string; message: string }[] };
  try {
    parsed = JSON.parse(stdout) as typeof parsed;
  } catch {
    return out;
  }
  for (const f of parsed.findings ?? []) {
    if (f.check !== 'analysis-failed' && f.check !== 'analysis-over-budget') continue;
    const v = out.get(f.file) ?? {};
    if (f.check === 'analysis-failed')
      v.failed = /could not analyse this file \((.*)\); its CORS/.exec(f.message)?.[1] ?? f.message;
    else v.overBudget = true;
    out.set(f.file, v);
  }
  return out;
}

/** Whether a run's json output reports a file over budget. */
export const reportsOverBudget = (res: CliResult): boolean =>
  [...fileVerdicts(res.stdout).values()].some((v) => v.overBudget);

/**
 * The failure a CLI process shows, if any: an exit code other than 0/1, a signal, a stack trace
 * or abort on stderr, output that is not JSON (json format), or the time limit.
 */
export function classifyProcess(
  res: CliResult,
  format: 'json' | 'text' | 'sarif' | 'fix',
): Failure | undefined {
  if (res.timedOut)
    return {
      kind: 'hang',
      signature: 'hang',
      detail: `no answer in ${(res.ms / 1000).toFixed(1)} s`,
    };
  if (res.signal || (res.code !== 0 && res.code !== 1) || crashText.test(res.stderr)) {
    const sig = errorSignature(res.stderr);
    return {
      kind: 'crash',
      signature: `crash: ${sig}`,
      detail: `${format}: exit ${res.code ?? res.signal}: ${res.stderr.slice(0, 600)}`,
    };
  }
  if (format === 'json' || format === 'sarif') {
    try {
      const parsed = JSON.parse(res.stdout) as unknown;
      if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
    } catch (e) {
      return {
        kind: 'invalid-output',
        signature: `invalid ${format}`,
        detail: `${String(e)}: ${res.stdout.slice(0, 200)}`,
      };
    }
  }
  return undefined;
}

/** A batch folder: each input in its own numbered sub-folder, under the name it was generated with. */
export function writeBatch(dir: string, files: { name: string; bytes: Buffer }[]): string[] {
  mkdirSync(dir, { recursive: true });
  return files.map((f, i) => {
    const relative = path.join(String(i).padStart(4, '0'), f.name);
    mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
    writeBytes(path.join(dir, relative), f.bytes);
    return relative;
  });
}

export const tempDir = (prefix: string) =>
  mkdtempSync(path.join(os.tmpdir(), `cors-fuzz-${prefix}-`));

export interface JsonFinding {
  check: string;
  file: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  fixes?: {
    title: string;
    edits: { file: string; range: JsonFinding['range']; newText: string }[];
  }[];
}

export function findingsOf(stdout: string): JsonFinding[] {
  try {
    const parsed = JSON.parse(stdout) as { findings?: JsonFinding[] };
    return parsed.findings ?? [];
  } catch {
    return [];
  }
}

/** Lines of a text split the way editors split them (CRLF, CR or LF), without terminators. */
export const linesOf = (text: string): string[] => text.split(/\r\n|\r|\n/);

/**
 * Lines of `before` outside every fix edit that are missing from `after` (multiset), for a file
 * the CLI's --fix rewrote.
 */
export function lostLines(before: string, after: string, edits: JsonFinding['range'][]): string[] {
  const touched = new Set<number>();
  for (const r of edits) for (let l = r.start.line; l <= r.end.line; l++) touched.add(l);
  const remaining = new Map<string, number>();
  for (const l of linesOf(after)) remaining.set(l, (remaining.get(l) ?? 0) + 1);
  const lost: string[] = [];
  linesOf(before).forEach((line, i) => {
    if (touched.has(i) || line.trim() === '') return;
    const n = remaining.get(line) ?? 0;
    if (n === 0) lost.push(line);
    else remaining.set(line, n - 1);
  });
  return lost;
}

export const cleanup = (dir: string) => rmSync(dir, { recursive: true, force: true });
