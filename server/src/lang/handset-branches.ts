/**
 * What the hand-set header readers (Python views and hooks, Node middleware) share about their
 * step trees: which `if` says "this is a preflight". The languages' conditions and steps have
 * the same shape where it matters here.
 */

/** The part of a condition this reads: a method test, and `and` of conditions. */
export interface ConditionShape {
  kind: string;
  methods?: string[];
  parts?: ConditionShape[];
}

/** The part of an `if` step this reads. */
interface IfShape<S> {
  kind: 'if';
  test: ConditionShape;
  then: S[];
  otherwise: S[];
}

/** Whether a condition requires an OPTIONS request (a method test, alone or and-ed). */
export const requiresOptions = (test: ConditionShape): boolean =>
  (test.kind === 'method' && !!test.methods?.includes('OPTIONS')) ||
  (test.kind === 'and' && !!test.parts?.some(requiresOptions));

/** The `if` steps (at any depth, in called functions too) whose test says "this is an OPTIONS request". */
export function preflightBranches<S extends { kind: string }>(
  steps: S[],
): Extract<S, IfShape<S>>[] {
  return steps.flatMap((step) => {
    // A PHP function the script calls is a `call` step holding the function's steps.
    if (step.kind === 'call' && 'steps' in step && Array.isArray(step.steps))
      return preflightBranches(step.steps as S[]);
    if (step.kind !== 'if') return [];
    // Narrowing a type parameter by its tag needs the cast; every `if` step has this shape.
    const branch = step as Extract<S, IfShape<S>>;
    const own = requiresOptions(branch.test) ? [branch] : [];
    return [...own, ...preflightBranches(branch.then), ...preflightBranches(branch.otherwise)];
  });
}

/**
 * Every header written in `steps` (in both branches of each `if`, and in the steps of called
 * functions), with the conditions around it: an `otherwise` branch runs under the `if`'s test
 * negated. `written` says which headers one other step writes (a header write itself, a return
 * with a headers dict).
 */
export function guardedHeaders<S extends { kind: string }, H, C>(
  steps: S[],
  written: (step: S) => H[],
  conditions: C[] = [],
): { header: H; conditions: C[] }[] {
  return steps.flatMap((step) => {
    if (step.kind === 'call' && 'steps' in step && Array.isArray(step.steps))
      return guardedHeaders(step.steps as S[], written, conditions);
    if (step.kind !== 'if') return written(step).map((header) => ({ header, conditions }));
    // Every language's `if` step has this shape and its conditions a `not` (see IfShape).
    const branch = step as unknown as { test: C; then: S[]; otherwise: S[] };
    const negated = { kind: 'not', inner: branch.test } as C;
    return [
      ...guardedHeaders(branch.then, written, [...conditions, branch.test]),
      ...guardedHeaders(branch.otherwise, written, [...conditions, negated]),
    ];
  });
}

/** Early exits a body is nested under (`return unless ...`); past them it is read flat. */
const EARLY_EXITS = 16;

/**
 * A body's steps, statement by statement, with each early exit (`return unless allowed`, `if not
 * ok: return response`) read as an `if` whose other branch holds what follows: that runs only
 * where the test let it through. A few such guards a body; past them the statements stay flat,
 * so a generated body of thousands nests no deeper.
 */
export function afterEarlyExits<S extends { kind: string }>(
  statements: S[][],
  exits: (step: S) => boolean,
): S[] {
  const out: S[] = [];
  let into = out;
  let guards = 0;
  for (const produced of statements) {
    into.push(...produced);
    const guard = produced.length === 1 ? produced[0] : undefined;
    if (guard?.kind !== 'if') continue;
    const branch = guard as unknown as IfShape<S>;
    const last = branch.then[branch.then.length - 1];
    if (last && exits(last) && !branch.otherwise.length && guards++ < EARLY_EXITS)
      into = branch.otherwise;
  }
  return out;
}
