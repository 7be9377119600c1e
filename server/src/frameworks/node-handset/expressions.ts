/**
 * Reads the expressions hand-written Express CORS code uses: the request's Origin
 * (`req.headers.origin`, `req.get('origin')`, a local bound to one), its method, allowlist tests
 * and header values. What is not understood is `unknown` / `dynamic`, never guessed.
 */
import type { Node } from 'web-tree-sitter';
import type { NodeCondition, NodeValue, OriginTest, RequestRead } from './facts';
import type { StaticValue } from '../../policy/types';
import {
  type JsEvaluator,
  jsStringValue,
  readsEnv,
  spanOf,
  unwrap,
  argumentsOf,
} from '../../lang/javascript/evaluate';
import { nested } from '../../lang/nesting';

/** What a handler's code knows while it is read: parameter names and local bindings. */
export interface HandlerScope {
  js: JsEvaluator;
  req?: string;
  res?: string;
  next?: string;
  /**
   * An h3 (Nitro, Nuxt server routes) handler's event: `req` and `res` are then its
   * `event.node.req` / `event.node.res`, and h3's helpers take it (`getRequestHeader(event, ...)`).
   */
  event?: string;
  /** Locals holding a request header (`const origin = req.headers.origin`). */
  reads: Map<string, HeaderRead>;
  /** Locals bound to a value node (`const allowed = [...]`). */
  values: Map<string, Node>;
  /** Locals holding other request data (`const { origin } = req.query`). */
  data?: Map<string, RequestData>;
  /** `let` locals holding a string literal, until reassigned (see `fallbackChosen`). */
  literals?: Map<string, string>;
}

/** Request data other than a header, as `headerValue` reports it. */
export type RequestData = Extract<NodeValue, { kind: 'request-data' }>;

/** Parts of the request a caller fills in freely. */
const REQUEST_PARTS = /^(query|body|params|cookies|signedCookies)$/;

const squash = (node: Node | null | undefined) => node?.text.replace(/\s+/g, '') ?? '';

/** The value of an expression, looking through locals bound in the handler first. */
export function evaluate(node: Node, scope: HandlerScope): StaticValue {
  const inner = unwrap(node);
  const bound = inner.type === 'identifier' ? scope.values.get(inner.text) : undefined;
  return scope.js.evaluate(bound ?? inner);
}

/** A request header an expression reads (its lower-case name), and the code's fallback. */
export type HeaderRead = RequestRead & { header: string };

/**
 * A name written as a string literal, or as a literal lowercased in place
 * (`req.headers['Origin'.toLowerCase()]`: jiyaski's Vercel helper, held-out batch 48).
 */
function literalName(node: Node): string | undefined {
  const direct = jsStringValue(node);
  if (direct !== undefined) return direct;
  const inner = unwrap(node);
  const fn = inner.type === 'call_expression' ? inner.childForFieldName('function') : null;
  const object = fn?.type === 'member_expression' ? fn.childForFieldName('object') : null;
  const value = object ? jsStringValue(object) : undefined;
  return value !== undefined &&
    fn?.childForFieldName('property')?.text === 'toLowerCase' &&
    !argumentsOf(inner).length
    ? value.toLowerCase()
    : undefined;
}

/**
 * Which request header a node reads: `req.headers.origin`, `req.headers['x-y']`, `req.get('X-Y')`,
 * a local holding one.
 */
