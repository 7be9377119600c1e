import { performance } from 'node:perf_hooks';

/** Thrown by `Budget.check` once the time is up; whoever started the work catches it. */
export class OverBudget extends Error {
  constructor(readonly budgetMs: number) {
    super(`over the ${budgetMs} ms budget`);
    this.name = 'OverBudget';
  }
}

/**
 * A time budget for one file's analysis, checked between steps (each framework's extraction,
 * each file an extraction follows): no threads, so a single step runs to its end, but a file
 * whose imports or frameworks add up to too much stops at the next step and says so.
 */
export class Budget {
  private readonly deadline: number;

  constructor(readonly budgetMs: number) {
    this.deadline = performance.now() + budgetMs;
  }

  /** Throws `OverBudget` once the budget is spent. */
  check(): void {
    if (performance.now() >= this.deadline) throw new OverBudget(this.budgetMs);
  }
}
