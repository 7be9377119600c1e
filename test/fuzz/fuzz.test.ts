import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { classify, cleanup, runCli, tempDir, writeBatch } from './cli-driver';
import { eolDifference, Fuzzer, fixLoss } from './engine';
import { LspSession } from './lsp-driver';
import { Rng } from './prng';
import { loadReproducers } from './replay';
import { printSummary } from './summary';

/**
 * "Never crash, never hang": every reproducer in test/fuzz/regressions/ through the CLI (json
 * and text) and the language server, then a quick seeded fuzz pass sized by the time left of a
 * 3-minute budget. CORS_LENS_FUZZ_SEED picks another seed; CORS_LENS_FUZZ_SECONDS the budget.
 */

const budgetMs = Number(process.env.CORS_LENS_FUZZ_SECONDS ?? 170) * 1000;
const seed = Number(process.env.CORS_LENS_FUZZ_SEED ?? 20261203);
const hangMs = 5000;
const started = performance.now();
const reproducers = loadReproducers();

describe('fuzz reproducers through the CLI', () => {
  for (const r of reproducers) {
    test(`${r.folder}/${r.name} (${r.signature})`, async () => {
      if (r.kind === 'eol-findings-differ') {
        const difference = await eolDifference(r.name, r.bytes, hangMs * 2);
        assert.equal(
          difference,
          undefined,
          `${r.folder}: line endings change the findings: ${difference}`,
        );
        return;
      }
      if (r.kind === 'fix-lost-line') {
        const lost = await fixLoss(r.name, r.bytes, hangMs * 2);
        assert.equal(lost, undefined, `${r.folder}: --fix ${lost}`);
        return;
      }
      const dir = tempDir('replay');
      try {
        writeBatch(dir, [{ name: r.name, bytes: r.bytes }]);
        for (const format of ['json', 'text'] as const) {
          const res = await runCli(['check', '.', '--format', format], dir, hangMs);
          const failure = classify(res, format);
          assert.equal(
            failure,
            undefined,
            `${r.folder}/${r.name} (--format ${format}): ${failure?.kind}: ${failure?.detail}`,
          );
          if (r.kind === 'slow')
            console.log(`# ${r.folder}: ${(res.ms / 1000).toFixed(2)} s with start-up`);
        }
      } finally {
        cleanup(dir);
      }
    });
  }
});

describe('fuzz reproducers through the language server', () => {
  let session: LspSession | undefined;
  const root = tempDir('replay-lsp');
  const start = async () =>
    (session = await LspSession.start(path.join(root, String(Math.random()).slice(2)), {
      hangMs,
      responsiveMs: 200,
    }));
  before(start);
  after(async () => {
    const failure = await session?.stop();
    cleanup(root);
    assert.equal(failure, undefined, failure?.detail);
  });
  reproducers.forEach((r, i) => {
    test(`${r.folder}/${r.name}`, async () => {
      if (!session?.alive) await start();
      const failure = await session!.exercise(r.name, r.bytes.toString('utf8'), new Rng(i), i);
      if (failure && (failure.kind === 'lsp-hang' || failure.kind === 'lsp-crash')) {
        session!.kill();
        session = undefined;
      }
      assert.equal(
        failure,
        undefined,
        `${r.folder}/${r.name}: ${failure?.kind}: ${failure?.detail}`,
      );
    });
  });
});

test(`a quick seeded fuzz pass (seed ${seed})`, async () => {
  const left = Math.max(30_000, budgetMs - (performance.now() - started));
  const lines: string[] = [];
  const fuzzer = new Fuzzer({
    seed,
    count: 1_000_000,
    minutes: left / 60_000,
    batchSize: 30,
    workers: 2,
    hangMs,
    fileBudgetMs: 1000,
    lspEvery: 10,
    minimize: false,
    minimizeMs: 0,
    quarantineAfter: 3,
    log: (l) => lines.push(l),
  });
  const summary = await fuzzer.run();
  printSummary(summary, (l) => lines.push(l));
  console.log(lines.map((l) => `# ${l}`).join('\n'));
  const failures = [...summary.signatures.values()].filter(
    (s) => s.kind !== 'slow' && s.kind !== 'lsp-unresponsive',
  );
  assert.deepEqual(
    failures.map(
      (s) =>
        `${s.signature}: input ${s.first.id} (${s.first.mutator}, ${s.first.name}); rerun: node --import tsx test/fuzz/run.ts --seed ${seed} --count ${Number(s.first.id.split(':')[1]) + 1 || ''}`,
    ),
    [],
  );
});
