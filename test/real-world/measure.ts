// Measures the CLI against the real-world corpus (test/real-world/corpus/*.json).
//
//   node esbuild.mjs
//   node --import tsx test/real-world/measure.ts [--corpus /work/corpus] [--json] [--sources]
//     [--details] [--only <framework>[,<framework>...]]
//
// Each corpus entry names a repository, the commit its files were read at, the files judged by
// a reviewer (with the findings the reviewer expects) and context files. The files must be
// materialised under <corpus>/<owner>+<name>/<path>; repositories that are not are skipped and
// counted. Per judged file a reported finding (check id + 1-based start line) in `expect` is a
// true positive, one not in `expect` a false positive; an expected one not reported is a false
// negative. Findings in files that are not judged are ignored. A judged file is "recognised"
// when the tool reports a finding in it or lists it in the JSON output's `modelled` array
// (a cors-setup-not-modelled finding says it was not recognised: it is not counted as a finding).
// Only findings at `warning` or `error` severity are scored: an `info` note (allow-all-origins
// without credentials: public responses) is advice, not an alarm, so it is neither a true nor a
// false positive, and a judged problem reported only as a note is a false negative. The notes on
// judged files are counted per framework and printed in their own column. deprecated-setting is
// a note by design (a renamed setting), so its `info` findings are scored as before.
// A second recall, "recall incl. notes", counts a judged problem as found when the tool reports
// it (same check, same line) as an `info` note: the reviewer judged a public `*` without
// credentials a warning, the tool's policy is a note (it reads nothing private), and the figure
// shows what the tool sees apart from that difference of severity. Precision is unchanged by it.
// `--sources` writes test/real-world/SOURCES.md from the corpus files (and, as an appendix, the
// files read for shape fixtures, test/real-world/shape-sources.json); nothing else is written.
// `--details` lists every false positive, false negative (with the reviewer's why) and
// unrecognised file; `--only` measures the repositories with a judged file of those frameworks.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const CORPUS_DIR = path.join(__dirname, 'corpus');
const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const TIMEOUT_MS = 120_000;

interface Expected {
  check: string;
  line: number;
  why: string;
}

interface JudgedFile {
  path: string;
  framework: string;
  setup: string;
  expect: Expected[];
}

interface CorpusRepo {
  repo: string;
  commit: string;
  kind: string;
  files: JudgedFile[];
  context: string[];
}

interface Finding {
  check: string;
  severity: string;
  file: string;
  line: number;
}

/** The severities scored as alarms (see the header comment). */
const SCORED = new Set(['error', 'warning']);

/** Checks whose findings are notes by design (a deprecated name): their `info` is scored as before. */
const NOTE_CHECKS = new Set(['deprecated-setting']);

type RunResult =
  { kind: 'ok'; findings: Finding[]; modelled: Set<string> } | { kind: 'crash'; reason: string };

interface Tally {
  files: number;
  tp: number;
  fp: number;
  fn: number;
  recognised: number;
  crashes: number;
  /** `info` notes on judged files: printed, not scored. */
  notes: number;
  /** False negatives the tool reported at the judged line as an `info` note (recall incl. notes). */
  noted: number;
}

