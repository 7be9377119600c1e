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
  /** The calls it runs through, outermost first (see ExpressLayer.via). */
  via?: number[];
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

/**
 * The innermost of `ranges` (sorted by start, outer before inner at one start) that holds
 * `start`..`end`: the last one starting at or before it, then back over those that end before
 * it, `most` at the most.
 */
function innermost<R extends { start: number; end: number }>(
  ranges: R[],
  start: number,
  end: number,
  most: number,
): R | undefined {
  let lo = 0;
  let hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid].start <= start) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo - 1; i >= 0 && i >= lo - most; i--) if (ranges[i].end >= end) return ranges[i];
  return undefined;
}

/** Statements stepped back over to find the one around a call (blocks nest this deep at most). */
const NESTED_STATEMENTS = 64;

/**
 * The statement holding a node: the ancestor whose parent is the program or a block. The
 * statements are indexed once per module (one walk) and looked up by range: tree-sitter answers
 * `parent` by walking down from the root, so climbing from each of thousands of calls in a 2 MB
 * module was quadratic. A node no indexed statement holds stands for itself.
 */
function statementIndex(root: Node, file: string): (node: Node) => Span {
  const statements: { start: number; end: number; node: Node }[] = [];
  for (const block of [root, ...root.descendantsOfType('statement_block')])
    for (const child of block?.namedChildren ?? [])
      if (child && child.type !== 'comment')
        statements.push({ start: child.startIndex, end: child.endIndex, node: child });
  statements.sort((a, b) => a.start - b.start || b.end - a.end);
  return (node) => {
    const [start, end] = [node.startIndex, node.endIndex];
    const around = innermost(statements, start, end, NESTED_STATEMENTS);
    return spanOf(file, around?.node ?? node);
  };
}

/**
 * Modules smaller than this find a call's statement by climbing from it: a few `parent` steps a
 * call cost less than indexing every statement on each edit. Larger ones use the index, since
 * each step walks down from the root and thousands of calls made the climbs quadratic.
 */
const CLIMB_BELOW = 256 * 1024;

/** The statement holding `node` by climbing: the ancestor whose parent is the program or a block. */
function climbToStatement(node: Node): Node {
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

/** Methods stepped back over to find the one around a call (methods nest only in odd code). */
const NESTED_METHODS = 64;

/** A named function of the module: `function routes(app) {...}`, `const routes = (app) => {...}`. */
interface NamedFunction {
  name: string;
  start: number;
  end: number;
}

/** The module's named functions, sorted by start (outer before inner). */
function namedFunctions(root: Node): NamedFunction[] {
  const out: NamedFunction[] = [];
  for (const node of root.descendantsOfType(['function_declaration', 'variable_declarator'])) {
    const name = node?.childForFieldName('name');
    const value = node?.type === 'variable_declarator' ? node.childForFieldName('value') : node;
    if (!name || name.type !== 'identifier' || !value) continue;
    if (!['function_declaration', 'arrow_function', 'function_expression'].includes(value.type))
      continue;
    out.push({ name: name.text, start: value.startIndex, end: value.endIndex });
  }
  return out.sort((a, b) => a.start - b.start || b.end - a.end);
}

/** Where the module calls each plain name (`routes(app)`), in source order. */
function callsByName(root: Node): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const call of root.descendantsOfType('call_expression')) {
    const fn = call?.childForFieldName('function');
    if (!call || fn?.type !== 'identifier') continue;
    const list = out.get(fn.text) ?? [];
    list.push(call.startIndex);
    out.set(fn.text, list);
  }
  return out;
}

/** Helper calls followed from a call to where it runs (helpers calling helpers), at most. */
const HELPER_DEPTH = 8;

/**
 * Where each call takes its turn in registration order, as the positions it runs at from the
 * outermost in: a call in a class method runs where the constructor calls that method
 * (`this.middlewares(); this.routes();`), a call in a named function where the module first
 * calls it from outside (`app.use(cors()); registerRoutes(app);` with `registerRoutes` written
 * above: Blinko, held-out batch 12), whatever the order they are written in; any other call where
 * it is written. Keys compare element by element. Each class's constructor is read once. In a
 * large module the methods' ranges are indexed once and looked up, not climbed to from each call
 * (tree-sitter answers `parent` by walking down from the root, so a climb per call over a 2 MB
 * module of calls was quadratic); below `CLIMB_BELOW` the climb is the cheaper of the two.
 */
