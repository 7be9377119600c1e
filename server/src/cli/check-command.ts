import { analysisFailed } from '../analysis/analysis-failed';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Finding } from '../checks/types';
import { DiskReader } from '../base/disk-reader';
import { checksBudget, extractFile, type FileFacts } from './analyze-file';
import { mayReport } from '../analysis/may-report';
import { checkPolicies } from '../analysis/analyze';
import { defaultSettings, type CorsLensSettings } from '../analysis/settings';
import { applyEdits, chooseFixes } from './apply-fixes';
import { formatJson } from './format-json';
import { formatSarif } from './format-sarif';
import { formatNotes, formatText } from './format-text';
import { grammarFor, grammarForText, maySniff } from '../parsing/languages';
import { loadGrammar, type GrammarId } from '../parsing/parser';
import { UsageError, type CliIo } from './io';
import { readDiskText } from '../base/read-source';
import {
  displayPath,
  exitCodeOf,
  lineIndexes,
  toJsonFinding,
  type CheckReport,
  type FailOn,
} from './report';
import { walk } from '../analysis/walk';
import { WorkspaceIndex } from '../analysis/workspace-index';

/** `--format` of `check`. */
export type CheckFormat = 'text' | 'json' | 'sarif';

/** `check`'s parsed command line. */
export interface CheckOptions {
  paths: string[];
  format: CheckFormat;
  fix: boolean;
  /** Milliseconds one file's extraction may take (`--budget-ms`; default the setting's). */
  budgetMs?: number;
  /** At most this many `--fix` rounds (each applies the fixes that do not overlap, then re-checks). */
  fixRounds?: number;
  /** The lowest severity that makes the run exit 1 (`--fail-on`; default `error`). */
  failOn?: FailOn;
  /** The tool's version, for SARIF. */
  version: string;
}

/** `--fix` re-checks after each round; overlapping fixes wait a round. This bounds the rounds. */
const maxFixRounds = 10;

/**
 * The files to check: files as given (any extension, so a typo is reported), folders walked; and
 * the vendored folders the walks left out though no `.gitignore` does (said, never silent).
 */
function collect(
  paths: string[],
  cwd: string,
): { files: string[]; vendored: string[]; ignored: string[] } {
  const files: string[] = [];
  const vendored: string[] = [];
  const ignored: string[] = [];
  for (const given of paths) {
    const full = path.resolve(cwd, given);
    if (!existsSync(full)) throw new UsageError(`no such file or folder: ${given}`);
    if (statSync(full).isDirectory())
      files.push(
        ...walk(
          full,
          (dir) => vendored.push(dir),
          (file) => ignored.push(file),
        ),
      );
    else files.push(full);
  }
  return { files: [...new Set(files)], vendored, ignored };
}

const IGNORED_REASON =
  "listed in a .gitignore, not checked (a committed file still is the project's); give its path to check it";

/** Ignored files named one by one, at most: a project can ignore thousands of generated ones. */
const IGNORED_SHOWN = 20;

const VENDORED_REASON =
  'a folder named like installed packages, build output or editor backups, not walked; give its path to check it';

interface Round {
  findings: Finding[];
  texts: Map<string, string>;
  skipped: { file: string; reason: string }[];
  syntaxErrors: string[];
  checked: number;
  /** Files that yielded a configured policy. */
  modelled: string[];
}