interface Options {
  corpus: string;
  json: boolean;
  sources: boolean;
  details: boolean;
  only: string[];
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = {
    corpus: '/work/corpus',
    json: false,
    sources: false,
    details: false,
    only: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') options.json = true;
    else if (arg === '--sources') options.sources = true;
    else if (arg === '--details') options.details = true;
    else if (arg === '--only') options.only = (argv[++i] ?? '').split(',');
    else if (arg === '--corpus') options.corpus = path.resolve(argv[++i] ?? '');
    else if (arg.startsWith('--corpus='))
      options.corpus = path.resolve(arg.slice('--corpus='.length));
    else throw new Error(`unknown argument: ${arg}`);
  }
  return options;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asString(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new Error(`${what} is not a string`);
  return value;
}

function asArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${what} is not an array`);
  return value;
}

function parseExpected(value: unknown, where: string): Expected {
  if (!isRecord(value) || typeof value.line !== 'number')
    throw new Error(`${where}: bad expect entry`);
  return {
    check: asString(value.check, `${where}.check`),
    line: value.line,
    why: asString(value.why, `${where}.why`),
  };
}

function parseJudgedFile(value: unknown, where: string): JudgedFile {
  if (!isRecord(value)) throw new Error(`${where}: not an object`);
  return {
    path: asString(value.path, `${where}.path`),
    framework: asString(value.framework, `${where}.framework`),
    setup: asString(value.setup, `${where}.setup`),
    expect: asArray(value.expect, `${where}.expect`).map((e, i) =>
      parseExpected(e, `${where}.expect[${i}]`),
    ),
  };
}

function parseRepo(value: unknown, where: string): CorpusRepo {
  if (!isRecord(value)) throw new Error(`${where}: not an object`);
  const repo = asString(value.repo, `${where}.repo`);
  return {
    repo,
    commit: asString(value.commit, `${where}.commit`),
    kind: asString(value.kind, `${where}.kind`),
    files: asArray(value.files, `${where}.files`).map((f, i) =>
      parseJudgedFile(f, `${repo}.files[${i}]`),
    ),
    context: asArray(value.context ?? [], `${where}.context`).map((c, i) =>
      asString(c, `${repo}.context[${i}]`),
    ),
  };
}

function loadCorpus(): CorpusRepo[] {
  const names = fs
    .readdirSync(CORPUS_DIR)
    .filter((n) => n.endsWith('.json'))
    .sort();
  return names.flatMap((name) => {
    const parsed: unknown = JSON.parse(fs.readFileSync(path.join(CORPUS_DIR, name), 'utf8'));
    return asArray(parsed, name).map((entry, i) => parseRepo(entry, `${name}[${i}]`));
  });
}

function repoDir(corpus: string, repo: CorpusRepo): string {
  return path.join(corpus, repo.repo.replace('/', '+'));
}

function isMaterialised(corpus: string, repo: CorpusRepo): boolean {
  const dir = repoDir(corpus, repo);
  return repo.files.every((f) => fs.existsSync(path.join(dir, f.path)));
}

function parseFinding(value: unknown): Finding | undefined {
  if (!isRecord(value) || !isRecord(value.range) || !isRecord(value.range.start)) return undefined;
  const line = value.range.start.line;
  if (
    typeof value.check !== 'string' ||
    typeof value.severity !== 'string' ||
    typeof value.file !== 'string' ||
    typeof line !== 'number'
  )
    return undefined;
  return {
    check: value.check,
    severity: value.severity,
    file: path.resolve(value.file),
    line: line + 1,
  };
}

function parseCliOutput(stdout: string): RunResult {
  const parsed: unknown = JSON.parse(stdout);
  if (!isRecord(parsed) || !Array.isArray(parsed.findings))
    return { kind: 'crash', reason: 'no findings array' };
  const findings = parsed.findings.map(parseFinding).filter((f): f is Finding => f !== undefined);
  const modelledRaw = Array.isArray(parsed.modelled) ? parsed.modelled : [];
  const modelled = new Set(
    modelledRaw.filter((m): m is string => typeof m === 'string').map((m) => path.resolve(m)),
  );
  return { kind: 'ok', findings, modelled };
}

function runCli(dir: string): RunResult {
  const result = spawnSync(process.execPath, [CLI, 'check', dir, '--format', 'json'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) return { kind: 'crash', reason: result.error.message };
  if (result.signal) return { kind: 'crash', reason: `killed by ${result.signal}` };
  try {
    return parseCliOutput(result.stdout);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      kind: 'crash',
      reason: `exit ${String(result.status)}: ${reason}: ${result.stderr.slice(0, 200)}`,
    };
  }
}

const NOT_MODELLED = 'cors-setup-not-modelled';

function emptyTally(): Tally {
  return { files: 0, tp: 0, fp: 0, fn: 0, recognised: 0, crashes: 0, notes: 0, noted: 0 };
}

function key(check: string, line: number): string {
  return `${check}@${line}`;
}

/** One line per miss, false alarm or unrecognised file, for `--details`. */
type Detail = string;

function scoreFile(
  file: JudgedFile,
  absolute: string,
  run: RunResult,
  tally: Tally,
  details?: Detail[],
): void {
  tally.files++;
  const where = `${file.framework} ${absolute}`;
  if (run.kind === 'crash') {
    tally.crashes++;
    tally.fn += file.expect.length;
    details?.push(`CRASH ${where}: ${run.reason}`);
    return;
  }
  const expected = new Set(file.expect.map((e) => key(e.check, e.line)));
  // cors-setup-not-modelled says the tool did not recognise the setup: it scores as not recognised, never as a finding.
  const own = run.findings.filter((f) => f.file === absolute && f.check !== NOT_MODELLED);
  const scored = (f: Finding) => SCORED.has(f.severity) || NOTE_CHECKS.has(f.check);
  const reported = new Set(own.filter(scored).map((f) => key(f.check, f.line)));
  const notes = own.filter((f) => !scored(f));
  tally.notes += notes.length;
  for (const r of reported) {
    if (expected.has(r)) tally.tp++;
    else {
      tally.fp++;
      details?.push(`FP ${where}: ${r}`);
    }
  }
  for (const e of file.expect) {
    if (reported.has(key(e.check, e.line))) continue;
    tally.fn++;
    const noted = notes.some((n) => key(n.check, n.line) === key(e.check, e.line));
    if (noted) tally.noted++;
    details?.push(
      `FN ${where}: ${key(e.check, e.line)}${noted ? ' [info note only]' : ''} (${e.why})`,
    );
  }
  if (own.length > 0 || run.modelled.has(absolute)) tally.recognised++;
  else details?.push(`UNRECOGNISED ${where}: ${file.setup}`);
}

function tallyFor(tallies: Map<string, Tally>, name: string): Tally {
  const existing = tallies.get(name);
  if (existing) return existing;
  const fresh = emptyTally();
  tallies.set(name, fresh);
  return fresh;
}

interface Measured {
  byFramework: Map<string, Tally>;
  overall: Tally;
  skipped: string[];
  crashedRepos: string[];
  details: Detail[];
}

function measure(corpus: string, repos: readonly CorpusRepo[]): Measured {
  const measured: Measured = {
    byFramework: new Map(),
    overall: emptyTally(),
    skipped: [],
    crashedRepos: [],
    details: [],
  };
  for (const repo of repos) {
    if (!isMaterialised(corpus, repo)) {
      measured.skipped.push(repo.repo);
      continue;
    }
    const dir = repoDir(corpus, repo);
    const run = runCli(dir);
    if (run.kind === 'crash') measured.crashedRepos.push(`${repo.repo}: ${run.reason}`);
    for (const file of repo.files) {
      const absolute = path.resolve(dir, file.path);
      scoreFile(file, absolute, run, tallyFor(measured.byFramework, file.framework));
      scoreFile(file, absolute, run, measured.overall, measured.details);
    }
  }
  return measured;
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

interface Row {
  framework: string;
  files: number;
  tp: number;
  fp: number;
  fn: number;
  precision: number | null;
  recall: number | null;
  /** Recall when a judged problem reported as an `info` note at its line counts as found. */
  recallWithNotes: number | null;
  recognised: number | null;
  crashes: number;
  notes: number;
}

function toRow(framework: string, t: Tally): Row {
  return {
    framework,
    files: t.files,
    tp: t.tp,
    fp: t.fp,
    fn: t.fn,
    precision: ratio(t.tp, t.tp + t.fp),
    recall: ratio(t.tp, t.tp + t.fn),
    recallWithNotes: ratio(t.tp + t.noted, t.tp + t.fn),
    recognised: ratio(t.recognised, t.files),
    crashes: t.crashes,
    notes: t.notes,
  };
}

function percent(value: number | null): string {
  return value === null ? '-' : `${(value * 100).toFixed(0)}%`;
}

function printTable(rows: readonly Row[]): void {
  const header = [
    'framework',
    'files',
    'TP',
    'FP',
    'FN',
    'precision',
    'recall',
    'recall incl. notes',
    'recognised',
    'crashes',
    'info notes',
  ];
  const body = rows.map((r) => [
    r.framework,
    String(r.files),
    String(r.tp),
    String(r.fp),
    String(r.fn),
    percent(r.precision),
    percent(r.recall),
    percent(r.recallWithNotes),
    percent(r.recognised),
    String(r.crashes),
    String(r.notes),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(line(b));
}

function sourcesMarkdown(repos: readonly CorpusRepo[]): string {
  const escape = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [
    '# Sources of the real-world corpus',
    '',
    'Generated by `node --import tsx test/real-world/measure.ts --sources` from `test/real-world/corpus/*.json`.',
    'Files were read at the commit shown; nothing from them is copied into this repository.',
    '',
    '| repo | commit | path | framework | what its setup does |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const repo of repos) {
    for (const file of repo.files) {
      const cells = [
        repo.repo,
        repo.commit.slice(0, 7),
        `\`${file.path}\``,
        file.framework,
        file.setup,
      ];
      lines.push(`| ${cells.map(escape).join(' | ')} |`);
    }
  }
  lines.push(
    '',
    '## Read for the shape fixtures (not measured)',
    '',
    'Files read to write `test/fixtures/real-shapes/` variants, from `test/real-world/shape-sources.json`.',
    '',
    '| repo | commit | path | framework | what its setup does |',
    '| --- | --- | --- | --- | --- |',
  );
  for (const read of shapeSources()) {
    const cells = [
      read.repo,
      // A commit as its short hash; a note in its place (`(held-out batch 35)`) as written.
      /^[0-9a-f]{8,40}$/.test(read.commit) ? read.commit.slice(0, 7) : read.commit,
      `\`${read.path}\``,
      read.framework,
      read.read_for,
    ];
    lines.push(`| ${cells.map(escape).join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** Files read to write shape fixtures: recorded as sources, not judged or measured. */
interface ShapeSource {
  repo: string;
  commit: string;
  path: string;
  framework: string;
  read_for: string;
}

function shapeSources(): ShapeSource[] {
  const file = path.join(__dirname, 'shape-sources.json');
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as ShapeSource[]) : [];
}

