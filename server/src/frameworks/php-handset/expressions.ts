/** Reads the expressions hand-written PHP CORS code uses: request headers, the method, header values. */
import type { Node } from 'web-tree-sitter';
import type { PhpCondition, PhpValue } from './facts';
import { stringList } from '../../lang/string-list';
import { nested } from '../../lang/nesting';
import {
  callArguments,
  calledName,
  phpString,
  spanOf,
  templateParts,
  type PhpEvaluator,
} from '../../lang/php/evaluate';
import { pregParts } from '../../lang/php/regex';
import { escapeRegex } from '../../base/regex';

/** A request header read (`origin`, lower-case), with what the code falls back to without one. */
export interface HeaderRead {
  header: string;
  absent?: string;
}

/** Local variables bound to a request header or to the request method. */
export interface Bindings {
  headers: Map<string, HeaderRead>;
  methods: Set<string>;
}

const SERVER_GETTERS = new Set(['getallheaders', 'apache_request_headers']);
/** Functions that hand back a well-formed origin unchanged (escaping, trimming, sanitising). */
const KEEPS_ORIGIN = new Set([
  'trim',
  'esc_url_raw',
  'esc_url',
  'sanitize_text_field',
  'htmlspecialchars',
  'strip_tags',
]);
// PSR-7's `getHeader('Origin')` is a list of the header's values (its first is the Origin).
const HEADER_METHODS =
  /^(headers->get|header|getHeaderLine|getheaderline|getHeader|getheader|server)$/;

/** `$_SERVER['HTTP_ORIGIN']`'s key as a header name (`origin`), or REQUEST_METHOD as `:method`. */
function serverKey(key: string): string | undefined {
  if (key === 'REQUEST_METHOD') return ':method';
  return /^HTTP_/.test(key) ? key.slice(5).toLowerCase().replace(/_/g, '-') : undefined;
}

/** The member chain of a call as text without the receiver (`headers->get`), and the receiver. */
function memberCall(node: Node): { receiver: string; chain: string } | undefined {
  if (node.type !== 'member_call_expression' && node.type !== 'nullsafe_member_call_expression')
    return undefined;
  const names: string[] = [node.childForFieldName('name')?.text ?? ''];
  let object = node.childForFieldName('object');
  while (
    object?.type === 'member_access_expression' ||
    object?.type === 'nullsafe_member_access_expression'
  ) {
    names.unshift(object.childForFieldName('name')?.text ?? '');
    object = object.childForFieldName('object');
  }
  if (!object) return undefined;
  // `$this->req->headers->get(...)`: the request is the object's property.
  if (object.text === '$this' && names.length > 1)
    return { receiver: `$this->${names[0]}`, chain: names.slice(1).join('->') };
  return { receiver: object.text, chain: names.join('->') };
}

/**
 * The request header (or `:method`) an expression reads, if it reads one. Calls nest (`f(f(…))`),
 * so each level steps through the shared nesting cap.
 */
export function requestRead(
  node: Node | null | undefined,
  bindings: Bindings,
): HeaderRead | undefined {
  if (!node) return undefined;
  return nested(
    () => readOf(node, bindings),
    () => undefined,
  );
}

