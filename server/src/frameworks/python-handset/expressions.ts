/** Reads the expressions hand-written CORS code uses: the request's Origin, its method, header values. */
import { escapeRegex } from '../../base/regex';
import type { Node } from 'web-tree-sitter';
import type { HandsetCondition, HandsetValue } from './facts';
import type { Span } from '../../policy/types';
import { wildcardEntry } from '../../lang/handset-policy';
import { stringList } from '../../lang/string-list';
import { spanOf, stringValue, type PythonEvaluator } from '../../lang/python/evaluate';

/**
 * The request object as code names it: `request` (`req` in aiohttp handlers), or through its
 * module (`flask.request`, `self.request`).
 */
const REQUEST = String.raw`(?:[A-Za-z_]\w*\.)*req(?:uest)?`;
const ORIGIN_GETTERS = new RegExp(
  `^${REQUEST}\\.(headers\\.get|headers\\.__getitem__|META\\.get|environ\\.get|headers)$`,
);
const ORIGIN_MAPS = new RegExp(`^${REQUEST}\\.(headers|META|environ)$`);
/**
 * Werkzeug's `request.origin`: the Origin header, None without one (rucio's WSGI preflight gate,
 * held-out batch 9: read as unknown, it made the whole policy's origins dynamic).
 */
const ORIGIN_PROPERTY = new RegExp(`^${REQUEST}\\.origin$`);

/** Local names bound to the request's Origin, with the getter's default (`.get("Origin", "")`). */
export type OriginNames = Map<string, string | undefined>;

const text = (node: Node | null | undefined) => node?.text.replace(/\s+/g, '') ?? '';

/** Whether an expression reads the request's Origin header. */
export function isOrigin(node: Node | null | undefined, names: OriginNames): boolean {
  if (!node) return false;
  if (node.type === 'identifier') return names.has(node.text);
  if (node.type === 'parenthesized_expression') return isOrigin(node.namedChildren[0], names);
  if (node.type === 'attribute') return ORIGIN_PROPERTY.test(text(node));
  // `request.headers.get("Origin") or ""`
  if (node.type === 'boolean_operator') return isOrigin(node.childForFieldName('left'), names);
  // aiohttp's `hdrs.ORIGIN` names the header as the string does.
  const key = (arg: Node | null | undefined) =>
    arg?.type === 'string'
      ? stringValue(arg)?.toLowerCase()
      : /(^|\.)hdrs\.ORIGIN$/.test(text(arg))
        ? 'origin'
        : undefined;
  if (node.type === 'call' && ORIGIN_GETTERS.test(text(node.childForFieldName('function')))) {
    const first = node.childForFieldName('arguments')?.namedChildren[0];
    return key(first) === 'origin' || key(first) === 'http_origin';
  }
  if (node.type === 'subscript' && ORIGIN_MAPS.test(text(node.childForFieldName('value')))) {
    const k = key(node.childForFieldName('subscript'));
    return k === 'origin' || k === 'http_origin';
  }
  return false;
}

/** What an Origin-reading expression gives when the request has no Origin (a string default). */
export function originDefault(node: Node, names: OriginNames): string | undefined {
  if (node.type === 'identifier') return names.get(node.text);
  const fallback =
    node.type === 'call'
      ? node.childForFieldName('arguments')?.namedChildren[1]
      : node.type === 'boolean_operator'
        ? node.childForFieldName('right')
        : undefined;
  return fallback?.type === 'string' ? stringValue(fallback) : undefined;
}

/**
 * Whether an expression is the request method (Flask's, or WSGI's `environ['REQUEST_METHOD']`,
 * also kept as a handler's `self.env`: ZeroNet's UiRequest, held-out batch 25).
 */
const METHOD = new RegExp(
  `^(?:${REQUEST}\\.method|(?:${REQUEST}\\.|self\\.)?env(?:iron)?(?:\\.get\\((['"])REQUEST_METHOD\\1\\)|\\[(['"])REQUEST_METHOD\\2\\]))$`,
);
const isMethod = (node: Node | null | undefined) => METHOD.test(text(node));

/** `HTTPMethod.OPTIONS.value` (Python 3.11's `http.HTTPMethod`): the method's name. */
const httpMethodName = (node: Node): string | undefined =>
  /^(?:http\.)?HTTPMethod\.([A-Z]+)(?:\.value)?$/.exec(text(node))?.[1];

