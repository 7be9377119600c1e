import type { CheckReport } from './report';

/** `{findings, skipped, checked, modelled, fixed?}` with the contract's field names (design.md). */
export function formatJson(report: CheckReport): string {
  const { findings, skipped, checked, modelled, fixed } = report;
  return (
    JSON.stringify(
      { findings, skipped, checked, modelled, ...(fixed === undefined ? {} : { fixed }) },
      null,
      2,
    ) + '\n'
  );
}