function readOf(node: Node, bindings: Bindings): HeaderRead | undefined {
  switch (node.type) {
    case 'parenthesized_expression':
      return requestRead(node.namedChildren[0], bindings);
    case 'variable_name':
      return (
        bindings.headers.get(node.text) ??
        (bindings.methods.has(node.text) ? { header: ':method' } : undefined)
      );
    case 'subscript_expression': {
      const [object, key] = node.namedChildren;
      // `$request->getHeader('Origin')[0]`, `$origins[0]`: the first value of a header's list
      // (Shika's Slim middleware, held-out batch 23).
      if (object && key?.type === 'integer' && key.text === '0')
        return requestRead(object, bindings);
      const name = phpString(key);
      if (!object || name === undefined) return undefined;
      if (object.text === '$_SERVER') {
        const header = serverKey(name);
        return header ? { header } : undefined;
      }
      // A query parameter, as a `?name` pseudo-header the model reads from the request's URL.
      if (object.text === '$_GET' || object.text === '$_REQUEST') return { header: `?${name}` };
      if (object.type === 'function_call_expression' && SERVER_GETTERS.has(calledName(object)))
        return { header: name.toLowerCase() };
      // Laravel's `$request->server()['HTTP_ORIGIN']`: the whole server array, then its key
      // (laravel_bot's middleware, held-out batch 53).
      const call = memberCall(object);
      if (
        call?.chain === 'server' &&
        /request|\breq\b/i.test(call.receiver) &&
        !callArguments(object).positional.length
      ) {
        const header = serverKey(name);
        return header ? { header } : undefined;
      }
      return undefined;
    }
    case 'conditional_expression': {
      // `isset($_SERVER['HTTP_ORIGIN']) ? $_SERVER['HTTP_ORIGIN'] : ''`: `??` written out.
      const test = node.childForFieldName('condition');
      const read = requestRead(node.childForFieldName('body'), bindings);
      const fallback = node.childForFieldName('alternative');
      const tested =
        test?.type === 'function_call_expression' &&
        calledName(test) === 'isset' &&
        requestRead(callArguments(test).positional[0], bindings)?.header === read?.header;
      if (!read || !tested) return undefined;
      return { header: read.header, absent: fallback?.type === 'null' ? '' : phpString(fallback) };
    }
    case 'binary_expression': {
      const operator = node.childForFieldName('operator')?.text;
      const left = requestRead(node.childForFieldName('left'), bindings);
      if (!left || (operator !== '??' && operator !== '?:')) return undefined;
      const fallback = node.childForFieldName('right');
      return { header: left.header, absent: fallback?.type === 'null' ? '' : phpString(fallback) };
    }
    case 'function_call_expression': {
      const name = calledName(node);
      const inner = requestRead(callArguments(node).positional[0], bindings);
      if (!inner) return readBy(node, name);
      // `strtoupper($_SERVER['REQUEST_METHOD'])`: methods compare upper-cased.
      if (name === 'strtoupper') return inner.header === ':method' ? inner : undefined;
      return KEEPS_ORIGIN.has(name) ? inner : undefined;
    }
    case 'member_call_expression': {
      const call = memberCall(node);
      if (!call || !/request|\breq\b/i.test(call.receiver)) return undefined;
      if (/^(getMethod|method|getRealMethod)$/.test(call.chain)) return { header: ':method' };
      if (!HEADER_METHODS.test(call.chain)) return undefined;
      const [first, second] = callArguments(node).positional;
      const key = phpString(first);
      if (key === undefined) return undefined;
      const header = call.chain === 'server' ? serverKey(key) : key.toLowerCase();
      return header ? { header, absent: second ? phpString(second) : undefined } : undefined;
    }
    default:
      return undefined;
  }
}

/** WordPress's (and ClassicPress's) `get_http_origin()`: the Origin header, through a filter. */
const ORIGIN_GETTERS = new Set(['get_http_origin']);

/** Each file's functions that return a request header read, by name (see `readBy`). */
const returnedReads = new WeakMap<object, Map<string, HeaderRead>>();

/**
 * The header a call of a function hands back: WordPress's `get_http_origin()`, or a function of
 * the same file whose `return` is a header read (`function request_origin() { return
 * $_SERVER['HTTP_ORIGIN'] ?? ''; }`: ClassicPress, held-out batch 29: preview said blocked
 * where `php -S` reflected the Origin).
 */
function readBy(call: Node, name: string): HeaderRead | undefined {
  if (ORIGIN_GETTERS.has(name.toLowerCase())) return { header: 'origin' };
  let reads = returnedReads.get(call.tree);
  if (!reads) {
    reads = new Map();
    const none: Bindings = { headers: new Map(), methods: new Set() };
    for (const fn of call.tree.rootNode.namedChildren) {
      if (fn?.type !== 'function_definition') continue;
      const body = fn.childForFieldName('body');
      const returned = body?.namedChildren.find((c) => c?.type === 'return_statement');
      const read = returned ? requestRead(returned.namedChildren[0], none) : undefined;
      const named = fn.childForFieldName('name')?.text.toLowerCase();
      if (read && named) reads.set(named, read);
    }
    returnedReads.set(call.tree, reads);
  }
  return reads.get(name.toLowerCase());
}

const isOrigin = (read: HeaderRead | undefined) => read?.header === 'origin';

/** `preg_match('/.../', $origin)` as a condition, when the pattern is a literal. */
function pregMatch(
  node: Node,
  bindings: Bindings,
  evaluator: PhpEvaluator,
): PhpCondition | undefined {
  if (node.type !== 'function_call_expression' || calledName(node) !== 'preg_match')
    return undefined;
  const [pattern, subject] = callArguments(node).positional;
  if (!isOrigin(requestRead(subject, bindings))) return undefined;
  const literal = pattern && evaluator.evaluate(pattern);
  const parts = literal?.kind === 'str' ? pregParts(literal.value) : undefined;
  if (!parts || literal?.kind !== 'str') return { kind: 'unknown' };
  // The span of the body alone, when the literal is written in place (a fix rewrites just it).
  const direct = pattern.type === 'string' || pattern.type === 'encapsed_string';
  const start = literal.span.start + 1 + parts.bodyStart;
  const span = direct
    ? { file: literal.span.file, start, end: start + parts.body.length }
    : literal.span;
  return { kind: 'origin-match', pattern: parts.body, modifiers: parts.modifiers, span };
}