/** Local names bound to a test of the request (`listed = origin in ALLOWED`), with that test. */
export type TestNames = Map<string, HandsetCondition>;

/**
 * A condition of an `if`, as far as it tests the request's method or Origin; a test of the Origin
 * it cannot read is `origin-unread` (it may be the allowlist).
 */
export function condition(
  node: Node | null,
  names: OriginNames,
  evaluator: PythonEvaluator,
  tests: TestNames = new Map(),
): HandsetCondition {
  const read = readCondition(node, names, evaluator, tests);
  return read.kind === 'unknown' && node && !node.hasError && mentionsOrigin(node, names)
    ? { kind: 'origin-unread' }
    : read;
}

/** Whether an expression reads the request's Origin anywhere inside (a call's argument, say). */
function mentionsOrigin(node: Node, names: OriginNames): boolean {
  const pending = [node];
  for (let seen = 0; pending.length && seen < 200; seen++) {
    const next = pending.pop()!;
    if (isOrigin(next, names)) return true;
    pending.push(...next.namedChildren.filter((c): c is Node => !!c));
  }
  return false;
}

function readCondition(
  node: Node | null,
  names: OriginNames,
  evaluator: PythonEvaluator,
  tests: TestNames,
): HandsetCondition {
  if (!node || node.hasError) return { kind: 'unknown' };
  const inner = (child: Node | null | undefined) =>
    condition(child ?? null, names, evaluator, tests);
  if (node.type === 'identifier' && tests.has(node.text)) return tests.get(node.text)!;
  if (node.type === 'parenthesized_expression') return inner(node.namedChildren[0]);
  if (node.type === 'not_operator')
    return { kind: 'not', inner: inner(node.childForFieldName('argument')) };
  if (node.type === 'boolean_operator') {
    const op = node.childForFieldName('operator')?.text === 'and' ? 'and' : 'or';
    return {
      kind: op,
      parts: [inner(node.childForFieldName('left')), inner(node.childForFieldName('right'))],
    };
  }
  if (isOrigin(node, names)) return { kind: 'origin-present' };
  // `ALLOWED.__contains__(origin)` is `origin in ALLOWED` (MaxKB, held-out batch 8).
  const contains = containsCall(node);
  if (contains && isStar(contains.value) && !isOrigin(contains.list, names))
    return starIn(contains.list, evaluator, 'in');
  if (contains) return originIn(contains.value, contains.list, names, evaluator, 'in');
  const pattern = node.type === 'call' ? originPattern(node, names, evaluator) : undefined;
  if (pattern) return pattern;
  if (isSwitch(node)) return { kind: 'switch' };
  if (node.type === 'binary_operator') return intersection(node, names, evaluator);
  if (node.type !== 'comparison_operator') return { kind: 'unknown' };
  const [left, right] = node.namedChildren;
  const operator = node.children
    .filter((c) => c && !c.isNamed)
    .map((c) => c!.text)
    .join(' ');
  const negate = operator === '!=' || operator === 'not in';
  // `origin is not None` after `.get("Origin")`: the header is sent (an empty one too).
  if (left && right?.type === 'none' && isOrigin(left, names) && /^is( not)?$/.test(operator))
    return operator === 'is'
      ? { kind: 'not', inner: { kind: 'origin-sent' } }
      : { kind: 'origin-sent' };
  if (!left || !right || !['==', '!=', 'in', 'not in'].includes(operator))
    return { kind: 'unknown' };
  const method = isMethod(left) ? httpMethodName(right) : undefined;
  const known = method ? { values: [method] } : stringList(evaluator.evaluate(right));
  let test: HandsetCondition = { kind: 'unknown' };
  const name = left.type === 'string' ? stringValue(left)?.toLowerCase() : undefined;
  // `"Origin" in request.headers` (or its `.keys()`)
  if (
    (name === 'origin' || name === 'http_origin') &&
    (operator === 'in' || operator === 'not in') &&
    ORIGIN_MAPS.test(text(right).replace(/\.keys\(\)$/, ''))
  )
    test = { kind: 'origin-sent' };
  else if (isMethod(left) && known)
    test = { kind: 'method', methods: known.values.map((m) => m.toUpperCase()) };
  else if (isMethod(left) && (operator === 'in' || operator === 'not in'))
    test = { kind: 'method-listed' };
  else if (isOrigin(left, names)) return originIn(left, right, names, evaluator, operator);
  else if ((operator === 'in' || operator === 'not in') && isOrigin(right, names))
    test = substringOf(node, left, evaluator);
  // `"*" in origin` tests the Origin's own text, not a list: left unread.
  else if (isStar(left) && (operator === 'in' || operator === 'not in') && !isOrigin(right, names))
    return starIn(right, evaluator, operator);
  // A comparison of known values that does not read the request (`ORIGINS == ["*"]` with the
  // list's default: blueboot, held-out batch 57): true or false as written.
  if (test.kind === 'unknown' && !mentionsOrigin(node, names)) {
    const truth = evaluator.evaluate(node);
    if (truth?.kind === 'bool')
      return truth.value ? { kind: 'and', parts: [] } : { kind: 'or', parts: [] };
  }
  return negate && test.kind !== 'unknown' ? { kind: 'not', inner: test } : test;
}

