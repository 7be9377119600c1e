import type { Summary } from './engine';

/** The summary table of a fuzz run, then one line per failure signature. */
export function printSummary(s: Summary, log: (l: string) => void = console.log) {
  const rows: [string, string][] = [
    [
      'inputs',
      `${s.inputs} (${s.lspInputs} also through the language server; ${s.repeats} huge ones byte for byte a repeat, not re-run; ${s.skippedKnownHangs} skipped: mutator+file type already hung or over budget 3 times)`,
    ],
    ['inputs/s', (s.inputs / (s.elapsedMs / 1000)).toFixed(1)],
    [
      'CLI runs',
      `${s.cliRuns} (${s.splits} batch splits), ${(s.cliCpuMs / 1000).toFixed(0)} s CPU`,
    ],
    ['crashes', String(s.crashes)],
    ['hangs', String(s.hangs)],
    ['over budget', `${s.overBudget} reported by the tool; ${s.slow} over it unreported`],
    ['LSP slow hover', `${s.unresponsive} (clean-document hover over its wall-clock limit)`],
    ['other failures', String(s.other)],
    ['distinct signatures', String(s.signatures.size)],
    [
      'wall clock',
      `${(s.elapsedMs / 1000).toFixed(0)} s (CLI start-up ${s.baselineMs.toFixed(0)} ms, ${s.baselineCpuMs.toFixed(0)} ms CPU)`,
    ],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  log('');
  for (const [k, v] of rows) log(`${k.padEnd(w)}  ${v}`);
  if (s.signatures.size > 0) {
    log('');
    log('count  kind                 signature -> reproducer');
    for (const e of [...s.signatures.values()].sort((a, b) => b.count - a.count)) {
      const cost = [
        e.ms !== undefined ? `${(e.ms / 1000).toFixed(2)} s` : '',
        e.rssMb ? `${e.rssMb.toFixed(0)} MB` : '',
      ]
        .filter(Boolean)
        .join(', ');
      log(
        `${String(e.count).padStart(5)}  ${e.kind.padEnd(19)}  ${e.signature}${cost ? ` (${cost})` : ''}`,
      );
      log(
        `       first: ${e.first.id} ${e.first.mutator} ${e.first.name} (${e.originalBytes} -> ${e.minimizedBytes ?? '?'} bytes) ${e.reproducer ?? ''}`,
      );
    }
  }
}
