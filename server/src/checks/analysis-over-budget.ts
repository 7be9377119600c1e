import type { Check } from './types';

/**
 * A file whose extraction ran past its time budget: what it sets up is not known, so the file
 * is reported instead of being passed over as clean.
 */
export const analysisOverBudget: Check = {
  id: 'analysis-over-budget',
  severity: 'warning',
  description:
    'Reading the file took longer than its time budget, so its CORS setup is not checked: no other finding here does not mean it is right.',
  runOnFile(file) {
    if (file.overBudgetMs === undefined) return [];
    const firstLine = file.text.indexOf('\n');
    return [
      {
        message: `CORS Lens stopped reading this file after its ${file.overBudgetMs} ms budget (corsLens.analysisBudgetMs, --budget-ms in the CLI), so its CORS setup is not checked.`,
        span: { file: file.path, start: 0, end: firstLine < 0 ? file.text.length : firstLine },
      },
    ];
  },
};