export function headerRead(
  input: Node | null | undefined,
  scope: HandlerScope,
): HeaderRead | undefined {
  if (!input) return undefined;
  const node = unwrap(input);
  if (node.type === 'identifier') return scope.reads.get(node.text);
  // A member an `if` filled with a header (`cors.origin`, see handler.ts's `fallbackChosen`).
  const member = node.type === 'member_expression' ? scope.reads.get(squash(node)) : undefined;
  if (member) return member;
  if (!scope.req) return undefined;
  const headers = `${scope.req}.headers`;
  // Node lowercases incoming header names: `headers.Origin` / `headers['Origin']` read nothing.
  if (node.type === 'member_expression' && squash(node.childForFieldName('object')) === headers) {
    const name = node.childForFieldName('property')?.text ?? '';
    return /^[a-z][a-z0-9]*$/.test(name) ? { header: name } : undefined;
  }
  if (
    node.type === 'subscript_expression' &&
    squash(node.childForFieldName('object')) === headers
  ) {
    const index = node.childForFieldName('index');
    const name = index && literalName(index);
    return name && name === name.toLowerCase() ? { header: name } : undefined;
  }
  if (node.type === 'call_expression') {
    const fn = squash(node.childForFieldName('function'));
    const args = argumentsOf(node);
    const name = args[0] && jsStringValue(args[0]);
    if ((fn === `${scope.req}.get` || fn === `${scope.req}.header`) && name)
      return { header: name.toLowerCase() };
    // h3's `getRequestHeader(event, 'origin')` (`getHeader` in older h3): names are caseless.
    const h3Name = args[1] && jsStringValue(args[1]);
    if (H3_HEADER_READ.test(fn) && scope.event && squash(args[0]) === scope.event && h3Name)
      return { header: h3Name.toLowerCase() };
  }
  if (node.type === 'binary_expression') {
    const op = node.childForFieldName('operator')?.text;
    if (op !== '||' && op !== '??') return undefined;
    // `a || b || c` thousands long is a left-deep tree: past the shared cap it reads nothing.
    const left = nested(
      () => headerRead(node.childForFieldName('left'), scope),
      () => undefined,
    );
    const right = node.childForFieldName('right');
    // `process.env.ALLOW_ORIGIN || req.headers.origin`: with the variable unset, as a fresh
    // install runs, the header (KuGouMusicApi, held-out batch 18).
    if (!left && envSetting(node.childForFieldName('left'), scope)) return headerRead(right, scope);
    const fallback = right ? evaluate(right, scope) : undefined;
    if (left && !left.fallback && fallback?.kind === 'str')
      return { header: left.header, fallback: { value: fallback.value, whenEmpty: op === '||' } };
  }
  return undefined;
}

/**
 * Whether a node reads an environment variable: `process.env.X`, or a name bound to one
 * (`const X = process.env.X`, `const { X } = process.env`).
 */
function envSetting(input: Node | null, scope: HandlerScope): boolean {
  if (!input) return false;
  const node = unwrap(input);
  if (readsEnv(node)) return true;
  if (node.type !== 'identifier') return false;
  if (readsEnv(scope.js.resolveNode(node))) return true;
  return envDestructured(node.tree).has(node.text);
}

/** Per tree: the names of `const { A, B: C } = process.env` (one scan, however many reads ask). */
const destructuredFromEnv = new WeakMap<Node['tree'], Set<string>>();

function envDestructured(tree: Node['tree']): Set<string> {
  let names = destructuredFromEnv.get(tree);
  if (names) return names;
  names = new Set();
  for (const match of tree.rootNode.text.matchAll(/\{([^{}]*)\}\s*=\s*process\.env\b/g))
    for (const name of match[1].matchAll(/[A-Za-z_$][\w$]*/g)) names.add(name[0]);
  destructuredFromEnv.set(tree, names);
  return names;
}

/**
 * Which request data other than a header a node reads: `req.query.x`, `req.body['x']`,
 * `req.params.x`, `req.cookies.x`, `<url>.searchParams.get('x')`, a local holding one.
 */
export function requestData(
  input: Node | null | undefined,
  scope: HandlerScope,
): RequestData | undefined {
  if (!input) return undefined;
  const node = unwrap(input);
  if (node.type === 'identifier') return scope.data?.get(node.text);
  if (node.type === 'binary_expression') {
    // `req.query.origin || 'https://app.example.com'`: the fallback when the field is missing (or empty, for `||`).
    const op = node.childForFieldName('operator')?.text;
    if (op !== '||' && op !== '??') return undefined;
    const left = nested(
      () => requestData(node.childForFieldName('left'), scope),
      () => undefined,
    );
    const right = node.childForFieldName('right');
    const fallback = right ? evaluate(right, scope) : undefined;
    if (left && !left.fallback && fallback?.kind === 'str')
      return { ...left, fallback: { value: fallback.value, whenEmpty: op === '||' } };
    return undefined;
  }
  const source = node.text.replace(/\s+/g, ' ');
  if (node.type === 'call_expression') {
    const fn = squash(node.childForFieldName('function'));
    const [arg] = argumentsOf(node);
    const name = arg && jsStringValue(arg);
    if (name && /(^|\.)searchParams\.get$/.test(fn))
      return { kind: 'request-data', source, query: name };
    return undefined;
  }
  if ((node.type !== 'member_expression' && node.type !== 'subscript_expression') || !scope.req)
    return undefined;
  const object = squash(node.childForFieldName('object'));
  const part = object.startsWith(`${scope.req}.`) ? object.slice(scope.req.length + 1) : undefined;
  if (!part || !REQUEST_PARTS.test(part)) return undefined;
  const key =
    node.type === 'member_expression'
      ? node.childForFieldName('property')?.text
      : jsStringValue(node.childForFieldName('index') ?? node);
  return { kind: 'request-data', source, query: part === 'query' ? key : undefined };
}

