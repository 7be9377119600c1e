/**
 * `npm run bench`: the speed and memory budget, measured in one run and printed as one table
 * (median, p95, p99, target, and ratios between rows of the same run). Numbers are reported, not
 * asserted. CORS_LENS_BENCH_QUICK=1 runs fewer iterations on a smaller repository (test/run.sh
 * runs it after the tests so the bench cannot rot). Needs the bundles: `node esbuild.mjs` first.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { grammarFor } from '../server/src/parsing/languages';
import { hasRipgrep, measureCheck, measureNodeFloor, measureRipgrep } from './check-vs-rg';
import { activation, nodeBaselineMb, serverFootprint, vsixBytes, copyWorkspace } from './footprint';
import { measureColdOpen, measureEdits, measureReparse } from './lsp-edit';
import { generateRepo, isCorsFile } from './support/repo';
import {
  expressApp,
  flaskApp,
  nginxConf,
  settingsPy,
  settingsPyMultiline,
} from './support/sources';
import { ms, printTable, summarize, type Summary } from './support/stats';

const quick = process.env.CORS_LENS_BENCH_QUICK === '1';
const EDITS = quick ? 40 : 500;
const COLD_ROUNDS = quick ? 3 : 10;
const REPO_FILES = quick ? 1000 : 10_000;
const CHECK_ROUNDS = quick ? 2 : 5;
const OPEN_FILES = 200;

const rows: string[][] = [];
const ok = (met: boolean) => (met ? 'met' : 'MISSED');

/** Adds a row, and says so on stderr (a full run takes minutes). */
function add(cells: string[]): void {
  rows.push(cells);
  console.error(`bench: ${cells[0]}: ${cells[2]}`);
}

/** One table row from a sample. */
function row(measure: string, s: Summary, target: string, note: string): void {
  add([measure, String(s.n), ms(s.median), ms(s.p95), ms(s.p99), target, note]);
}

/** A row with one value (a median of `n` runs, or a single reading). */
function single(measure: string, value: string, target: string, note: string, n = 1): void {
  add([measure, String(n), value, '', '', target, note]);
}

/** Per-edit latency, cold open and the in-process share for each of the three documents. */
async function editing(): Promise<void> {
  for (const doc of [
    settingsPy(2000),
    settingsPyMultiline(2000),
    expressApp(1500),
    flaskApp(1500),
    nginxConf(1000),
  ]) {
    const { times, serverCpuMs } = await measureEdits(doc, EDITS);
    const edits = summarize(times);
    const reparse = summarize(await measureReparse(doc, EDITS));
    const met = edits.median <= 5 && edits.p99 <= 15;
    const cpu = serverCpuMs === undefined ? '' : `; server CPU per edit ${ms(serverCpuMs)}`;
    row(
      `edit → diagnostics, ${doc.label}`,
      edits,
      'median ≤ 5, p99 ≤ 15',
      `${ok(met)}${cpu}; tree-sitter reparse alone: median ${ms(reparse.median)}, p99 ${ms(reparse.p99)}`,
    );
    row(
      `cold open (fresh server) → diagnostics, ${doc.label}`,
      summarize(await measureColdOpen(doc, COLD_ROUNDS)),
      '',
      '',
    );
  }
}

/** `cors-lens check` over the generated repository against `rg -l CORS`. */
function checkVsRipgrep(root: string): void {
  const made = generateRepo(root, REPO_FILES);
  const check = summarize(measureCheck(root, CHECK_ROUNDS));
  const label = `${made.files.toLocaleString('en')}-file mixed repo (${made.corsFiles} with CORS)`;
  if (!hasRipgrep()) {
    row(
      `cors-lens check, ${label}`,
      check,
      '≤ 2× rg',
      'rg not installed (apt install ripgrep): no ratio',
    );
    return;
  }
  const rg = summarize(measureRipgrep(root, CHECK_ROUNDS));
  const floor = summarize(measureNodeFloor(root, CHECK_ROUNDS));
  const ratio = check.median / rg.median;
  row(
    `cors-lens check, ${label}`,
    check,
    '≤ 2× rg',
    `${ok(ratio <= 2)}: ${ratio.toFixed(1)}× rg, ${(check.median / floor.median).toFixed(1)}× the Node floor`,
  );
  row(`rg -l CORS, same tree`, rg, '', '');
  row(
    'Node floor: fresh node walks, reads and pattern-tests every file',
    floor,
    '',
    `${(floor.median / rg.median).toFixed(1)}× rg before any parse`,
  );
}

