import { checkAmbientBudget } from '../base/budget';

/**
 * How deep the static evaluators and tree walks go. A file nested thousands of levels deep
 * (generated or fuzzed) would otherwise overflow the stack and abort the whole run; past this
 * depth a value is `dynamic` ("too deeply nested"), which no real CORS setup comes near.
 */
export const MAX_NESTING = 300;

/** The reason a value past {@link MAX_NESTING} is dynamic. */
export const TOO_DEEP = 'too deeply nested';

let depth = 0;

/**
 * Runs `inner` one level deeper, or `tooDeep` past the cap. The depth is shared by every
 * evaluator (one evaluator may start another for a comprehension or a bound name), so it bounds
 * the stack whatever the path.
 */
export function nested<T>(inner: () => T, tooDeep: () => T): T {
  // Every evaluator and walk steps through here: the place to stop a huge file at its budget.
  checkAmbientBudget();
  if (depth >= MAX_NESTING) return tooDeep();
  depth++;
  try {
    return inner();
  } finally {
    depth--;
  }
}
