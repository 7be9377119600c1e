import { existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Finding } from '../checks/types';
import { DiskReader } from '../core/disk-reader';
import { analyzeFile } from './analyze-file';
import { applyEdits, chooseFixes } from './apply-fixes';
import { formatJson } from './format-json';
import { formatSarif } from './format-sarif';
import { formatNotes, formatText } from './format-text';
import { grammarFor } from '../core/grammar';
import { UsageError, type CliIo } from './io';
import { readDiskText } from '../core/read-source';
import { displayPath, exitCodeOf, toJsonFinding, type CheckReport } from './report';
import { walk } from './walk';
import { WorkspaceIndex } from '../workspace/workspace-index';

/** `--format` of `check`. */
export type CheckFormat = 'text' | 'json' | 'sarif';

/** `check`'s parsed command line. */
export interface CheckOptions {
  paths: string[];
  format: CheckFormat;
  fix: boolean;
  /** The tool's version, for SARIF. */
  version: string;
}

/** `--fix` re-checks after each round; overlapping fixes wait a round. This bounds the rounds. */
const maxFixRounds = 10;

/** The files to check: files as given (any extension, so a typo is reported), folders walked. */
function collect(paths: string[], cwd: string): string[] {
  const files: string[] = [];
  for (const given of paths) {
    const full = path.resolve(cwd, given);
    if (!existsSync(full)) throw new UsageError(`no such file or folder: ${given}`);
    if (statSync(full).isDirectory()) files.push(...walk(full));
    else files.push(full);
  }
  return [...new Set(files)];
}

interface Round {
  findings: Finding[];
  texts: Map<string, string>;
  skipped: { file: string; reason: string }[];
  syntaxErrors: string[];
  checked: number;
}

async function analyzeAll(files: string[]): Promise<Round> {
  const round: Round = { findings: [], texts: new Map(), skipped: [], syntaxErrors: [], checked: 0 };
  const reader = new DiskReader();
  // Cross-file checks see the frontend calls and apps of every file checked in this round.
  const index = new WorkspaceIndex(reader);
  for (const file of files) {
    const text = grammarFor(file) ? reader.read(file) : undefined;
    if (text !== undefined) await index.update(file, text);
  }
  const workspace = index.facts();
  for (const file of files) {
    if (!grammarFor(file)) {
      round.skipped.push({ file, reason: 'not a language CORS Lens analyses yet' });
      continue;
    }
    const result = await analyzeFile(file, reader, undefined, workspace);
    if ('problem' in result) {
      round.skipped.push({ file, reason: result.problem });
      continue;
    }
    round.checked++;
    round.texts.set(file, result.text);
    if (result.syntaxError) round.syntaxErrors.push(file);
    round.findings.push(...result.analysis.findings);
  }
  return round;
}

/** Applies every fix that fits (non-overlapping) and writes the files; returns how many were applied. */
function applyRound(round: Round): number {
  const fixes = chooseFixes(round.findings.flatMap((f) => (f.fix ? [f.fix] : [])));
  const byFile = new Map<string, { start: number; end: number; newText: string }[]>();
  for (const edit of fixes.flatMap((f) => f.edits)) {
    const list = byFile.get(edit.file) ?? [];
    list.push(edit);
    byFile.set(edit.file, list);
  }
  for (const [file, edits] of byFile) {
    const text = round.texts.get(file) ?? readDiskText(file);
    if (text === undefined) continue;
    writeFileSync(file, applyEdits(text, edits));
  }
  return fixes.length;
}

/** `cors-lens check`: prints the findings in the chosen format and returns the exit code. */
export async function checkCommand(options: CheckOptions, io: CliIo): Promise<number> {
  const files = collect(options.paths.length ? options.paths : ['.'], io.cwd);
  let round = await analyzeAll(files);
  let fixed: number | undefined;
  if (options.fix) {
    fixed = 0;
    for (let i = 0; i < maxFixRounds; i++) {
      const applied = applyRound(round);
      if (applied === 0) break;
      fixed += applied;
      round = await analyzeAll(files);
    }
  }
  const text = (file: string) => round.texts.get(file) ?? readDiskText(file) ?? '';
  const report: CheckReport = {
    findings: round.findings.map((f) => toJsonFinding(f, text, io.cwd)),
    skipped: round.skipped.map((s) => ({ file: displayPath(s.file, io.cwd), reason: s.reason })),
    checked: round.checked,
    fixed,
    syntaxErrors: round.syntaxErrors.map((f) => displayPath(f, io.cwd)),
  };
  if (options.format === 'json') io.stdout(formatJson(report));
  else if (options.format === 'sarif') io.stdout(formatSarif(report, io.cwd, options.version));
  else io.stdout(formatText(report));
  io.stderr(formatNotes(report));
  return exitCodeOf(report);
}
