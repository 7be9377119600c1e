/**
 * `cors-lens check` over a whole repository against the floor of any such tool, `rg -l CORS`
 * (reads every file once, no parsing), both as a user runs them: a fresh process per run.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const cli = path.resolve(__dirname, '../dist/cli.js');

/** Wall time of one run of `command args` in ms; throws if it crashes (exit codes above `okUpTo`). */
function timeRun(command: string, args: string[], okUpTo: number): number {
  const t0 = performance.now();
  const run = spawnSync(command, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const elapsed = performance.now() - t0;
  if (run.error) throw run.error;
  if (run.status === null || run.status > okUpTo)
    throw new Error(
      `${command} ${args.join(' ')} exited with ${run.status ?? run.signal}: ${run.stderr.toString().slice(0, 500)}`,
    );
  return elapsed;
}

/** `node dist/cli.js check <root> --format json`, `rounds` times after one warm-up (the file cache). */
export function measureCheck(root: string, rounds: number): number[] {
  // Exit 1 means an error-severity finding: the generated repo has some.
  const run = () => timeRun(process.execPath, [cli, 'check', root, '--format', 'json'], 1);
  run();
  return Array.from({ length: rounds }, run);
}

/** Whether ripgrep is installed (apt package `ripgrep`; the bench never installs it). */
export function hasRipgrep(): boolean {
  return !spawnSync('rg', ['--version'], { stdio: 'ignore' }).error;
}

/** `rg -l CORS <root>`, `rounds` times after one warm-up. */
export function measureRipgrep(root: string, rounds: number): number[] {
  // Exit 1 means no match.
  const run = () => timeRun('rg', ['-l', 'CORS', root], 1);
  run();
  return Array.from({ length: rounds }, run);
}

/**
 * What any Node.js tool pays before it parses anything: a fresh `node` that walks the tree, reads
 * every file and tests it against the CLI's pre-filter pattern. The gap between this floor and
 * `rg -l` is Node's start-up and single-threaded I/O, not CORS Lens.
 */
const floorScript = `
const fs = require('fs'), path = require('path');
const pattern = /cors|access-control|fetch|axios|XMLHttpRequest/i;
let hits = 0;
(function walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) { if (e.name !== 'node_modules' && e.name !== '.git') walk(full); }
    else if (pattern.test(fs.readFileSync(full, 'latin1'))) hits++;
  }
})(process.argv[1]);
process.stdout.write(String(hits));
`;

/** The Node.js floor above, `rounds` times after one warm-up. */
export function measureNodeFloor(root: string, rounds: number): number[] {
  const run = () => timeRun(process.execPath, ['-e', floorScript, root], 0);
  run();
  return Array.from({ length: rounds }, run);
}
