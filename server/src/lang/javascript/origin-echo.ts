/**
 * An origin function's value that echoes the request's Origin: the Origin itself, or the Origin
 * with a fallback for a request that sends none (`origin || ''`, `origin ?? false`, `origin ||
 * '*'`). Shared by the readers of `cors`, `@fastify/cors`, `@koa/cors` and `hono/cors`, which
 * differ only in what they make of the fallback.
 */
import type { Node } from 'web-tree-sitter';
import { unwrap } from './evaluate';
import { bodyBranches } from './options-object';

/**
 * What a request without an Origin is handed: the Origin's own missing value or a falsy literal
 * (`none`), or `'*'` (`any`, only with `||`: `??` keeps an empty Origin, which some packages pass).
 */
export type EchoFallback = 'none' | 'any';

/** Falsy literals: handed on as the origin, the packages add no CORS headers (as with no Origin). */
const FALSY = /^(?:''|""|``|false|null|undefined|0)$/;

/** The fallback of a value that echoes the Origin (`isOrigin`: the nodes that read it); undefined: no echo. */
export function echoFallback(
  value: Node,
  isOrigin: (node: Node) => boolean,
): EchoFallback | undefined {
  const inner = unwrap(value);
  if (isOrigin(inner)) return 'none';
  const operator = inner.type === 'binary_expression' && inner.childForFieldName('operator')?.text;
  if (operator !== '||' && operator !== '??') return undefined;
  const left = inner.childForFieldName('left');
  const right = inner.childForFieldName('right');
  if (!left || !right || !isOrigin(unwrap(left))) return undefined;
  const fallback = unwrap(right).text;
  if (FALSY.test(fallback)) return 'none';
  return /^(['"`])\*\1$/.test(fallback) && operator === '||' ? 'any' : undefined;
}

/**
 * Whether a function body decides anything: a branch, or an operator other than an echo's
 * fallback (`origin || '*'` decides only what a request without an Origin gets).
 */
export function branchesBeyondEcho(body: Node, isOrigin: (node: Node) => boolean): boolean {
  const onlyEchoes =
    ['if_statement', 'ternary_expression', 'switch_statement', 'try_statement'].every(
      (t) => !body.descendantsOfType(t).length,
    ) &&
    body.descendantsOfType('binary_expression').every((b) => !!b && !!echoFallback(b, isOrigin));
  return bodyBranches(body) && !onlyEchoes;
}
