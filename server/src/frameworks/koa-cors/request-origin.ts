import type { Node } from 'web-tree-sitter';
import { unwrap } from '../../lang/javascript/evaluate';

/**
 * Whether an expression reads the request's Origin in Koa, and how: `ctx.get('Origin')` (and
 * `ctx.request.get`) give `''` when it is missing; `ctx.headers.origin`, `ctx.header.origin`,
 * `ctx.request.header(s).origin`, `ctx.req.headers.origin` give `undefined`.
 */
export function originRead(node: Node, ctx: string): 'get' | 'header' | undefined {
  const text = unwrap(node).text.replace(/\s+/g, '');
  const at = `${ctx.replace(/[$]/g, '\\$')}(?:\\.request)?`;
  if (new RegExp(`^${at}\\.get\\((['"\`])origin\\1\\)$`, 'i').test(text)) return 'get';
  if (
    new RegExp(`^(?:${at}|${ctx}\\.req)\\.headers?(?:\\.origin|\\[(['"\`])origin\\1\\])$`).test(
      text,
    )
  )
    return 'header';
  return undefined;
}
