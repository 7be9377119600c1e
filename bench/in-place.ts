/**
 * Issue 16's locality target: a file checked where it lives (inside an installed package, next
 * to its imports and neighbours) costs at most 2× the same file copied alone into an empty
 * folder. Prints wall clock, CPU (user + system; steadier than wall on a shared machine) and peak
 * RSS for both, and the ratio; never asserts.
 *
 *   node --import tsx bench/in-place.ts [file ...]   (defaults: installed Python CORS packages and Django)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const defaults = [
  '/usr/lib/python3/dist-packages/corsheaders/middleware.py',
  '/usr/lib/python3/dist-packages/corsheaders/checks.py',
  '/usr/lib/python3/dist-packages/flask_cors/extension.py',
  '/usr/lib/python3/dist-packages/flask_cors/core.py',
  '/usr/lib/python3/dist-packages/aiohttp_cors/cors_config.py',
  '/usr/lib/python3/dist-packages/django/conf/global_settings.py',
  '/usr/lib/python3/dist-packages/django/middleware/csrf.py',
];
const files = (process.argv.length > 2 ? process.argv.slice(2) : defaults).filter((f) =>
  fs.existsSync(f),
);
const cli = path.resolve('dist/cli.js');
const rounds = 3;

interface Cost {
  wall: number;
  cpu: number;
  rssMb: number;
}

/** The best of a few runs of `check <file>` from `cwd`, measured by GNU time. */
function measure(file: string, cwd: string): Cost {
  let best: Cost | undefined;
  for (let i = 0; i < rounds; i++) {
    const res = spawnSync(
      '/usr/bin/time',
      ['-f', '%e %U %S %M', process.execPath, cli, 'check', file, '--format', 'json'],
      { cwd, encoding: 'utf8' },
    );
    const last = res.stderr.trim().split('\n').pop() ?? '';
    const [wall, user, sys, rss] = last.split(' ').map(Number);
    const cost = { wall, cpu: user + sys, rssMb: rss / 1024 };
    if (!best || cost.cpu < best.cpu) best = cost;
  }
  return best!;
}

const fmt = (c: Cost) =>
  `${c.wall.toFixed(2)} s / ${c.cpu.toFixed(2)} s / ${Math.round(c.rssMb)} MB`;

console.log('| file | in place (wall / CPU / RSS) | alone | CPU ratio |');
console.log('|---|---|---|---|');
for (const file of files) {
  const inPlace = measure(file, path.dirname(file));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cors-lens-alone-'));
  const copy = path.join(dir, path.basename(file));
  fs.copyFileSync(file, copy);
  const alone = measure(copy, dir);
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(
    `| ${file.replace('/usr/lib/python3/dist-packages/', '')} | ${fmt(inPlace)} | ${fmt(alone)} | ${(inPlace.cpu / alone.cpu).toFixed(2)}× |`,
  );
}