/** Server start and RSS after opening files of every language of the generated repository. */
async function memory(root: string): Promise<void> {
  const all: string[] = [];
  const visit = (dir: string) => {
    for (const entry of fs
      .readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (grammarFor(full)) all.push(full);
    }
  };
  visit(root);
  // Every CORS setup first (all grammars, every extractor), then ordinary modules.
  const cors = all.filter(isCorsFile);
  const corsFirst = (list: string[]) =>
    [...list.filter(isCorsFile), ...list.filter((f) => !isCorsFile(f))].slice(0, OPEN_FILES);
  // Each measure opens every file of a workspace folder made of just those files.
  const workspace = (name: string, list: string[]) => {
    const dir = path.join(root, '..', `${path.basename(root)}-${name}`);
    return { dir, files: copyWorkspace(dir, root, list) };
  };
  const mixed = workspace('mixed', corsFirst(all));
  const pythonOnly = workspace('python', corsFirst(all.filter((f) => grammarFor(f) === 'python')));
  const perLanguage = workspace('languages', [
    ...new Map(cors.map((f) => [grammarFor(f), f])).values(),
  ]);
  const runs = [];
  const languages = [];
  const python = [];
  try {
    // One after the other: the start time is part of the measure.
    for (let r = 0; r < 3; r++) {
      runs.push(await serverFootprint(mixed.dir, mixed.files));
      languages.push(await serverFootprint(perLanguage.dir, perLanguage.files));
      python.push(await serverFootprint(pythonOnly.dir, pythonOnly.files));
    }
  } finally {
    for (const { dir } of [mixed, pythonOnly, perLanguage])
      fs.rmSync(dir, { recursive: true, force: true });
  }
  const idle = summarize(runs.map((r) => r.idleMb));
  const open = summarize(runs.map((r) => r.openMb));
  const grammars = summarize(languages.map((r) => r.openMb));
  const pythonOpen = summarize(python.map((r) => r.openMb));
  row(
    'server start (spawn → initialize answered), ms',
    summarize(runs.map((r) => r.startMs)),
    '',
    '',
  );
  single(
    'bare node process RSS, MB',
    (await nodeBaselineMb()).toFixed(1),
    '',
    'Node itself, in every server',
  );
  single('server RSS after start, MB', idle.median.toFixed(1), '', 'median of 3 servers', idle.n);
  single(
    `server RSS after one file per language (${perLanguage.files.length} grammars), MB`,
    grammars.median.toFixed(1),
    '',
    'median of 3 servers',
    grammars.n,
  );
  single(
    `server RSS after opening ${mixed.files.length} files, MB`,
    open.median.toFixed(1),
    '≤ 80',
    `${ok(open.median <= 80)}; median of 3 servers`,
    open.n,
  );
  single(
    `server RSS after opening ${pythonOnly.files.length} Python files (one grammar), MB`,
    pythonOpen.median.toFixed(1),
    '≤ 80',
    `${ok(pythonOpen.median <= 80)}; median of 3 servers`,
    pythonOpen.n,
  );
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cors-lens-bench-repo-'));
  try {
    await editing();
    checkVsRipgrep(root);
    await memory(root);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  const act = await activation(!quick);
  if (act)
    single(
      'extension activation (as VS Code reports it), ms',
      String(act.ms),
      '≤ 100',
      `${ok(act.ms <= 100)}; ${act.source}`,
    );
  else
    single(
      'extension activation, ms',
      'n/a',
      '≤ 100',
      'not measured: code-server not installed (test/e2e/install-code-server.sh) and no e2e record',
    );
  const size = vsixBytes();
  single('.vsix size, KB', (size / 1024).toFixed(0), '≤ 5,120', ok(size <= 5 * 1024 * 1024));
  console.log(
    `\nCORS Lens bench${quick ? ' (quick mode)' : ''}: Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}; times in ms`,
  );
  printTable(['measure', 'n', 'median', 'p95', 'p99', 'target', 'result'], rows);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
