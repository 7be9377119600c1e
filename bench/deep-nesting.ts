/**
 * Deeply nested files through `cors-lens check` (issue 16: a tree-sitter `node.parent` is a search
 * from the root, so walks up the tree were quadratic in the nesting depth): CPU time per depth and
 * the CPU ratio per doubling of the depth, printed as a table, never asserted (linear: a ratio
 * near 2; the CLI's start, about 0.3 s, is in every row). One shape per framework whose reader
 * walks up from the nodes it finds: its CORS call nested in itself, or its options nested in
 * calls, arrays or blocks; `plain` is an ordinary app of each language (no nesting), the floor.
 *
 *   node --import tsx bench/deep-nesting.ts [--dist dist] [--depths 750,1500,3000] [--rounds 3]
 *     [--shapes express,hono,...]
 *
 * `--dist` picks the bundle folder (to compare two builds); each row is the median of `--rounds`
 * runs; the per-file analysis budget is lifted so the whole cost is measured.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deepShapes as shapes } from '../test/support/deep-nesting';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const dist = path.resolve(arg('dist', 'dist'));
const depths = arg('depths', '750,1500,3000').split(',').map(Number);
const rounds = Number(arg('rounds', '3'));
const usageHook = path.resolve('bench/support/usage-hook.cjs');

const chosen = arg('shapes', '')
  .split(',')
  .filter(Boolean)
  .map((s) => s.toLowerCase());
const names = Object.keys(shapes).filter(
  (name) => !chosen.length || chosen.some((c) => name.toLowerCase().startsWith(c)),
);

/** CPU seconds of one `check app --format json` over a folder holding the text, or why not. */
async function check(file: string, text: string): Promise<number | string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cors-lens-deep-'));
  const usageFile = path.join(dir, 'usage.json');
  fs.mkdirSync(path.dirname(path.join(dir, 'app', file)), { recursive: true });
  fs.writeFileSync(path.join(dir, 'app', file), text);
  try {
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(
        process.execPath,
        [
          '--require',
          usageHook,
          path.join(dist, 'cli.js'),
          'check',
          'app',
          '--format',
          'json',
          '--budget-ms',
          '10000000',
        ],
        { cwd: dir, env: { ...process.env, CORS_LENS_USAGE_FILE: usageFile }, stdio: 'ignore' },
      );
      child.on('close', resolve);
    });
    if (code !== 0 && code !== 1) return `exit ${code}`;
    const usage = JSON.parse(fs.readFileSync(usageFile, 'utf8')) as NodeJS.ResourceUsage;
    return (usage.userCPUTime + usage.systemCPUTime) / 1e6;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The median of `rounds` runs (or the first failure). */
async function median(file: string, text: string): Promise<number | string> {
  const runs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const run = await check(file, text);
    if (typeof run === 'string') return run;
    runs.push(run);
  }
  return runs.sort((a, b) => a - b)[Math.floor(runs.length / 2)];
}

async function main(): Promise<void> {
  console.log(`bundle: ${dist}; median of ${rounds} runs, CPU seconds`);
  console.log(`| shape | ${depths.map((d) => `depth ${d}`).join(' | ')} | ratio per doubling |`);
  console.log(`|---|${depths.map(() => '---|').join('')}---|`);
  for (const name of names) {
    const { file, text } = shapes[name];
    const plain = name.startsWith('plain');
    const cpu: (number | string)[] = [];
    for (const d of plain ? [depths[0]] : depths) cpu.push(await median(file, text(d)));
    const [first, last] = [cpu[0], cpu[cpu.length - 1]];
    const ratio =
      !plain && typeof first === 'number' && typeof last === 'number'
        ? ((last / first) ** (1 / Math.log2(depths[depths.length - 1] / depths[0]))).toFixed(2)
        : '—';
    const cells = cpu.map((c) => (typeof c === 'number' ? `${c.toFixed(2)} s` : c));
    console.log(
      `| ${name} | ${cells.join(' | ')}${plain ? ' | '.repeat(depths.length - 1) : ''} | ${ratio} |`,
    );
  }
}

void main();