/** Whether a node reads the Origin request header; what it gives when the header is missing. */
export function originRead(
  input: Node | null | undefined,
  scope: HandlerScope,
): RequestRead | undefined {
  const read = headerRead(input, scope);
  return read?.header === 'origin' ? { fallback: read.fallback } : undefined;
}

/** h3's readers of one request header. */
const H3_HEADER_READ = /^(?:getRequestHeader|getHeader)$/;

/** `req.method` (h3: `event.method`, `getMethod(event)`). */
const isMethod = (node: Node | null | undefined, scope: HandlerScope) =>
  (!!scope.req && squash(node) === `${scope.req}.method`) ||
  (!!scope.event &&
    (squash(node) === `${scope.event}.method` || squash(node) === `getMethod(${scope.event})`));

/** An allowlist (array, Set, one string or RegExp) as an Origin test. */
function listTest(node: Node, read: RequestRead, scope: HandlerScope): OriginTest {
  const value = evaluate(node, scope);
  const test: OriginTest = {
    kind: 'origin-in',
    ...read,
    exact: [],
    regexes: [],
    dynamic: false,
    envDriven: 'envDriven' in value && !!value.envDriven,
  };
  const items = value.kind === 'list' ? value.items : [value];
  if (value.kind === 'list') {
    const literal = unwrap(
      node.type === 'identifier'
        ? (scope.values.get(node.text) ?? scope.js.resolveNode(node))
        : node,
    );
    // `new Set([...])`: the array inside is what fixes edit.
    const array = literal.type === 'new_expression' ? argumentsOf(literal)[0] : literal;
    if (array?.type === 'array' && !array.hasError) test.list = spanOf(scope.js.file, array);
    if (unwrap(node).type === 'identifier') test.listName = unwrap(node).text;
  }
  for (const item of items) {
    if (item.kind === 'str') test.exact.push({ value: item.value, span: item.span });
    else if (item.kind === 'regex')
      test.regexes.push({ pattern: item.pattern, flags: item.flags, span: item.span });
    else test.dynamic = true;
    if ('envDriven' in item && item.envDriven) test.envDriven = true;
  }
  return test;
}

/** `(x) => x.test(origin)` / `(x) => x === origin`: the callback of `list.some(...)` over an allowlist. */
function someCallbackTestsOrigin(callback: Node, scope: HandlerScope): RequestRead | undefined {
  const fn = unwrap(callback);
  if (fn.type !== 'arrow_function') return undefined;
  const param = (fn.childForFieldName('parameter') ?? fn.childForFieldName('parameters'))?.text
    .replace(/[()\s]/g, '')
    .replace(/:.*$/, '');
  const body = fn.childForFieldName('body');
  if (!param || !body) return undefined;
  const inner = unwrap(body);
  if (
    inner.type === 'call_expression' &&
    squash(inner.childForFieldName('function')) === `${param}.test`
  )
    return originRead(argumentsOf(inner)[0], scope);
  if (
    inner.type === 'binary_expression' &&
    /^===?$/.test(inner.childForFieldName('operator')?.text ?? '')
  ) {
    const [l, r] = [inner.childForFieldName('left'), inner.childForFieldName('right')];
    return squash(l) === param
      ? originRead(r, scope)
      : squash(r) === param
        ? originRead(l, scope)
        : undefined;
  }
  return undefined;
}

/** A call testing the Origin or the method: `.includes`, `.has`, `.test`, `.some(...)`. */
/** Which part of the request target an expression is (`req.path`, `req.url`, `req.originalUrl`). */
function pathPart(node: Node | null, scope: HandlerScope): 'path' | 'url' | 'original' | undefined {
  if (!scope.req || !node) return undefined;
  const text = squash(node);
  return text === `${scope.req}.path`
    ? 'path'
    : text === `${scope.req}.url`
      ? 'url'
      : text === `${scope.req}.originalUrl`
        ? 'original'
        : undefined;
}

