/**
 * The checks run within the file's budget (what its extraction left of it): a file whose checks
 * run out gets `analysis-over-budget` naming the phase, and the checks' findings are dropped.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkPolicies } from '../../../server/src/analysis/analyze';
import { defaultSettings } from '../../../server/src/analysis/settings';
import { Budget } from '../../../server/src/base/budget';
import { DiskReader } from '../../../server/src/base/disk-reader';
import { analyzeText } from '../../support/check-fixture';

const file = '/project/config/initializers/cors.rb';
const text = `Rails.application.config.middleware.insert_before 0, Rack::Cors do
  allow do
    origins 'https://app.example.com/', 'https://admin.example.com/'
    resource '*', headers: :any, methods: :any
  end
end
`;

/** The file's policies, and their checks within `budget` (no frontend calls, no other apps). */
async function checkedWithin(budget: Budget) {
  const { policies } = await analyzeText(file, text);
  const analysis = checkPolicies(
    file,
    text,
    policies,
    new DiskReader(),
    defaultSettings,
    { calls: [], apps: [] },
    false,
    undefined,
    undefined,
    budget,
  );
  return { policies, analysis };
}

describe('the checks phase under the file budget', () => {
  test('within the budget: every finding', async () => {
    const { analysis } = await checkedWithin(new Budget(60_000));
    assert.deepEqual(
      analysis.findings.map((f) => f.check),
      ['malformed-origin', 'malformed-origin'],
    );
    assert.equal(analysis.overBudgetMs, undefined);
  });

  test('a budget the extraction spent: the over-budget finding alone, naming the checks', async () => {
    const { policies, analysis } = await checkedWithin(new Budget(1000, 1000));
    assert.deepEqual(
      analysis.findings.map((f) => [f.check, f.severity, f.message, f.span.start, f.span.end]),
      [
        [
          'analysis-over-budget',
          'warning',
          "CORS Lens read this file's CORS setup but stopped checking it after its 1000 ms budget (corsLens.analysisBudgetMs, --budget-ms in the CLI), so its findings are not shown.",
          0,
          text.indexOf('\n'),
        ],
      ],
    );
    assert.equal(analysis.overBudgetMs, 1000);
    assert.equal(analysis.overBudgetPhase, 'checks');
    // The policies stay known: the editor's hovers and the preview still read them.
    assert.equal(analysis.policies, policies);
  });

  test('what a budget is made with counts as spent: the extraction passes it on to the checks', () => {
    // The CLI makes a file's budget with its tree's deletion already charged (it comes after the
    // last check); the checks' budget is then made with everything the extraction reported.
    const spent = new Budget(1000, 400).spentMs();
    assert.ok(spent >= 400 && spent < 450, `spent ${spent} ms`);
  });
});
