/**
 * How long one file's analysis takes (read, parse, extract, every check), for every file under
 * the given folders, in process: the distribution that sets the per-file budget
 * (`analysisBudgetMs`). Each file is analysed twice and the second run counted (the first of a
 * language compiles its grammar and our code); CPU time is given beside wall time because the
 * development machine is shared. Printed, never asserted.
 *
 *   node --import tsx bench/file-times.ts [folders...]   (default: examples test/fixtures)
 */
import fs from 'node:fs';
import path from 'node:path';
import { DiskReader } from '../server/src/base/disk-reader';
import { analyzeFile } from '../server/src/cli/analyze-file';
import { defaultSettings } from '../server/src/analysis/settings';
import { grammarFor, maySniff } from '../server/src/parsing/languages';

/** Every file under `dir` the CLI would analyse. */
function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(file);
    return entry.isFile() && (grammarFor(file) || maySniff(file)) ? [file] : [];
  });
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

async function main(): Promise<void> {
  const roots = process.argv.slice(2).length
    ? process.argv.slice(2)
    : ['examples', 'test/fixtures'];
  const settings = { ...defaultSettings, analysisBudgetMs: 1e9 };
  const rows: { file: string; wall: number; cpu: number; bytes: number }[] = [];
  for (const root of roots)
    for (const file of filesUnder(root)) {
      let wall = 0;
      let cpu = 0;
      for (let round = 0; round < 2; round++) {
        const started = performance.now();
        const cpuStarted = process.cpuUsage();
        await analyzeFile(file, new DiskReader(), settings);
        const used = process.cpuUsage(cpuStarted);
        wall = performance.now() - started;
        cpu = (used.user + used.system) / 1000;
      }
      rows.push({ file, wall, cpu, bytes: fs.statSync(file).size });
    }
  const show = (name: 'wall' | 'cpu') => {
    const sorted = rows.map((r) => r[name]).sort((a, b) => a - b);
    const over = (ms: number) => sorted.filter((t) => t > ms).length;
    console.log(
      `| ${name} | ${rows.length} | ${quantile(sorted, 0.5).toFixed(1)} | ${quantile(sorted, 0.9).toFixed(1)} | ${quantile(sorted, 0.99).toFixed(1)} | ${sorted[sorted.length - 1].toFixed(1)} | ${over(100)} | ${over(250)} | ${over(1000)} |`,
    );
  };
  console.log(`folders: ${roots.join(', ')}`);
  console.log('| ms | files | median | p90 | p99 | max | > 100 ms | > 250 ms | > 1 s |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  show('wall');
  show('cpu');
  console.log('\nslowest (wall ms, CPU ms, bytes):');
  for (const r of [...rows].sort((a, b) => b.wall - a.wall).slice(0, 8))
    console.log(`  ${r.wall.toFixed(1)}  ${r.cpu.toFixed(1)}  ${r.bytes}  ${r.file}`);
}

void main();