/**
 * PHP 8's string tests on the Origin, as the PCRE patterns they stand for (`preg_match` searches
 * anywhere): `str_starts_with($origin, 'http://localhost')` lets `http://localhost.attacker.net`
 * in (3380_Project's helpers.php, held-out batch 54), which the pattern checks then find.
 */
const STRING_TESTS: Record<string, ((escaped: string) => string) | undefined> = {
  str_starts_with: (escaped) => `^${escaped}`,
  str_ends_with: (escaped) => `${escaped}\\z`,
  str_contains: (escaped) => escaped,
};

/** A condition of an `if`, as far as it tests the request's method or Origin. */
export function condition(
  node: Node | null | undefined,
  bindings: Bindings,
  evaluator: PhpEvaluator,
): PhpCondition {
  // `!(!(...))` thousands deep: unknown past the shared nesting cap, not a stack overflow.
  const test = nested(
    (): PhpCondition => conditionOf(node, bindings, evaluator),
    (): PhpCondition => ({ kind: 'unknown' }),
  );
  return test.kind === 'unknown' && node && requestOnly(node.text)
    ? { kind: 'unknown', request: true }
    : test;
}

/** Request data a test can read that is not the Origin. */
const NOT_ORIGIN = new Set(['_GET', '_POST', '_REQUEST', '_COOKIE', '_SESSION', '_FILES']);

/** PHP's own functions that read only their arguments. */
const PURE = new Set(
  'isset empty in_array array_key_exists strtolower strtoupper trim is_string is_numeric intval count strlen str_starts_with str_ends_with str_contains strpos'.split(
    ' ',
  ),
);

/** The longest test text read for `requestOnly` (longer ones stay unknown). */
const REQUEST_TEST_TEXT = 2000;

/**
 * Whether a test reads nothing but request data other than the Origin, through PHP's own
 * functions (Oscarhoop's `if (isset($_GET['action']) && $_GET['action'] == '...')` around an echo
 * of every Origin with credentials, held-out batch 54): a user function or variable might hold
 * an allowlist test, this cannot.
 */
function requestOnly(text: string): boolean {
  if (text.length > REQUEST_TEST_TEXT || /origin/i.test(text)) return false;
  const code = text.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, "''");
  const variables = [...code.matchAll(/\$(\w+)/g)].map((m) => m[1]);
  const words = [...code.replace(/\$\w+/g, '').matchAll(/\b([A-Za-z_]\w*)\b/g)].map((m) => m[1]);
  return (
    variables.length > 0 &&
    !/->|::/.test(code) &&
    variables.every((v) => NOT_ORIGIN.has(v)) &&
    words.every((w) => PURE.has(w.toLowerCase()) || /^(?:true|false|null|and|or)$/i.test(w))
  );
}

