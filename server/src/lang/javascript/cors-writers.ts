/**
 * The functions of a JS module that write CORS headers by hand with one method
 * (`ctx.set('Access-Control-...', ...)` in Koa, `c.header(...)` in Hono): found from the writes,
 * since a large app has thousands of functions and few of them write CORS.
 */
import type { Node } from 'web-tree-sitter';
import { memberCalls } from './member-calls';
import { isFunctionNode } from './options-object';

/**
 * Each function holding a `.method('Access-Control-...'` call (or `.method({ 'Access-Control-...':
 * ... })`, Koa's object form), once, with its first such call.
 */
export function corsWritingFunctions(
  root: Node,
  text: string,
  method: string,
): { fn: Node; call: Node }[] {
  const out: { fn: Node; call: Node }[] = [];
  const seen = new Set<number>();
  for (const call of memberCalls(root, text, [method])) {
    if (!/^[^(]*\(\s*(?:\{[^}]*?)?['"`]access-control-/i.test(call.text)) continue;
    let fn: Node | null = call.parent;
    while (fn && !isFunctionNode(fn)) fn = fn.parent;
    if (!fn || seen.has(fn.startIndex)) continue;
    seen.add(fn.startIndex);
    out.push({ fn, call });
  }
  return out;
}