/** `re.match` applies a pattern at the start, `re.fullmatch` to the whole, `re.search` anywhere. */
const RE_CALL = /^re\.(match|fullmatch|search)$/;

/**
 * `re.match(P, origin)` (`fullmatch`, `search`; `re.I` read) and `origin.startswith("...")` /
 * `.endswith(...)` as the regex they stand for, so the regex checks find the origin an attacker
 * registers to pass them (a tuple of prefixes is an `or` of them).
 */
function originPattern(
  node: Node,
  names: OriginNames,
  evaluator: PythonEvaluator,
): HandsetCondition | undefined {
  const fn = node.childForFieldName('function');
  const args = node.childForFieldName('arguments')?.namedChildren ?? [];
  const re = RE_CALL.exec(text(fn));
  if (re && args[0] && isOrigin(args[1], names)) {
    const pattern = evaluator.evaluate(args[0]);
    if (pattern?.kind !== 'str') return undefined;
    const flags = args
      .slice(2)
      .map((a) => text(a))
      .join(' ');
    return {
      kind: 'origin-match',
      pattern: pattern.value,
      modifiers: /\bre\.(I|IGNORECASE)\b/.test(flags) ? 'i' : '',
      // The pattern's own string, where a fix rewrites it.
      span: pattern.span,
      flavor: `python-${re[1]}` as 'python-match' | 'python-fullmatch' | 'python-search',
    };
  }
  const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
  if (
    (method !== 'startswith' && method !== 'endswith') ||
    !isOrigin(fn?.childForFieldName('object'), names) ||
    args.length !== 1
  )
    return undefined;
  const span = spanOf(evaluator.file, node);
  const prefixes = stringList(evaluator.evaluate(args[0]))?.values;
  if (!prefixes?.length || prefixes.includes('')) return undefined;
  const each = prefixes.map((value): HandsetCondition => ({
    kind: 'origin-match',
    pattern: `${escapeRegex(value)}${method === 'endswith' ? '\\Z' : ''}`,
    modifiers: '',
    span,
    flavor: method === 'endswith' ? 'python-search' : 'python-match',
    test: node.text,
  }));
  return each.length === 1 ? each[0] : { kind: 'or', parts: each };
}

/**
 * `"example.com" in origin`: a substring test, the unanchored regex it stands for (so the regex
 * checks find `https://example.com.attacker.net`); with a value read at run time (`for d in
 * app.domains: if d in origin`, appenlight, held-out batch 32) a test of the Origin not read.
 */
function substringOf(node: Node, part: Node, evaluator: PythonEvaluator): HandsetCondition {
  const value = evaluator.evaluate(part);
  if (value?.kind !== 'str' || !value.value) return { kind: 'origin-unread' };
  return {
    kind: 'origin-match',
    pattern: escapeRegex(value.value),
    modifiers: '',
    span: spanOf(evaluator.file, node),
    flavor: 'python-search',
    test: node.text,
  };
}

/** `x.__contains__(y)`: the container and the value tested. */
function containsCall(node: Node): { list: Node; value: Node } | undefined {
  if (node.type !== 'call') return undefined;
  const fn = node.childForFieldName('function');
  const args = node.childForFieldName('arguments')?.namedChildren ?? [];
  if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== '__contains__')
    return undefined;
  const list = fn.childForFieldName('object');
  return list && args.length === 1 && args[0] ? { list, value: args[0] } : undefined;
}

const isStar = (node: Node) => node.type === 'string' && stringValue(node) === '*';

