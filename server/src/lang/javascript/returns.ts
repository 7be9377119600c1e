/**
 * What a builder function of the module returns, for a call of it: `cors(buildCorsOptions())`,
 * `const corsOptions = corsSettings()`. Projects build CORS options in a function so that they can
 * read the environment first; each `return` of the function's own body is one setup it may hand
 * out (which one runs depends on that environment).
 */
import type { Node } from 'web-tree-sitter';
import { type JsEvaluator, unwrap } from './evaluate';
import { isFunctionNode } from './options-object';

/** The function a call names: a module `function`, or a `const` bound to an arrow or function. */
function calledFunction(js: JsEvaluator, node: Node): Node | undefined {
  const call = js.resolveNode(node);
  if (call.type !== 'call_expression' || call.hasError) return undefined;
  const callee = call.childForFieldName('function');
  if (callee?.type !== 'identifier') return undefined;
  const declared = js.declaration(callee.text);
  const fn = declared && unwrap(declared);
  return fn && isFunctionNode(fn) && !fn.hasError ? fn : undefined;
}

/** Whether `node` belongs to `fn` itself, not to a function nested in it. */
function ownedBy(node: Node, fn: Node): boolean {
  for (let up = node.parent; up; up = up.parent) {
    if (up.id === fn.id) return true;
    if (isFunctionNode(up)) return false;
  }
  return false;
}

/** A name the function body declares with `const` (a `let` may be written again). */
function localConstant(body: Node, name: string): Node | undefined {
  for (const statement of body.namedChildren) {
    if (statement?.type !== 'lexical_declaration' || statement.child(0)?.type !== 'const') continue;
    for (const declarator of statement.namedChildren) {
      if (declarator?.childForFieldName('name')?.text !== name) continue;
      return declarator.childForFieldName('value') ?? undefined;
    }
  }
  return undefined;
}

/**
 * The values the called builder returns (each `return x` of its own body, a `const` it declares
 * followed to its value; an arrow's expression body); undefined when `node` calls no function of
 * this module.
 */
export function builderReturns(js: JsEvaluator, node: Node | undefined): Node[] | undefined {
  const fn = node && calledFunction(js, node);
  return fn && functionReturns(fn);
}

/** What a function (a builder another module exports) returns, as {@link builderReturns} reads it. */
export function functionReturns(fn: Node): Node[] | undefined {
  const body = fn.childForFieldName('body');
  if (!body) return undefined;
  if (body.type !== 'statement_block') return [unwrap(body)];
  return body
    .descendantsOfType('return_statement')
    .filter((r): r is Node => !!r && ownedBy(r, fn))
    .flatMap((r) => {
      const value = r.namedChildren.find((c) => c && c.type !== 'comment');
      if (!value) return [];
      const inner = unwrap(value);
      const local = inner.type === 'identifier' ? localConstant(body, inner.text) : undefined;
      return [local ? unwrap(local) : inner];
    });
}