function callTest(node: Node, scope: HandlerScope): NodeCondition | undefined {
  const fn = node.childForFieldName('function');
  const target = fn?.type === 'member_expression' ? fn.childForFieldName('object') : null;
  const method = fn?.childForFieldName('property')?.text;
  const [arg] = argumentsOf(node);
  if (!target || !arg) return undefined;
  const part = pathPart(target, scope);
  const literal = part && evaluate(arg, scope);
  if (
    part &&
    literal?.kind === 'str' &&
    (method === 'startsWith' || method === 'endsWith' || method === 'includes')
  )
    return { kind: 'path', part, test: method, value: literal.value };
  if ((method === 'includes' || method === 'has') && isMethod(arg, scope)) {
    const list = evaluate(target, scope);
    const methods =
      list.kind === 'list'
        ? list.items.flatMap((i) => (i.kind === 'str' ? [i.value.toUpperCase()] : []))
        : [];
    return list.kind === 'list' && methods.length === list.items.length
      ? { kind: 'method', methods }
      : { kind: 'unknown' };
  }
  if (method === 'includes' || method === 'has') {
    const star = starEntry(target, arg, scope);
    if (star) return star;
  }
  const read = method === 'some' ? someCallbackTestsOrigin(arg, scope) : originRead(arg, scope);
  if (!read || !['includes', 'has', 'test', 'some'].includes(method ?? '')) return undefined;
  return listTest(target, read, scope);
}

/**
 * `list.includes('*')` beside `list.includes(origin)`: the list's entry for every origin (see
 * wildcardEntry): no origin passes it unless a part of the list read at run time holds `*`. A
 * list that holds `*` is left unknown, so the echo it guards reads as every origin's.
 */
function starEntry(list: Node, arg: Node, scope: HandlerScope): OriginTest | undefined {
  const item = evaluate(arg, scope);
  if (item.kind !== 'str' || item.value !== '*') return undefined;
  const test = listTest(list, {}, scope);
  if (test.exact.some((e) => e.value === '*')) return undefined;
  return { ...test, exact: [], regexes: [] };
}

/** `a === b` / `!==`: a method test, an exact Origin test, or `indexOf(...) !== -1`. */
function comparison(node: Node, scope: HandlerScope): NodeCondition | undefined {
  const op = node.childForFieldName('operator')?.text ?? '';
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  if (!left || !right) return undefined;
  const negate = (c: NodeCondition | undefined, not: boolean): NodeCondition | undefined =>
    c && not ? { kind: 'not', inner: c } : c;
  if (/^[!=]==?$/.test(op)) {
    const not = op.startsWith('!');
    for (const [a, b] of [
      [left, right],
      [right, left],
    ]) {
      const literal = evaluate(b, scope);
      if (isMethod(a, scope) && literal.kind === 'str')
        return negate({ kind: 'method', methods: [literal.value.toUpperCase()] }, not);
      const part = pathPart(a, scope);
      if (part && literal.kind === 'str')
        return negate({ kind: 'path', part, test: 'equals', value: literal.value }, not);
      const read = originRead(a, scope);
      if (!read) continue;
      if (literal.kind === 'str')
        return negate(
          {
            kind: 'origin-in',
            ...read,
            exact: [{ value: literal.value, span: literal.span }],
            regexes: [],
            dynamic: false,
            envDriven: !!literal.envDriven,
          },
          not,
        );
      // `origin === undefined` / `== null`: no Origin.
      if (literal.kind === 'none') return negate({ kind: 'origin-present', ...read }, !not);
    }
    // Other request data against a literal (`req.query.json == 'true'`: Shinobi, held-out batch
    // 28) tests when the write runs, never which Origin: it can be no allowlist of an echo.
    for (const [a, b] of [
      [left, right],
      [right, left],
    ])
      if (
        ['string', 'number', 'true', 'false'].includes(unwrap(b).type) &&
        !originRead(a, scope) &&
        requestData(a, scope)
      )
        return { kind: 'unknown', text: node.text.replace(/\s+/g, ' ') };
  }
  // `list.indexOf(origin) !== -1`, `>= 0`, `> -1`; `=== -1` negated.
  const inner = unwrap(left);
  const bound = squash(right);
  if (
    inner.type === 'call_expression' &&
    squash(inner.childForFieldName('function')).endsWith('.indexOf')
  ) {
    const target = inner.childForFieldName('function')?.childForFieldName('object');
    const [arg] = argumentsOf(inner);
    const read = originRead(arg, scope);
    const star = target && arg && !read ? starEntry(target, arg, scope) : undefined;
    if (!target || (!read && !star)) return undefined;
    const found =
      (op === '!==' || op === '!=' || op === '>') && bound === '-1'
        ? true
        : op === '>=' && bound === '0'
          ? true
          : (op === '===' || op === '==') && bound === '-1'
            ? false
            : undefined;
    const test = star ?? listTest(target, read ?? {}, scope);
    return found === undefined ? undefined : negate(test, !found);
  }
  return undefined;
}

