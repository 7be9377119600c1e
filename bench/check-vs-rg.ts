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
  const run = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const elapsed = performance.now() - t0;
  if (run.error) throw run.error;
  if (run.status === null || run.status > okUpTo) throw new Error(`${command} ${args.join(' ')} exited with ${run.status ?? run.signal}: ${run.stderr.toString().slice(0, 500)}`);
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
