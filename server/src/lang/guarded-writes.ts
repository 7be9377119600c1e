/**
 * The header writes of a hand-written handler's steps, each with the tests it runs under: the
 * walk the Express and Hono hand-set readers share (each keeps its own step and test types).
 * After `if (test) return ...`, what follows runs under the test negated (an early answer
 * guards the rest).
 */

/** What the walk needs to know of a reader's steps and tests. */
export interface GuardWalk<S, W, C> {
  /** The write a step is, if it is one. */
  write(step: S): W | undefined;
  /** The branch a step is, if it is one. */
  branch(step: S): { test: C; then: S[]; otherwise: S[] } | undefined;
  /** Whether running the steps always ends the handler. */
  stops(steps: S[]): boolean;
  negate(test: C): C;
}

/** Every write in `steps` with the tests around it, in order. */
export function guardedWrites<S, W, C>(
  walk: GuardWalk<S, W, C>,
  steps: S[],
  conditions: C[] = [],
): { write: W; conditions: C[] }[] {
  const out: { write: W; conditions: C[] }[] = [];
  let current = conditions;
  for (const step of steps) {
    const write = walk.write(step);
    if (write) out.push({ write, conditions: current });
    const branch = walk.branch(step);
    if (!branch) continue;
    const negated = walk.negate(branch.test);
    out.push(
      ...guardedWrites(walk, branch.then, [...current, branch.test]),
      ...guardedWrites(walk, branch.otherwise, [...current, negated]),
    );
    if (walk.stops(branch.then)) current = [...current, negated];
    else if (walk.stops(branch.otherwise)) current = [...current, branch.test];
  }
  return out;
}
