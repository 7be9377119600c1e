import type { Check } from './types';

/**
 * A file whose analysis ran past its time budget, in its extraction (what it sets up is not
 * known) or in its checks (the findings made so far are dropped: which ones depends on the
 * machine's speed): the file is reported instead of being passed over as clean.
 */
export const analysisOverBudget: Check = {
  id: 'analysis-over-budget',
  severity: 'warning',
  description:
    'Reading or checking the file took longer than its time budget, so its CORS setup is not checked: no other finding here does not mean it is right.',
  runOnFile(file) {
    if (file.overBudgetMs === undefined) return [];
    const firstLine = file.text.indexOf('\n');
    const budget = `its ${file.overBudgetMs} ms budget (corsLens.analysisBudgetMs, --budget-ms in the CLI)`;
    return [
      {
        message:
          file.overBudgetPhase === 'checks'
            ? `CORS Lens read this file's CORS setup but stopped checking it after ${budget}, so its findings are not shown.`
            : `CORS Lens stopped reading this file after ${budget}, so its CORS setup is not checked.`,
        span: { file: file.path, start: 0, end: firstLine < 0 ? file.text.length : firstLine },
      },
    ];
  },
};
