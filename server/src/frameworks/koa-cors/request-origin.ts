import type { Node } from 'web-tree-sitter';
import { type JsEvaluator, unwrap } from '../../lang/javascript/evaluate';

type OriginRead = 'get' | 'header';

/**
 * Whether an expression reads the request's Origin in Koa, and how: `ctx.get('Origin')` (and
 * `ctx.request.get`) give `''` when it is missing; `ctx.headers.origin`, `ctx.header.origin`,
 * `ctx.request.header(s).origin`, `ctx.req.headers.origin` give `undefined`. With the module's
 * evaluator, also through a name bound to either: `const origin = ctx.get('Origin')`, or
 * `header.origin` after `const header = ctx.request.header`.
 */
export function originRead(node: Node, ctx: string, js?: JsEvaluator): OriginRead | undefined {
  const inner = unwrap(node);
  const direct = readIn(inner.text, ctx);
  if (direct || !js) return direct;
  if (inner.type === 'identifier') {
    const bound = js.resolveNode(inner);
    return bound.id === inner.id ? undefined : readIn(bound.text, ctx);
  }
  const object = inner.childForFieldName('object');
  if (
    (inner.type !== 'member_expression' && inner.type !== 'subscript_expression') ||
    object?.type !== 'identifier'
  )
    return undefined;
  const bound = js.resolveNode(object);
  return bound.id === object.id
    ? undefined
    : readIn(bound.text + inner.text.slice(object.text.length), ctx);
}

function readIn(written: string, ctx: string): OriginRead | undefined {
  const text = written.replace(/\s+/g, '');
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