/**
 * Whether an expression reads the Origin (or other request data) somewhere inside, through the
 * handler's locals too (`const tidy = origin ? clean(origin) : null`), `depth` locals deep.
 */
function readsRequest(node: Node, scope: HandlerScope, depth = 2): boolean {
  return [
    node,
    ...node.descendantsOfType([
      'identifier',
      'member_expression',
      'subscript_expression',
      'call_expression',
    ]),
  ].some((n) => {
    if (!n) return false;
    if (originRead(n, scope) || requestData(n, scope)) return true;
    const bound = n.type === 'identifier' && depth > 0 ? scope.values.get(n.text) : undefined;
    return !!bound && bound.id !== node.id && readsRequest(bound, scope, depth - 1);
  });
}

/** A condition not understood, and whether it reads the Origin somewhere inside. */
function unknown(node: Node, scope: HandlerScope): NodeCondition {
  // A test on other request data (`allowed.includes(req.query.origin)`) may be what checks an echo of it.
  const reads = readsRequest(node, scope);
  return { kind: 'unknown', origin: reads || undefined, text: node.text.replace(/\s+/g, ' ') };
}

/**
 * A condition of an `if` (or of `&&`), as far as it tests the request's method or Origin. `a || b
 * || …` is a left-deep tree as deep as it is long: past the shared nesting cap it is unknown.
 */
export function condition(input: Node | null | undefined, scope: HandlerScope): NodeCondition {
  return nested(
    () => conditionOf(input, scope),
    (): NodeCondition => ({ kind: 'unknown' }),
  );
}

function conditionOf(input: Node | null | undefined, scope: HandlerScope): NodeCondition {
  if (!input) return { kind: 'unknown' };
  if (input.hasError) return { kind: 'unknown', origin: true };
  const node = unwrap(input);
  // A local holding a test (`const allowed = LIST.includes(origin); if (allowed)`): its value.
  const bound = node.type === 'identifier' ? scope.values.get(node.text) : undefined;
  if (bound && bound.id !== node.id && !headerRead(node, scope)) return condition(bound, scope);
  if (node.type === 'unary_expression' && node.childForFieldName('operator')?.text === '!') {
    const inner = condition(node.childForFieldName('argument'), scope);
    // `!!test` is `test`.
    return inner.kind === 'not' ? inner.inner : { kind: 'not', inner };
  }
  if (node.type === 'binary_expression') {
    const op = node.childForFieldName('operator')?.text;
    if (op === '&&' || op === '||')
      return {
        kind: op === '&&' ? 'and' : 'or',
        parts: [
          condition(node.childForFieldName('left'), scope),
          condition(node.childForFieldName('right'), scope),
        ],
      };
    return comparison(node, scope) ?? unknown(node, scope);
  }
  if (node.type === 'call_expression') {
    const test = callTest(node, scope);
    if (test) return test;
  }
  // `origin.length`: a non-empty Origin.
  const subject =
    node.type === 'member_expression' && node.childForFieldName('property')?.text === 'length'
      ? node.childForFieldName('object')
      : node;
  const read = headerRead(subject, scope);
  if (read?.header === 'origin') return { kind: 'origin-present', fallback: read.fallback };
  return read
    ? { kind: 'header-present', header: read.header, fallback: read.fallback }
    : unknown(node, scope);
}

/** A header value: a string, number or array of them (a constant too), the request's Origin, or unknown. */
export function headerValue(node: Node, scope: HandlerScope): NodeValue {
  const read = headerRead(node, scope);
  if (read?.header === 'origin') return { kind: 'origin', fallback: read.fallback };
  if (read) return { kind: 'request', header: read.header, fallback: read.fallback };
  const data = requestData(node, scope);
  if (data) return data;
  const value = evaluate(node, scope);
  const text = (v: StaticValue) =>
    v.kind === 'str'
      ? v.value
      : v.kind === 'int' || v.kind === 'bool'
        ? String(v.value)
        : undefined;
  const items = value.kind === 'list' ? value.items : [value];
  const values = items.map(text);
  return values.every((v): v is string => v !== undefined)
    ? { kind: 'literal', values }
    : { kind: 'dynamic' };
}
