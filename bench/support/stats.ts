/** Summary statistics and the one table `npm run bench` prints. */

/** Median, 95th and 99th percentile of a sample (nearest rank). */
export interface Summary {
  n: number;
  median: number;
  p95: number;
  p99: number;
}

/** The `q` quantile by nearest rank (q = 0.5 is the median). */
export function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Summarises a non-empty sample. */
export function summarize(sample: number[]): Summary {
  const sorted = [...sample].sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
  };
}

/** Milliseconds with a precision that suits their size. */
export const ms = (x: number): string =>
  x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);

/** Prints rows as a Markdown table, columns padded to their widest cell. */
export function printTable(head: string[], rows: string[][]): void {
  const widths = head.map((_, c) => Math.max(...[head, ...rows].map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) => `| ${widths.map((w, c) => (r[c] ?? '').padEnd(w)).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}
