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
 * An app as a call's receiver: a plain name (`app`, `router`, an `app` parameter of a setup
 * function) or a field of the class that holds it (`this.app`, `this.express`).
 */
function isAppReceiver(node: Node): boolean {
  if (node.type === 'identifier') return true;
  return (
    node.type === 'member_expression' &&
    node.childForFieldName('object')?.type === 'this' &&
    node.childForFieldName('property')?.type === 'property_identifier'
  );
}

/**
 * Where a call takes its turn in registration order: a call in a class method runs where the
 * constructor calls that method (`this.middlewares(); this.routes();`), whatever the order the
 * methods are written in; any other call where it is written.
 */
function registeredAt(call: Node): number {
  let method: Node | null = call.parent;
  while (method && method.type !== 'method_definition') method = method.parent;
  const name = method?.childForFieldName('name')?.text;
  if (!method || !name || name === 'constructor') return call.startIndex;
  const constructor = method.parent?.namedChildren.find(
    (m) => m?.type === 'method_definition' && m.childForFieldName('name')?.text === 'constructor',
  );
  const invoke = constructor
    ?.descendantsOfType('call_expression')
    .find((c) => c?.childForFieldName('function')?.text.replace(/\s+/g, '') === `this.${name}`);
  return invoke?.startIndex ?? call.startIndex;
}

/**
 * Every `recv.use(...)` and `recv.METHOD(path, ...)` call of the module in registration order,
 * where `recv` is a plain identifier (`app`, `router`) or a class field (`this.app`).
 * `app.get('setting')` (one argument) is a settings read, not a route.
 */
export function appCalls(root: Node, text: string, js: JsEvaluator): AppCall[] {
  const out: AppCall[] = [];
  const order = new Map<AppCall, number>();
  for (const call of memberCalls(root, text, ['use', ...ROUTE_METHODS])) {
    if (call.hasError) continue;
    const fn = call.childForFieldName('function');
    const receiver = fn?.type === 'member_expression' ? fn.childForFieldName('object') : null;
    const method = fn?.childForFieldName('property')?.text ?? '';
    if (!receiver || !isAppReceiver(receiver) || (method !== 'use' && !ROUTE_METHODS.has(method)))
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
    const appCall: AppCall = {
      receiver: receiver.text,
      method,
      path: expressPath(js, pathNode),
      pathNode,
      handlers: hasPath ? args.slice(1) : args,
      call,
      span: spanOf(js.file, call),
      statement: spanOf(js.file, statementOf(call)),
    };
    out.push(appCall);
    order.set(appCall, registeredAt(call));
  }
  // Found by method name; registration order is where each call runs, then where it starts.
  return out.sort((a, b) => order.get(a)! - order.get(b)! || a.span.start - b.span.start);
}
