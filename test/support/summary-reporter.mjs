/**
 * A node:test reporter that ends a run with one summary the reader cannot misread: passed,
 * failed and cancelled counts, where cancelled (a test cut off by its parent, a timeout, a file
 * whose process ended with work pending) COUNTS AS FAILED, then one line per failing or
 * cancelled test with its file and cause. The spec reporter's own totals could say "fail 0"
 * above an exit code of 1 when every problem was a cancellation.
 * Used by test/run.sh beside the spec reporter: --test-reporter=./test/support/summary-reporter.mjs
 */
import path from 'node:path';

const CANCELLED = new Set(['cancelledByParent', 'testTimeoutFailure']);

/** The first line of an error's cause (or of the error itself), for a one-line summary. */
function causeOf(error) {
  const cause = error?.cause ?? error;
  const text =
    cause instanceof Error
      ? cause.message
      : typeof cause === 'string'
        ? cause
        : (cause?.message ?? String(cause));
  return (
    String(text)
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim()
      .slice(0, 200) ?? '(no message)'
  );
}

export default async function* summary(source) {
  let passed = 0;
  const failed = [];
  const cancelled = [];
  let todos = 0;
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { name, file, details, skip, todo } = event.data;
    // Suites pass or fail through their tests; a parent failing only because a subtest did adds nothing.
    if (details?.type === 'suite') continue;
    // A todo (a known gap, e.g. a real-project shape the tool misreads) is counted on its own:
    // never as passing, never as failing the run.
    if (todo) {
      todos++;
      continue;
    }
    if (event.type === 'test:pass') {
      if (!skip) passed++;
      continue;
    }
    const error = details?.error;
    if (error?.failureType === 'subtestsFailed') continue;
    const where = file ? path.relative(process.cwd(), file) : '';
    // A file's own entry (its process failed or ended early) is named by its absolute path.
    const entry =
      name === file
        ? `${where} (the file as a whole): ${causeOf(error)}${error?.exitCode !== undefined ? ` (exit code ${error.exitCode})` : ''}`
        : `${where ? `${where} › ` : ''}${name}: ${causeOf(error)}`;
    (CANCELLED.has(error?.failureType) ? cancelled : failed).push(entry);
  }
  const bad = failed.length + cancelled.length;
  const lines = [
    '',
    `TEST SUMMARY: ${bad === 0 ? 'OK' : 'FAILED'}: ${passed} passed, ${failed.length} failed, ${cancelled.length} cancelled or timed out (counted as failures), ${todos} todo (known gaps, not counted as passing)`,
    ...failed.map((entry) => `  FAILED     ${entry}`),
    ...cancelled.map((entry) => `  CANCELLED  ${entry}`),
    '',
  ];
  yield lines.join('\n');
}