function conditionOf(
  node: Node | null | undefined,
  bindings: Bindings,
  evaluator: PhpEvaluator,
): PhpCondition {
  if (!node || node.hasError) return { kind: 'unknown' };
  if (node.type === 'parenthesized_expression')
    return condition(node.namedChildren[0], bindings, evaluator);
  if (node.type === 'unary_op_expression' && node.childForFieldName('operator')?.text === '!')
    return {
      kind: 'not',
      inner: condition(
        node.childForFieldName('argument') ?? node.namedChildren[0],
        bindings,
        evaluator,
      ),
    };
  const read = requestRead(node, bindings);
  if (read && read.header !== ':method')
    return { kind: 'header-present', header: read.header, truthy: true };
  const match = pregMatch(node, bindings, evaluator);
  if (match) return match;
  if (node.type === 'function_call_expression') {
    const name = calledName(node);
    const args = callArguments(node).positional;
    if (name === 'isset' || name === 'empty') {
      const inner = requestRead(args[0], bindings);
      const test: PhpCondition =
        inner && inner.header !== ':method'
          ? { kind: 'header-present', header: inner.header }
          : { kind: 'unknown' };
      return name === 'empty' && test.kind !== 'unknown' ? { kind: 'not', inner: test } : test;
    }
    const tested = STRING_TESTS[name];
    if (tested && args[0] && args[1] && isOrigin(requestRead(args[0], bindings))) {
      const value = evaluator.evaluate(args[1]);
      if (value?.kind !== 'str' || !value.value) return { kind: 'unknown' };
      return {
        kind: 'origin-match',
        pattern: tested(escapeRegex(value.value)),
        modifiers: '',
        span: spanOf(evaluator.file, node),
        test: node.text,
      };
    }
    if (name === 'in_array' && args[0] && args[1] && isOrigin(requestRead(args[0], bindings))) {
      const known = stringList(evaluator.evaluate(args[1]));
      return known ? { kind: 'origin-in', ...known } : { kind: 'unknown' };
    }
    return { kind: 'unknown' };
  }
  if (node.type === 'member_call_expression') {
    const call = memberCall(node);
    const method = phpString(callArguments(node).positional[0]);
    return call?.chain === 'isMethod' && method
      ? { kind: 'method', methods: [method.toUpperCase()], caseless: true }
      : { kind: 'unknown' };
  }
  if (node.type !== 'binary_expression') return { kind: 'unknown' };
  const operator = node.childForFieldName('operator')?.text.toLowerCase() ?? '';
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  if (['&&', 'and', '||', 'or'].includes(operator)) {
    return {
      kind: operator === '&&' || operator === 'and' ? 'and' : 'or',
      parts: [condition(left, bindings, evaluator), condition(right, bindings, evaluator)],
    };
  }
  if (!left || !right || !['==', '===', '!=', '!==', '<>', '>'].includes(operator))
    return { kind: 'unknown' };
  const negate = operator.startsWith('!') || operator === '<>';
  // `preg_match(...) === 1`, `> 0`, `!== 0`.
  const matched = pregMatch(left, bindings, evaluator);
  if (matched) {
    const number = right.type === 'integer' ? Number(right.text) : undefined;
    if (number === undefined) return { kind: 'unknown' };
    const truthy = operator === '>' ? number === 0 : (number !== 0) !== negate;
    return truthy ? matched : { kind: 'not', inner: matched };
  }
  const [subject, other] = requestRead(left, bindings) ? [left, right] : [right, left];
  const subjectRead = requestRead(subject, bindings);
  const known = stringList(evaluator.evaluate(other));
  let test: PhpCondition = { kind: 'unknown' };
  if (subjectRead?.header === ':method' && known && known.values.length === 1)
    test = {
      kind: 'method',
      methods: [known.values[0]],
      caseless: subject.type === 'function_call_expression',
    };
  else if (isOrigin(subjectRead) && known && known.values.length === 1)
    test = { kind: 'origin-in', ...known, absent: subjectRead?.absent };
  else if (subjectRead?.header.startsWith('?') && known && known.values.length === 1)
    test = {
      kind: 'query-is',
      param: subjectRead.header.slice(1),
      value: known.values[0],
      ...(operator.length === 2 || operator === '<>' ? { loose: true as const } : {}),
    };
  return negate && test.kind !== 'unknown' ? { kind: 'not', inner: test } : test;
}

/**
 * A header value from its parts: the text after `Name:` (or the whole value), trimmed as PHP and
 * the HTTP client do; an echoed request header when it is the only part.
 */
export function valueOf(
  parts: ReturnType<typeof templateParts>,
  bindings: Bindings,
  evaluator: PhpEvaluator,
): PhpValue {
  const resolved = parts.map((part) => {
    if (part.kind === 'text' || requestRead(part.node, bindings)) return part;
    const value = evaluator.evaluate(part.node);
    if (value?.kind === 'str') return { kind: 'text' as const, text: value.value };
    if (value?.kind === 'int') return { kind: 'text' as const, text: String(value.value) };
    return part;
  });
  const exprs = resolved.filter((p) => p.kind === 'expr');
  const text = resolved.map((p) => (p.kind === 'text' ? p.text : '')).join('');
  if (!exprs.length) return { kind: 'literal', value: text.trim() };
  const read =
    exprs.length === 1 && exprs[0].kind === 'expr'
      ? requestRead(exprs[0].node, bindings)
      : undefined;
  const expr = exprs[0].kind === 'expr' ? exprs[0].node : undefined;
  if (read && expr && read.header !== ':method' && !text.trim())
    return {
      kind: 'request',
      header: read.header,
      absent: read.absent ?? '',
      at: spanOf(evaluator.file, expr),
    };
  return { kind: 'dynamic' };
}

/** `header('Name: value')`'s name and value, or its status line (`HTTP/1.1 204 No Content`). */
export function headerLine(
  node: Node,
  bindings: Bindings,
  evaluator: PhpEvaluator,
): { name: string; value: PhpValue } | { status: number } | undefined {
  const parts = templateParts(node);
  let name = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part.kind !== 'text') return undefined;
    const colon = part.text.indexOf(':');
    if (colon < 0) {
      name += part.text;
      continue;
    }
    name += part.text.slice(0, colon);
    const rest = [
      { kind: 'text' as const, text: part.text.slice(colon + 1) },
      ...parts.slice(i + 1),
    ];
    return /^[!#$%&'*+.^_`|~0-9a-z-]+$/i.test(name.trim())
      ? { name: name.trim(), value: valueOf(rest, bindings, evaluator) }
      : undefined;
  }
  const status = /^HTTP\/[\d.]+\s+(\d{3})\b/i.exec(name);
  return status ? { status: Number(status[1]) } : undefined;
}

export { memberCall, spanOf };
