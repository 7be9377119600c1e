import type { CheckReport } from './report';

/** `{findings, skipped, checked, fixed?}` with the contract's field names (design.md). */
export function formatJson(report: CheckReport): string {
  const { findings, skipped, checked, fixed } = report;
  return JSON.stringify({ findings, skipped, checked, ...(fixed === undefined ? {} : { fixed }) }, null, 2) + '\n';
}
