/**
 * The fuzzer (issue "Never crash, never hang"):
 *   node --import tsx test/fuzz/run.ts --seed N --count N --minutes M [--batch 50] [--workers 1]
 *     [--lsp-every 10] [--hang-ms 60000] [--budget-ms 1000] [--no-minimize] [--no-save] [--measure]
 * Mutates every fixture (seeded, deterministic), runs the CLI over batches of inputs and the
 * language server over a share of them, and prints a summary; the first input of each new
 * failure signature is minimised into test/fuzz/regressions/<signature>/. Build first
 * (node esbuild.mjs). Exit code 1 when anything failed.
 */
import path from 'node:path';
import { Fuzzer } from './engine';
import { measure } from './measure';
import { printSummary } from './summary';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const flag = (name: string) => process.argv.includes(`--${name}`);

async function main() {
  if (flag('measure')) {
    await measure(console.log);
    return;
  }
  const seed = arg('seed', 1);
  const fuzzer = new Fuzzer({
    seed,
    count: arg('count', 2000),
    minutes: arg('minutes', 10),
    batchSize: arg('batch', 50),
    workers: arg('workers', 1),
    hangMs: arg('hang-ms', 60_000),
    fileBudgetMs: arg('budget-ms', 1000),
    lspEvery: arg('lsp-every', 10),
    minimize: !flag('no-minimize'),
    minimizeMs: arg('minimize-seconds', 90) * 1000,
    regressionsDir: flag('no-save') ? undefined : path.join(__dirname, 'regressions'),
    quarantineAfter: arg('quarantine-after', 3),
    log: (l) => console.log(l),
  });
  console.log(`fuzzing with seed ${seed}`);
  const summary = await fuzzer.run();
  printSummary(summary);
  process.exitCode = summary.signatures.size > 0 ? 1 : 0;
}

void main();
