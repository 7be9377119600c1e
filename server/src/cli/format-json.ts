import type { CheckReport } from './report';

/**
 * `{findings, skipped, checked, modelled, fixed?, syntaxErrors?}` with the contract's field names
 * (design.md). `syntaxErrors` lists the files whose syntax errors may hide findings, when there
 * are any: a consumer of the JSON would otherwise read a broken entry file as clean.
 */
export function formatJson(report: CheckReport): string {
  const { findings, skipped, checked, modelled, fixed, syntaxErrors } = report;
  return (
    JSON.stringify(
      {
        findings,
        skipped,
        checked,
        modelled,
        ...(fixed === undefined ? {} : { fixed }),
        ...(syntaxErrors.length ? { syntaxErrors } : {}),
      },
      null,
      2,
    ) + '\n'
  );
}