function registrationOrder(root: Node, climb: boolean): (call: Node) => number[] {
  let methods: { node: Node; start: number; end: number }[] | undefined;
  const methodAround = (call: Node): Node | undefined => {
    if (climb) {
      let method = call.parent;
      while (method && method.type !== 'method_definition') method = method.parent;
      return method ?? undefined;
    }
    methods ??= root
      .descendantsOfType('method_definition')
      .filter((m): m is Node => !!m)
      .map((node) => ({ node, start: node.startIndex, end: node.endIndex }))
      .sort((a, b) => a.start - b.start);
    return innermost(methods, call.startIndex, call.endIndex, NESTED_METHODS)?.node;
  };
  const invoked = new Map<number, Map<string, number>>();
  /** `this.name()` calls of the class's constructor, by method name: where each runs. */
  const invokedIn = (body: Node): Map<string, number> => {
    let found = invoked.get(body.id);
    if (found) return found;
    found = new Map();
    const constructor = body.namedChildren.find(
      (m) => m?.type === 'method_definition' && m.childForFieldName('name')?.text === 'constructor',
    );
    for (const c of constructor?.descendantsOfType('call_expression') ?? []) {
      const name = /^this\.([\w$]+)$/.exec(
        c?.childForFieldName('function')?.text.replace(/\s+/g, '') ?? '',
      )?.[1];
      if (c && name && !found.has(name)) found.set(name, c.startIndex);
    }
    invoked.set(body.id, found);
    return found;
  };
  let helpers: NamedFunction[] | undefined;
  let calls: Map<string, number[]> | undefined;
  /** Where the named function around `start` is first called from outside it. */
  const helperCalledAt = (start: number, end: number): number | undefined => {
    helpers ??= namedFunctions(root);
    const helper = innermost(helpers, start, end, NESTED_METHODS);
    if (!helper) return undefined;
    calls ??= callsByName(root);
    return calls.get(helper.name)?.find((at) => at < helper.start || at >= helper.end);
  };
  return (call) => {
    const at = call.startIndex;
    const around = methodAround(call);
    const name = around?.childForFieldName('name')?.text;
    const body = around?.parent;
    if (around && name && body)
      return name === 'constructor' ? [at] : [invokedIn(body).get(name) ?? at, at];
    const key = [at];
    for (let depth = 0, end = call.endIndex; depth < HELPER_DEPTH; depth++) {
      const from = helperCalledAt(key[0], end);
      if (from === undefined) break;
      key.unshift(from);
      end = from + 1;
    }
    return key;
  };
}

/** Registration keys compared element by element (a shorter key first where one extends the other). */
function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/**
 * Every `recv.use(...)` and `recv.METHOD(path, ...)` call of the module in registration order,
 * where `recv` is a plain identifier (`app`, `router`) or a class field (`this.app`).
 * `app.get('setting')` (one argument) is a settings read, not a route.
 */
export function appCalls(root: Node, text: string, js: JsEvaluator): AppCall[] {
  const out: AppCall[] = [];
  const order = new Map<AppCall, number[]>();
  let orderOf: ((call: Node) => number[]) | undefined;
  const climb = root.endIndex < CLIMB_BELOW;
  const registeredAt = (call: Node) => (orderOf ??= registrationOrder(root, climb))(call);
  let statements: ((node: Node) => Span) | undefined;
  const statementOf = (node: Node) =>
    climb
      ? spanOf(js.file, climbToStatement(node))
      : (statements ??= statementIndex(root, js.file))(node);
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
      statement: statementOf(call),
    };
    const key = registeredAt(call);
    if (key.length > 1) appCall.via = key.slice(0, -1);
    out.push(appCall);
    order.set(appCall, key);
  }
  // Found by method name; registration order is where each call runs, then where it starts.
  return out.sort(
    (a, b) => compareKeys(order.get(a)!, order.get(b)!) || a.span.start - b.span.start,
  );
}

/** The `cors(...)` call a handler argument is, if it is one (directly or via a `const` bound to it). */
export function corsCall(handler: Node, corsNames: Set<string>, js: JsEvaluator): Node | undefined {
  const inner = js.resolveNode(handler);
  if (inner.type !== 'call_expression') return undefined;
  return corsNames.has(inner.childForFieldName('function')?.text ?? '') ? inner : undefined;
}

/**
 * The `cors(...)` instance a handler function runs itself (`(req, res) => cors(opts)(req, res)`),
 * if it runs one: the route then answers with that one's headers, as a mounted `cors()` would
 * (jsreport's `app.options('*', ...)`, held-out batch 25: real cors answered its preflights).
 */
export function corsRunBy(
  handler: Node,
  corsNames: Set<string>,
  js: JsEvaluator,
): Node | undefined {
  const fn = js.resolveNode(handler);
  if (!['arrow_function', 'function_expression', 'function_declaration'].includes(fn.type))
    return undefined;
  // The instance called in place (`cors(opts)(req, res)`), or a name bound to one called with
  // the handler's own request and response (`const c = cors(opts); ... c(req, res)`). Only
  // such a call's name is resolved: resolving every callee's name walked up the tree from each
  // call, cubic in a handler of deeply nested calls (fuzz seed 2033).
  const [req, res] = (fn.childForFieldName('parameters')?.namedChildren ?? []).map((p) => p?.text);
  const isCors = (node: Node | null | undefined): boolean =>
    node?.type === 'call_expression' &&
    corsNames.has(node.childForFieldName('function')?.text ?? '');
  for (const call of fn.descendantsOfType('call_expression')) {
    const callee = call?.childForFieldName('function');
    if (callee && isCors(callee)) return callee;
    const given = (call?.childForFieldName('arguments')?.namedChildren ?? []).map((a) => a?.text);
    if (callee?.type !== 'identifier' || !req || given[0] !== req || given[1] !== res) continue;
    const bound = js.resolveNode(callee);
    if (isCors(bound)) return bound;
  }
  return undefined;
}