async function analyzeAll(
  files: string[],
  scopes: string[],
  settings: CorsLensSettings,
): Promise<Round> {
  const round: Round = {
    findings: [],
    texts: new Map(),
    skipped: [],
    syntaxErrors: [],
    checked: 0,
    modelled: [],
  };
  const reader = new DiskReader(scopes);
  // Read every file once. The grammars the candidates need start compiling as soon as one is
  // met, on V8's background threads, while the rest is read: awaited one after the other, the
  // compiles were a third of a run over a large repository.
  const candidates: { file: string; grammar: GrammarId; text: string }[] = [];
  const index = new WorkspaceIndex(reader, false);
  for (const file of files) {
    const text = grammarFor(file) || maySniff(file) ? reader.read(file) : undefined;
    // Every file read (not only those that may report) tells how its project authenticates.
    if (text !== undefined) index.updateAuth(file, text);
    const grammar = text === undefined ? undefined : grammarForText(file, text);
    if (!grammar || text === undefined || !mayReport(file, grammar, text)) continue;
    candidates.push({ file, grammar, text });
    loadGrammar(grammar).catch(() => undefined);
  }
  // One parse per candidate: its policies, and (for the cross-file checks) its frontend calls and
  // app facts. The checks run once every file's facts are in.
  const facts = new Map<string, FileFacts>();
  // One file that throws is one finding on that file; the run goes on.
  const failed = new Map<string, unknown>();
  for (const { file, grammar, text } of candidates) {
    try {
      facts.set(
        file,
        await extractFile(file, grammar, text, reader, index, settings.analysisBudgetMs),
      );
    } catch (error) {
      failed.set(file, error);
    }
  }
  const workspace = index.facts();
  for (const file of files) {
    // A file walked for its name alone (`site.tpl`) whose text is no language of ours is not a file to check.
    if (!grammarFor(file) && !facts.has(file) && maySniff(file)) {
      const text = reader.read(file);
      if (text === undefined || !grammarForText(file, text)) continue;
    }
    const source =
      grammarFor(file) || maySniff(file)
        ? reader.source(file)
        : { problem: 'not a language CORS Lens analyses yet' };
    if ('problem' in source) {
      round.skipped.push({ file, reason: source.problem });
      continue;
    }
    round.checked++;
    round.texts.set(file, source.text);
    if (failed.has(file)) {
      round.findings.push(analysisFailed(file, failed.get(file)));
      continue;
    }
    const own = facts.get(file);
    if (!own) continue;
    if (own.syntaxError) round.syntaxErrors.push(file);
    if (own.policies.some((p) => p.configured)) round.modelled.push(file);
    try {
      round.findings.push(
        ...checkPolicies(
          file,
          source.text,
          own.policies,
          reader,
          settings,
          workspace,
          own.syntaxError,
          own.overBudgetMs,
          own.production,
          checksBudget(settings, own),
        ).findings,
      );
    } catch (error) {
      round.findings.push(analysisFailed(file, error));
    }
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
  const paths = options.paths.length ? options.paths : ['.'];
  const { files, vendored, ignored } = collect(paths, io.cwd);
  // The folders named (a file's own folder): a file in no project reads across files within them.
  const scopes = paths
    .map((given) => path.resolve(io.cwd, given))
    .map((full) => (statSync(full).isDirectory() ? full : path.dirname(full)));
  const settings: CorsLensSettings = {
    ...defaultSettings,
    analysisBudgetMs: options.budgetMs ?? defaultSettings.analysisBudgetMs,
  };
  let round = await analyzeAll(files, scopes, settings);
  let fixed: number | undefined;
  if (options.fix) {
    fixed = 0;
    for (let i = 0; i < Math.min(options.fixRounds ?? maxFixRounds, maxFixRounds); i++) {
      const applied = applyRound(round);
      if (applied === 0) break;
      fixed += applied;
      round = await analyzeAll(files, scopes, settings);
    }
  }
  const index = lineIndexes((file: string) => round.texts.get(file) ?? readDiskText(file) ?? '');
  const report: CheckReport = {
    findings: round.findings.map((f) => toJsonFinding(f, index, io.cwd)),
    skipped: [
      ...round.skipped,
      ...vendored.map((file) => ({ file, reason: VENDORED_REASON })),
      ...ignored.slice(0, IGNORED_SHOWN).map((file) => ({ file, reason: IGNORED_REASON })),
      ...(ignored.length > IGNORED_SHOWN
        ? [
            {
              file: `${ignored.length - IGNORED_SHOWN} more files`,
              reason: 'listed in a .gitignore, not checked',
            },
          ]
        : []),
    ].map((s) => ({ file: displayPath(s.file, io.cwd), reason: s.reason })),
    checked: round.checked,
    modelled: round.modelled.map((f) => displayPath(f, io.cwd)),
    fixed,
    syntaxErrors: round.syntaxErrors.map((f) => displayPath(f, io.cwd)),
  };
  if (options.format === 'json') io.stdout(formatJson(report));
  else if (options.format === 'sarif') io.stdout(formatSarif(report, io.cwd, options.version));
  else io.stdout(formatText(report));
  io.stderr(formatNotes(report));
  return exitCodeOf(report, options.failOn);
}
