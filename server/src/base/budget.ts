import { AsyncLocalStorage } from 'node:async_hooks';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';

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

/** The most CPU time the process can use per millisecond of wall clock: one per core. */
const CORES = availableParallelism();

/**
 * A time budget for one file's analysis (parse, extraction and checks), checked between steps
 * (each framework's extraction, each file an extraction follows, each check and policy) and,
 * while it is the ambient budget (`withBudget`), inside the tree walks, evaluators and model
 * requests (`checkAmbientBudget`): a huge file stops within its budget and says so instead of
 * running to the end.
 *
 * It counts the process's CPU time, not the wall clock: the analysis is CPU-bound, and on a
 * busy machine (CI, a laptop compiling) the wall clock of an ordinary file is ten times its CPU
 * time or more (a 2 ms file took 30 ms wall at load 20), which would turn ordinary files into
 * over-budget reports. On an idle machine the two are the same.
 */
export class Budget {
  private deadline: number;
  private readonly started = cpuMs();
  /**
   * The wall-clock time before which the budget cannot be spent even if every core worked for
   * this process: until then `check` skips reading the CPU time (a system call, ~4 µs, made
   * before each file read and step: a tenth of a keystroke's analysis in a settings module).
   */
  private nextRead = 0;

  /**
   * `spentBeforeMs`: what the file already used of it or will use after it (its extraction, when
   * the checks run later; its tree's deletion).
   * `reportMs`: what reporting one finding will cost the caller once the checks are done (the
   * CLI prints every finding: 10,000 findings are 11 MB of JSON), charged as each is made, so
   * that the file's answer, not only its analysis, fits the budget.
   */
  constructor(
    readonly budgetMs: number,
    private readonly spentBeforeMs = 0,
    private readonly reportMs = 0,
  ) {
    this.deadline = this.started + budgetMs - spentBeforeMs;
  }

  /** Charges the reporting of one finding (see `reportMs`). */
  found(): void {
    this.deadline -= this.reportMs;
    this.nextRead -= this.reportMs / CORES;
  }

  /** CPU time (ms) spent of this budget: since it was made, and what it was made with. */
  spentMs(): number {
    return this.spentBeforeMs + cpuMs() - this.started;
  }

  /** Throws `OverBudget` once the budget is spent. */
  check(): void {
    const now = performance.now();
    if (now < this.nextRead) return;
    const left = this.deadline - cpuMs();
    if (left <= 0) throw new OverBudget(this.budgetMs);
    this.nextRead = now + left / CORES;
  }
}

const ambient = new AsyncLocalStorage<Budget>();

/** Runs `work` (and everything it awaits) with `budget` as the ambient budget. */
export function withBudget<T>(budget: Budget, work: () => T): T {
  return ambient.run(budget, work);
}

let calls = 0;

/**
 * The matches of `pattern` (a global regex) in `text`, the ambient budget checked before each:
 * for loops that ask the tree at every match. Such a lookup costs the width of the nodes around
 * the match (tree-sitter scans a node's children to find the one holding an offset, and to find
 * a node's parent): in a 2 MB module that one unclosed bracket turned into a single node of
 * ~100,000 children, a lookup is ~1 ms, and a check every 1,024 of them came after minutes.
 */
export function* matchesWithinBudget(text: string, pattern: RegExp): Generator<RegExpExecArray> {
  for (const match of text.matchAll(pattern)) {
    ambient.getStore()?.check();
    yield match;
  }
}

/**
 * Checks the ambient budget, if any (throws `OverBudget`), on one call in 1,024: cheap enough for
 * the inner step of a tree walk or an evaluator (a check reads the process's CPU time).
 */
export function checkAmbientBudget(): void {
  if ((++calls & 1023) === 0) ambient.getStore()?.check();
}