/** `"*" in LIST`: the list's entry for every origin (see wildcardEntry). */
function starIn(list: Node, evaluator: PythonEvaluator, operator: string): HandsetCondition {
  const value = evaluator.evaluate(list);
  const test = wildcardEntry(stringList(value), value?.span);
  if (!test) return { kind: 'unknown' };
  return operator === 'not in' ? { kind: 'not', inner: test } : test;
}

/** `origin == x`, `origin in LIST` (and their negations): an allowlist test of the Origin. */
function originIn(
  origin: Node,
  right: Node,
  names: OriginNames,
  evaluator: PythonEvaluator,
  operator: string,
): HandsetCondition {
  if (!isOrigin(origin, names)) return { kind: 'unknown' };
  const known = stringList(evaluator.evaluate(right));
  const test: HandsetCondition = known
    ? { kind: 'origin-in', values: known.values, spans: known.spans, list: known.list }
    : operator === 'in' || operator === 'not in'
      ? {
          kind: 'origin-in',
          values: [],
          spans: [],
          list: evaluator.evaluate(right)?.span,
          configured: true,
        }
      : { kind: 'unknown' };
  const negate = operator === '!=' || operator === 'not in';
  return negate && test.kind !== 'unknown' ? { kind: 'not', inner: test } : test;
}

/** A read of the app's settings (`settings().getBoolean(...)`, `app.config["X"]`, `SETTINGS["x"]`). */
const SETTINGS_READ = /^(?:[A-Za-z_]\w*\.)*(?:settings|config|conf)\b/i;
const isSwitch = (node: Node) =>
  ['attribute', 'call', 'subscript'].includes(node.type) && SETTINGS_READ.test(text(node));

/**
 * `{origin, "*"} & ALLOWED` (or `set([...])`): true when the Origin is in a set read at run time.
 * A `"*"` beside it lets every origin in once the set holds `"*"`; the model assumes, as for
 * `origin in ALLOWED`, that the asker is listed.
 */
function intersection(
  node: Node,
  names: OriginNames,
  evaluator: PythonEvaluator,
): HandsetCondition {
  if (node.childForFieldName('operator')?.text !== '&') return { kind: 'unknown' };
  const members = (side: Node | null) => {
    const literal =
      side?.type === 'call' && /^(set|frozenset)$/.test(text(side.childForFieldName('function')))
        ? side.childForFieldName('arguments')?.namedChildren[0]
        : side;
    return literal && ['set', 'list', 'tuple'].includes(literal.type) ? literal.namedChildren : [];
  };
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  for (const [mine, theirs] of [
    [left, right],
    [right, left],
  ])
    if (members(mine).some((m) => isOrigin(m, names)))
      return {
        kind: 'origin-in',
        values: [],
        spans: [],
        list: evaluator.evaluate(theirs)?.span,
        configured: true,
      };
  return { kind: 'unknown' };
}

/** A header value: a string (constant, `", ".join([...])`, number), the request Origin, or unknown. */
export function headerValue(
  node: Node | null,
  names: OriginNames,
  evaluator: PythonEvaluator,
  boolAsText = false,
): HandsetValue {
  if (!node || node.hasError) return { kind: 'dynamic' };
  if (isOrigin(node, names)) return { kind: 'origin', absent: originDefault(node, names) };
  const fn = node.type === 'call' ? node.childForFieldName('function') : null;
  if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'join') {
    const separator = evaluator.evaluate(fn.childForFieldName('object'));
    const parts = stringList(
      evaluator.evaluate(node.childForFieldName('arguments')?.namedChildren[0] ?? node),
    );
    if (separator?.kind === 'str' && parts)
      return { kind: 'literal', value: parts.values.join(separator.value) };
  }
  const value = evaluator.evaluate(node);
  if (value?.kind === 'str') return { kind: 'literal', value: value.value };
  if (value?.kind === 'int') return { kind: 'literal', value: String(value.value) };
  // `resp.headers["Access-Control-Allow-Credentials"] = True`: Werkzeug and Django write `str(v)`,
  // "True", which browsers do not take for "true" (flask-sql, held-out batch 34: Flask 3.1 sent it).
  if (value?.kind === 'bool' && boolAsText)
    return { kind: 'literal', value: value.value ? 'True' : 'False' };
  return { kind: 'dynamic' };
}

/** The span of a node. */
export const at = (file: string, node: Node): Span => spanOf(file, node);
