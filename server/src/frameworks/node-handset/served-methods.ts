/**
 * The methods a standalone endpoint function serves (a Vercel function or `pages/api` handler:
 * `export default function handler(req, res)` that answers every request itself), so that checks
 * do not probe a method it was not written for. Its `req.method` tests name them; a function that
 * tests no method but OPTIONS answers every method alike and says nothing of PUT, PATCH or
 * DELETE: the CORS-safelisted GET, HEAD and POST it plainly serves. A frontend of the workspace
 * that calls it with another method is still checked at that call.
 */
import type { NodeCondition, NodeHandler, NodeStep } from './facts';

const SAFELISTED = ['GET', 'HEAD', 'POST'];

function conditionMethods(condition: NodeCondition): string[] {
  if (condition.kind === 'method') return condition.methods;
  if (condition.kind === 'not') return conditionMethods(condition.inner);
  if (condition.kind === 'and' || condition.kind === 'or')
    return condition.parts.flatMap(conditionMethods);
  return [];
}

function stepMethods(steps: NodeStep[]): string[] {
  return steps.flatMap((s) =>
    s.kind === 'if'
      ? [...conditionMethods(s.test), ...stepMethods(s.then), ...stepMethods(s.otherwise)]
      : [],
  );
}

const handsOn = (steps: NodeStep[]): boolean =>
  steps.some(
    (s) => s.kind === 'next' || (s.kind === 'if' && (handsOn(s.then) || handsOn(s.otherwise))),
  );

/** Undefined when the function hands requests on (`next()`): a middleware serves what follows it. */
export function endpointMethods(handler: NodeHandler): string[] | undefined {
  if (handsOn(handler.steps)) return undefined;
  const tested = [...new Set(stepMethods(handler.steps).map((m) => m.toUpperCase()))].filter(
    (m) => m !== 'OPTIONS',
  );
  return tested.length ? tested : SAFELISTED;
}
