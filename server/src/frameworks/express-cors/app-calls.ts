import type { Node } from 'web-tree-sitter';
import type { ExpressPath } from '../../lang/javascript/express-path';
import type { Span } from '../../policy/types';
import { type JsEvaluator, spanOf, unwrap } from '../../lang/javascript/evaluate';
import { memberCalls } from '../../lang/javascript/member-calls';

/** Express app methods that register a layer. */
const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'options', 'head', 'all']);

/** One `app.use(...)` / `app.METHOD(...)` call: its path and its handler arguments. */
export interface AppCall {
  receiver: string;
  /** `use`, or a route method in lower case (`get`, `all`). */
  method: string;
  path: ExpressPath;
  /** The path argument, when written. */
  pathNode?: Node;
  handlers: Node[];
  call: Node;
  span: Span;
  /** The statement holding the call (for fixes that move it). */
  statement: Span;
}

/** Whether an argument is a path rather than a handler: a string, template, RegExp or array of them. */
function isPathArgument(node: Node): boolean {
  const inner = unwrap(node);
  return ['string', 'template_string', 'regex', 'array'].includes(inner.type);
}

/** An Express path value, read statically. */
export function expressPath(js: JsEvaluator, node: Node | undefined): ExpressPath {
  if (!node) return { kind: 'all' };
  const value = js.evaluate(node);
  if (value.kind === 'str') return { kind: 'string', value: value.value };
  if (value.kind === 'regex') return { kind: 'regex', pattern: value.pattern, flags: value.flags };
  return { kind: 'dynamic' };
}

/** The statement holding `node`: the ancestor whose parent is the program or a block. */
function statementOf(node: Node): Node {
  // Each `.parent` is a query from the root: asked once per level.
  let statement = node;
  for (
    let parent = node.parent;
    parent && parent.type !== 'program' && parent.type !== 'statement_block';
    parent = parent.parent
  )
    statement = parent;
  return statement;
}

/**
 * Every `recv.use(...)` and `recv.METHOD(path, ...)` call of the module in source order, where
 * `recv` is a plain identifier (`app`, `router`). `app.get('setting')` (one argument) is a
 * settings read, not a route.
 */
export function appCalls(root: Node, text: string, js: JsEvaluator): AppCall[] {
  const out: AppCall[] = [];
  for (const call of memberCalls(root, text, ['use', ...ROUTE_METHODS])) {
    if (call.hasError) continue;
    const fn = call.childForFieldName('function');
    const receiver = fn?.type === 'member_expression' ? fn.childForFieldName('object') : null;
    const method = fn?.childForFieldName('property')?.text ?? '';
    if (receiver?.type !== 'identifier' || (method !== 'use' && !ROUTE_METHODS.has(method)))
      continue;
    const args = (call.childForFieldName('arguments')?.namedChildren ?? []).filter(
      (a): a is Node => !!a && a.type !== 'comment',
    );
    if (!args.length || (method !== 'use' && args.length < 2)) continue;
    const hasPath =
      method !== 'use' ||
      isPathArgument(args[0]) ||
      (unwrap(args[0]).type === 'identifier' && js.evaluate(args[0]).kind === 'str');
    const pathNode = hasPath ? args[0] : undefined;
    out.push({
      receiver: receiver.text,
      method,
      path: expressPath(js, pathNode),
      pathNode,
      handlers: hasPath ? args.slice(1) : args,
      call,
      span: spanOf(js.file, call),
      statement: spanOf(js.file, statementOf(call)),
    });
  }
  // Found by method name; registration order is by where each call starts.
  return out.sort((a, b) => a.span.start - b.span.start);
}
