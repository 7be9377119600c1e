/** Thrown by `Budget.check` once the time is up; whoever started the work catches it. */
export class OverBudget extends Error {
  constructor(readonly budgetMs: number) {
    super(`over the ${budgetMs} ms budget`);
    this.name = 'OverBudget';
  }
}

/** The CPU time this process has used, in milliseconds. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * A time budget for one file's analysis, checked between steps (each framework's extraction,
 * each file an extraction follows): no threads, so a single step runs to its end, but a file
 * whose imports or frameworks add up to too much stops at the next step and says so.
 *
 * It counts the process's CPU time, not the wall clock: the analysis is CPU-bound, and on a
 * busy machine (CI, a laptop compiling) the wall clock of an ordinary file is ten times its CPU
 * time or more (a 2 ms file took 30 ms wall at load 20), which would turn ordinary files into
 * over-budget reports. On an idle machine the two are the same.
 */
export class Budget {
  private readonly deadline: number;

  constructor(readonly budgetMs: number) {
    this.deadline = cpuMs() + budgetMs;
  }

  /** Throws `OverBudget` once the budget is spent. */
  check(): void {
    if (cpuMs() >= this.deadline) throw new OverBudget(this.budgetMs);
  }
}