function main(): void {
  const options = parseArgs(process.argv.slice(2));
  const repos = loadCorpus();
  if (options.sources) {
    const target = path.join(__dirname, 'SOURCES.md');
    fs.writeFileSync(target, sourcesMarkdown(repos));
    console.log(`wrote ${path.relative(REPO_ROOT, target)} (${repos.length} repositories)`);
    return;
  }
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run node esbuild.mjs first`);
  const wanted = options.only.length
    ? repos.filter((r) => r.files.some((f) => options.only.includes(f.framework)))
    : repos;
  const measured = measure(options.corpus, wanted);
  const rows = [...measured.byFramework.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, tally]) => toRow(name, tally));
  const overall = toRow('overall', measured.overall);
  if (options.json) {
    console.log(
      JSON.stringify(
        { frameworks: rows, overall, skipped: measured.skipped, crashes: measured.crashedRepos },
        null,
        2,
      ),
    );
    return;
  }
  printTable([...rows, overall]);
  console.log('');
  console.log(
    `repositories: ${wanted.length - measured.skipped.length} measured, ${measured.skipped.length} skipped (not materialised under ${options.corpus})`,
  );
  for (const crash of measured.crashedRepos) console.log(`crash: ${crash}`);
  if (options.details) for (const detail of measured.details) console.log(detail);
}

main();
