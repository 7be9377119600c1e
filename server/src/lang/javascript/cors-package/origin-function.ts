/**
 * Reads an `origin(origin, callback)` function of `cors` options: the allowlist it checks
 * (`allowed.has(origin)`, `.includes`, `.indexOf(...) !== -1`, `re.test(origin)`,
 * `origin === '...'`, `list.some((p) => p instanceof RegExp ? p.test(origin) : p === origin)`), a
 * leading `if (!origin) return callback(null, true)` guard, a test first bound to a local `const`,
 * what it does with others (`callback(null, false)` skips CORS,
 * `callback(new Error(...))` fails the request), or that it reflects every origin
 * (`callback(null, true)` / `callback(null, origin)` with no check). Anything else is dynamic.
 */
import type { Node } from 'web-tree-sitter';
import type { CorsOriginMode } from './types';
import type { OriginPolicy, StaticValue } from '../../../policy/types';
import { type JsEvaluator, spanOf, unwrap, argumentsOf } from '../evaluate';
import { addOriginItems, envDriven } from '../middleware-options';
import { isFunctionNode } from '../options-object';
import { branchesBeyondEcho, echoFallback, type EchoFallback } from '../origin-echo';
import { searchedText } from './searched-text';

export type OriginLists = Pick<
  OriginPolicy,
  'exact' | 'regexes' | 'dynamic' | 'envDriven' | 'iteratedString'
>;

/** What the function does, for the policy and the model. */
export interface OriginFunction extends OriginLists {
  mode: CorsOriginMode;
  /** The function echoes every origin (no check before the allowing call). */
  reflectsAny: boolean;
}

type Outcome = 'allow' | 'skip' | 'error' | 'unknown';

function parameterNames(fn: Node): string[] {
  const single = fn.childForFieldName('parameter');
  if (single) return [single.text];
  const params = fn.childForFieldName('parameters')?.namedChildren ?? [];
  return params.map((p) => (p?.childForFieldName('pattern') ?? p)?.text ?? '');
}

/** The allowlist a condition term tests `origin` against, or undefined when it is no such test. */
function term(
  js: JsEvaluator,
  node: Node,
  origin: string,
  lists: OriginLists,
  locals: Locals,
): 'missing' | 'listed' | 'always' | undefined {
  const n = unwrap(node);
  const text = n.text.replace(/\s+/g, '');
  const some = someTest(n, origin);
  if (some) return (void add(lists, evaluateLocal(js, some, locals)), 'listed');
  const each = eachStringTest(js, n, origin, locals);
  if (each) {
    if (each.dynamic) lists.dynamic = true;
    return (void lists.regexes.push(...each.regexes), 'listed');
  }
  const prefix = stringTest(js, n, origin);
  if (prefix) return (void lists.regexes.push(prefix), 'listed');
  if (
    text === `!${origin}` ||
    text === `${origin}===undefined` ||
    text === `typeof${origin}==='undefined'` ||
    text === `${origin}==null`
  )
    return 'missing';
  if (
    n.type === 'binary_expression' &&
    /^(===|==)$/.test(n.childForFieldName('operator')?.text ?? '')
  ) {
    const [l, r] = [n.childForFieldName('left'), n.childForFieldName('right')];
    const other = l?.text === origin ? r : r?.text === origin ? l : null;
    // The Origin compared with the request's own Origin header: always equal.
    if (other && REQUEST_ORIGIN.test(other.text.replace(/\s+/g, ''))) return 'always';
    const value = other ? js.evaluate(other) : undefined;
    if (value?.kind === 'str')
      return (void lists.exact.push({ value: value.value, span: value.span }), 'listed');
  }
  // `X.indexOf(origin) !== -1` and friends.
  const indexOf = /^(.*)\.indexOf\((\w+)\)(!==-1|!=-1|>=0|>-1)$/.exec(text);
  const call =
    n.type === 'call_expression'
      ? n
      : indexOf && n.type === 'binary_expression'
        ? n.childForFieldName('left')
        : null;
  const fn = call?.childForFieldName('function');
  const method = fn?.childForFieldName('property')?.text;
  const arg = call?.childForFieldName('arguments')?.namedChildren[0];
  const target = fn?.childForFieldName('object');
  if (
    !fn ||
    !target ||
    arg?.text !== origin ||
    !['has', 'includes', 'indexOf', 'test'].includes(method ?? '')
  )
    return undefined;
  const value = evaluateLocal(js, target, locals);
  const bound = unwrap(target).type === 'identifier' ? locals.get(unwrap(target).text) : undefined;
  const searches = method === 'includes' || method === 'indexOf';
  const searched = searches ? searchedText(js, n, bound ?? target, value) : undefined;
  if (searched) {
    lists.exact.push(...searched.exact);
    lists.regexes.push(...searched.regexes);
    lists.dynamic ||= searched.dynamic;
    lists.envDriven ||= searched.iteratedString?.envDriven ?? false;
    lists.iteratedString = searched.iteratedString;
    return 'listed';
  }
  add(lists, value);
  return 'listed';
}

/** The function's own `const`s declared before it decides (`const ok = ...`, `const allowed = [...]`). */
type Locals = Map<string, Node>;

/** A value, reading a name the function declares itself from its declaration. */
function evaluateLocal(js: JsEvaluator, node: Node, locals: Locals): StaticValue {
  const bound = unwrap(node).type === 'identifier' ? locals.get(unwrap(node).text) : undefined;
  return js.evaluate(bound ?? node);
}

/**
 * `list.some((p) => ...)` whose callback only compares each entry with the origin (`p === origin`,
 * `p.test(origin)`, or either chosen by `p instanceof RegExp` / `typeof p === 'string'`): the list,
 * whose strings are exact origins and whose RegExps are patterns, as `cors` reads such a list.
 */
function someTest(n: Node, origin: string): Node | undefined {
  const each = eachEntry(n, ['some']);
  if (!each) return undefined;
  const { list, entry, body } = each;
  const compares =
    body.type === 'statement_block'
      ? blockCompares(statementsOf(body), entry, origin, new Map())
      : entryTest(body, entry, origin);
  return compares ? list : undefined;
}

/**
 * `LIST.some((entry) => body)` (or another of `methods`): the list, the callback's entry name and
 * its body; undefined for any other call.
 */
function eachEntry(
  n: Node,
  methods: string[],
): { list: Node; entry: string; body: Node } | undefined {
  if (n.type !== 'call_expression') return undefined;
  const fn = n.childForFieldName('function');
  const list = fn?.childForFieldName('object');
  if (fn?.type !== 'member_expression' || !list) return undefined;
  if (!methods.includes(fn.childForFieldName('property')?.text ?? '')) return undefined;
  const args = n.childForFieldName('arguments')?.namedChildren.filter((a) => a?.type !== 'comment');
  const callback = args?.length === 1 && args[0] ? unwrap(args[0]) : undefined;
  if (!callback || !isFunctionNode(callback)) return undefined;
  const [entry] = parameterNames(callback);
  const body = callback.childForFieldName('body');
  return entry && body ? { list, entry, body } : undefined;
}

const statementsOf = (block: Node): Node[] =>
  block.type === 'statement_block'
    ? block.namedChildren.filter((s): s is Node => !!s && s.type !== 'comment')
    : [block];

/** `console.log(...)`-style statements: they print and decide nothing. */
function isLogging(statement: Node): boolean {
  if (statement.type !== 'expression_statement') return false;
  const call = unwrap(statement.namedChildren[0] ?? statement);
  const callee = call.type === 'call_expression' ? call.childForFieldName('function') : null;
  return (
    callee?.type === 'member_expression' &&
    /^(console|logger|log)$/.test(callee.childForFieldName('object')?.text ?? '') &&
    /^(log|debug|info|warn|error|trace)$/.test(callee.childForFieldName('property')?.text ?? '')
  );
}

/**
 * Whether a callback body only compares its entry with the origin, written out in statements:
 * `const m = <test>; if (m) console.log(...); return m;`, and a type check that returns the
 * regex test before the string comparison (`if (p instanceof RegExp) { ... return ... }`).
 */
function blockCompares(
  statements: Node[],
  entry: string,
  origin: string,
  bound: Map<string, Node>,
): boolean {
  for (const [i, statement] of statements.entries()) {
    if (isLogging(statement)) continue;
    if (statement.type === 'lexical_declaration' && statement.child(0)?.type === 'const') {
      for (const declarator of statement.namedChildren) {
        const name = declarator?.childForFieldName('name');
        const value = declarator?.childForFieldName('value');
        if (name?.type !== 'identifier' || !value) return false;
        bound.set(name.text, value);
      }
      continue;
    }
    if (statement.type === 'return_statement') {
      const value = statement.namedChildren.find((c) => c && c.type !== 'comment');
      const inner = value && unwrap(value);
      const test = inner?.type === 'identifier' ? bound.get(inner.text) : inner;
      return !!test && entryTest(test, entry, origin);
    }
    if (statement.type !== 'if_statement' || statement.childForFieldName('alternative'))
      return false;
    const condition = unwrap(statement.childForFieldName('condition') ?? statement);
    const then = statementsOf(statement.childForFieldName('consequence') ?? statement);
    // `if (matches) console.log(...)`: logging the outcome.
    if (then.every(isLogging)) continue;
    // `if (p instanceof RegExp) { ...; return p.test(origin); }`, then the rest for strings.
    if (!typeCheck(condition.text, entry)) return false;
    if (!blockCompares(then, entry, origin, new Map(bound))) return false;
    return blockCompares(statements.slice(i + 1), entry, origin, bound);
  }
  return false;
}

/** `p instanceof RegExp` / `typeof p === 'string'`: the test picks how the entry is compared. */
const typeCheck = (condition: string, entry: string): boolean =>
  [
    `${entry}instanceofRegExp`,
    ...['===', '==', '!==', '!='].map((op) => `typeof${entry}${op}'string'`),
  ].includes(condition.replace(/\s+/g, '').replace(/"/g, "'"));

/** Whether an expression only compares one list entry with the origin. */
function entryTest(node: Node, entry: string, origin: string): boolean {
  const n = unwrap(node);
  const text = n.text.replace(/\s+/g, '');
  if ([`${entry}===${origin}`, `${origin}===${entry}`, `${entry}.test(${origin})`].includes(text))
    return true;
  if (n.type === 'ternary_expression') {
    const condition = n.childForFieldName('condition')?.text ?? '';
    const [a, b] = [n.childForFieldName('consequence'), n.childForFieldName('alternative')];
    return (
      typeCheck(condition, entry) &&
      !!a &&
      !!b &&
      entryTest(a, entry, origin) &&
      entryTest(b, entry, origin)
    );
  }
  if (n.type === 'binary_expression' && n.childForFieldName('operator')?.text === '||') {
    const [l, r] = [n.childForFieldName('left'), n.childForFieldName('right')];
    return !!l && !!r && entryTest(l, entry, origin) && entryTest(r, entry, origin);
  }
  return false;
}

/** The request's own Origin header, as Express and Node read it. */
const REQUEST_ORIGIN =
  /^\w+\.(?:headers(?:\.origin|\[(['"`])origin\1\])|(?:get|header)\((['"`])origin\2\))$/i;

const escapeRegex = (value: string) => value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * `origin.startsWith('https://app.example.com')`, `.endsWith(...)`, `.includes(...)`: the same
 * test as a regex (`^https://app\.example\.com`, `...$`, unanchored), so the regex checks find
 * the origin an attacker registers to pass it; `test` keeps the code as written for the message.
 */
function stringTest(
  js: JsEvaluator,
  n: Node,
  origin: string,
): OriginLists['regexes'][number] | undefined {
  if (n.type !== 'call_expression') return undefined;
  const fn = n.childForFieldName('function');
  const method = fn?.childForFieldName('property')?.text;
  if (fn?.type !== 'member_expression' || fn.childForFieldName('object')?.text !== origin)
    return undefined;
  const args = n.childForFieldName('arguments')?.namedChildren.filter((a) => a?.type !== 'comment');
  const value = args?.length === 1 && args[0] ? js.evaluate(args[0]) : undefined;
  if (value?.kind !== 'str' || !value.value) return undefined;
  const literal = escapeRegex(value.value);
  const pattern =
    method === 'startsWith'
      ? `^${literal}`
      : method === 'endsWith'
        ? `${literal}$`
        : method === 'includes'
          ? literal
          : undefined;
  if (pattern === undefined) return undefined;
  return { pattern, flavor: 'js', span: spanOf(js.file, n), test: n.text };
}

/** The method a string test names and the regex it stands for (`^…`, `…$`, unanchored). */
const STRING_TEST: Record<string, ((literal: string) => string) | undefined> = {
  startsWith: (literal) => `^${literal}`,
  endsWith: (literal) => `${literal}$`,
  includes: (literal) => literal,
};

/**
 * `LIST.find((d) => origin.includes(d))` (or `.some`, with `startsWith`/`endsWith`): each
 * string of the list as the regex its test stands for (OmarLand's `["localhost", "vercel"]`,
 * held-out batch 55: any host containing "vercel" passed, with credentials). `dynamic`: the list
 * has items not known statically.
 */
function eachStringTest(
  js: JsEvaluator,
  n: Node,
  origin: string,
  locals: Locals,
): { regexes: OriginLists['regexes']; dynamic: boolean } | undefined {
  const each = eachEntry(n, ['some', 'find']);
  if (!each) return undefined;
  const { entry } = each;
  let body: Node | null = each.body;
  if (body.type === 'statement_block') {
    const [only, ...rest] = statementsOf(body);
    body = !rest.length && only?.type === 'return_statement' ? only.namedChildren[0] : null;
  }
  const test = body && unwrap(body);
  const tested = test?.type === 'call_expression' ? test.childForFieldName('function') : null;
  const pattern = STRING_TEST[tested?.childForFieldName('property')?.text ?? ''];
  const [arg, ...more] =
    test?.childForFieldName('arguments')?.namedChildren.filter((a) => a?.type !== 'comment') ?? [];
  if (
    !test ||
    !pattern ||
    tested?.type !== 'member_expression' ||
    tested.childForFieldName('object')?.text !== origin ||
    arg?.text !== entry ||
    more.length
  )
    return undefined;
  const list = evaluateLocal(js, each.list, locals);
  const items = list.kind === 'list' ? list.items : [];
  const strings = items.filter((i) => i.kind === 'str' && i.value);
  return {
    regexes: strings.map((i) => ({
      pattern: pattern(escapeRegex(i.kind === 'str' ? i.value : '')),
      flavor: 'js' as const,
      span: i.span,
      test: test.text,
    })),
    dynamic: list.kind !== 'list' || strings.length !== items.length || envDriven(list),
  };
}

/** Adds a known list (or one RegExp) to the allowlist; anything unknown makes it dynamic. */
function add(lists: OriginLists, value: StaticValue): void {
  if (envDriven(value)) lists.envDriven = true;
  addOriginItems(lists, value.kind === 'list' ? value.items : [value]);
}

/** A condition that is a disjunction of allowlist tests: whether it also lets a missing Origin in. */
function allowTest(
  js: JsEvaluator,
  node: Node,
  origin: string,
  lists: OriginLists,
  locals: Locals,
): { allowMissing: boolean; always?: boolean } | undefined {
  const n = unwrap(node);
  // `const ok = <test>; ... if (ok)`: the test as written where it is bound.
  const bound = n.type === 'identifier' ? locals.get(n.text) : undefined;
  if (bound)
    return allowTest(js, bound, origin, lists, new Map([...locals].filter(([k]) => k !== n.text)));
  if (n.type === 'binary_expression' && n.childForFieldName('operator')?.text === '||') {
    const left = allowTest(js, n.childForFieldName('left')!, origin, lists, locals);
    const right = allowTest(js, n.childForFieldName('right')!, origin, lists, locals);
    // One side always true: so is the whole test, whatever the other side is.
    if (left?.always || right?.always) return { allowMissing: true, always: true };
    return left && right ? { allowMissing: left.allowMissing || right.allowMissing } : undefined;
  }
  const kind = term(js, n, origin, lists, locals);
  if (kind === 'always') return { allowMissing: true, always: true };
  return kind ? { allowMissing: kind === 'missing' } : undefined;
}

/** What one `callback(...)` call does. */
function outcomeOf(call: Node, origin: string): Outcome {
  const args = argumentsOf(call);
  const first = args[0] ? unwrap(args[0]).type : 'undefined';
  if (first !== 'null' && first !== 'undefined') return 'error';
  const second = args[1] ? unwrap(args[1]) : undefined;
  if (!second || ['false', 'null', 'undefined'].includes(second.type)) return 'skip';
  // `[origin]`: cors tests the request's Origin against that one-entry list, which it passes.
  const items =
    second.type === 'array' ? second.namedChildren.filter((c) => c?.type !== 'comment') : [];
  const value = items.length === 1 && items[0] ? unwrap(items[0]) : second;
  if (value.type === 'true' || echoes(value, origin)) return 'allow';
  return 'unknown';
}

/**
 * What a request without an Origin gets when the callback echoes the Origin: `origin`, `origin
 * || ''` and `origin ?? false` hand a falsy value on (cors then adds nothing); `origin || '*'`
 * hands `'*'` on (cors sends `*`). Undefined: not an echo.
 */
const echoOf = (value: Node, origin: string): EchoFallback | undefined =>
  echoFallback(value, (n) => n.text === origin);

/** The request's Origin, with or without a fallback for requests that send none. */
const echoes = (value: Node, origin: string): boolean => !!echoOf(value, origin);

/**
 * What every `callback(...)` under `node` hands a request without an Origin, when each passes the
 * request's Origin itself (no `true`): nothing (`none`), or `'*'` (`any`). Undefined otherwise.
 */
function echoesOnly(node: Node, cb: string, origin: string): EchoFallback | undefined {
  const fallbacks = new Set<EchoFallback | undefined>();
  for (const c of node.descendantsOfType('call_expression')) {
    if (!c || c.childForFieldName('function')?.text !== cb) continue;
    const second = c
      .childForFieldName('arguments')
      ?.namedChildren.filter((a) => a && a.type !== 'comment')[1];
    fallbacks.add(second ? echoOf(unwrap(second), origin) : undefined);
  }
  const [only] = fallbacks;
  return fallbacks.size === 1 ? only : undefined;
}

/**
 * The mode of a function that allows every Origin: `callback(null, true)` lets a request without
 * one in too; an echo hands it nothing, or `'*'` (sent as `*`).
 */
function echoMode(fallback: EchoFallback | undefined): CorsOriginMode {
  if (fallback === 'any')
    return { kind: 'match', reject: 'skip', allowMissing: true, missingAny: true };
  return { kind: 'match', reject: 'skip', allowMissing: fallback !== 'none' };
}

/** The outcomes of every `callback(...)` call under `node`. */
function outcomes(node: Node | null, cb: string, origin: string): Outcome[] {
  if (!node) return [];
  return node
    .descendantsOfType('call_expression')
    .flatMap((c) =>
      c && c.childForFieldName('function')?.text === cb ? [outcomeOf(c, origin)] : [],
    );
}

const only = (list: Outcome[], kind: Outcome) => list.length > 0 && list.every((o) => o === kind);
const rejection = (list: Outcome[]): 'skip' | 'error' | undefined =>
  only(list, 'skip') ? 'skip' : only(list, 'error') ? 'error' : undefined;

/** The branch a function decides on: an `if`, or a ternary written as a statement or arrow body. */
function decision(statement: Node | undefined): Node | undefined {
  if (!statement) return undefined;
  if (statement.type === 'if_statement') return statement;
  const inner = unwrap(
    statement.type === 'expression_statement' || statement.type === 'return_statement'
      ? (statement.namedChildren.find((c) => c && c.type !== 'comment') ?? statement)
      : statement,
  );
  return inner.type === 'ternary_expression' ? inner : undefined;
}

/**
 * The conditions of the `if`s after `statements[start]` that, like it, only allow and return
 * (no `else`, no `!` test), up to the first statement that is none: an allowlist written as
 * several early returns (testing.deploy's exact list, then `origin.endsWith('.vercel.app')`,
 * held-out batch 56). Empty unless the first one is such an `if` too.
 */
function allowChain(statements: Node[], start: number, cb: string, origin: string): Node[] {
  const allowsAndReturns = (s: Node | undefined): Node | undefined => {
    if (s?.type !== 'if_statement' || s.childForFieldName('alternative')) return undefined;
    const condition = s.childForFieldName('condition');
    const consequence = s.childForFieldName('consequence');
    const inner = condition && unwrap(condition);
    if (!inner || (inner.type === 'unary_expression' && inner.text.startsWith('!')))
      return undefined;
    return only(outcomes(consequence, cb, origin), 'allow') && endsInReturn(consequence)
      ? condition
      : undefined;
  };
  if (!allowsAndReturns(statements[start])) return [];
  const chained: Node[] = [];
  for (let i = start + 1; i < statements.length; i++) {
    const condition = allowsAndReturns(statements[i]);
    if (!condition) break;
    chained.push(condition);
  }
  return chained;
}

/** What a function that allows every Origin (and a missing one) reads as. */
const reflecting: OriginFunction = {
  exact: [],
  regexes: [],
  dynamic: false,
  envDriven: false,
  mode: { kind: 'match', reject: 'skip', allowMissing: true },
  reflectsAny: true,
};

/** Whether a branch ends by returning (`{ cb(null, true); return }`, `return cb(...)`). */
function endsInReturn(node: Node | null): boolean {
  if (!node) return false;
  const last =
    node.type === 'statement_block'
      ? node.namedChildren.filter((c) => c && c.type !== 'comment').pop()
      : node;
  return last?.type === 'return_statement';
}

/** Reads an origin function; undefined fields mean "dynamic" (see {@link OriginFunction}). */
export function readOriginFunction(js: JsEvaluator, fn: Node): OriginFunction {
  const lists: OriginLists = { exact: [], regexes: [], dynamic: false, envDriven: false };
  const dynamic: OriginFunction = {
    ...lists,
    dynamic: true,
    mode: { kind: 'match', reject: 'skip', allowMissing: false },
    reflectsAny: false,
  };
  const [origin, cb] = parameterNames(fn);
  const body = fn.childForFieldName('body');
  if (!origin || !cb || !body || fn.hasError) return dynamic;
  const all = outcomes(body, cb, origin);
  // `origin || ''` decides only what a missing Origin gets: no branch.
  const branching = branchesBeyondEcho(body, (n) => n.text === origin);
  // `cb(null, origin)` hands a missing Origin `undefined` (falsy: cors adds nothing), where
  // `cb(null, true)` allows it.
  if (!branching && only(all, 'allow'))
    return {
      ...lists,
      mode: echoMode(echoesOnly(body, cb, origin)),
      reflectsAny: true,
    };

  // One `if` (or `cond ? cb(null, true) : cb(err)`) at the top of the body: allow on the test,
  // reject otherwise (or the reverse with `!`). Before it may come the function's own `const`s and
  // guards that let a missing Origin in (`if (!origin) return cb(null, true);`).
  const statements =
    body.type === 'statement_block'
      ? body.namedChildren.filter((s): s is Node => !!s && s.type !== 'comment')
      : [body];
  const locals: Locals = new Map();
  let start = 0;
  let guarded = false;
  for (; start < statements.length; start++) {
    const statement = statements[start];
    if (isLogging(statement) || declares(statement, body, cb, locals)) continue;
    if (!missingGuard(js, statement, origin, cb)) break;
    guarded = true;
  }
  // A switch the environment decides (`if (!strict) { cb(null, [origin]); return }` with the
  // variable unset): the branch the current environment takes.
  for (; start < statements.length; start++) {
    const statement = statements[start];
    const condition = statement.type === 'if_statement' && statement.childForFieldName('condition');
    if (!condition || new RegExp(`\\b${origin}\\b`).test(condition.text)) break;
    const truth = js.evaluate(condition);
    if (truth.kind !== 'bool') break;
    const consequence = statement.childForFieldName('consequence');
    if (truth.value) {
      if (only(outcomes(consequence, cb, origin), 'allow') && endsInReturn(consequence))
        return reflecting;
      break;
    }
    // Not taken, and no `else`: the statement does nothing here.
    if (statement.childForFieldName('alternative')) break;
  }
  const first = decision(statements[start]);
  if (!first) return { ...dynamic, exact: [], regexes: [] };
  const condition = first.childForFieldName('condition');
  const consequence = outcomes(first.childForFieldName('consequence'), cb, origin);
  const alternative = first.childForFieldName('alternative');
  // `if (a) { cb(null, true); return } if (b) { ... }`: one test, `a || b`, before what follows.
  const chained = allowChain(statements, start, cb, origin);
  const rest = [
    ...outcomes(alternative, cb, origin),
    ...statements.slice(start + 1 + chained.length).flatMap((s) => outcomes(s, cb, origin)),
  ];
  if (!condition) return dynamic;
  if (chained.length) {
    const reject = rejection(rest);
    const reads = [condition, ...chained].map((c) => allowTest(js, c, origin, lists, locals));
    if (reads.some((r) => r?.always)) return reflecting;
    if (!reject || reads.some((r) => !r)) return dynamic;
    return {
      ...lists,
      mode: { kind: 'match', reject, allowMissing: reads.some((r) => r?.allowMissing) || guarded },
      reflectsAny: false,
    };
  }
  const inner = unwrap(condition);
  const negated =
    inner.type === 'unary_expression' &&
    inner.childForFieldName('operator')?.text === '!' &&
    inner.text.replace(/\s+/g, '') !== `!${origin}`;
  const test = negated ? inner.childForFieldName('argument')! : inner;
  const allow = negated ? rest : consequence;
  const reject = rejection(negated ? consequence : rest);
  const read = allowTest(js, test, origin, lists, locals);
  if (read?.always && !negated && only(allow, 'allow')) return reflecting;
  if (!read || !only(allow, 'allow') || !reject) return dynamic;
  return {
    ...lists,
    mode: { kind: 'match', reject, allowMissing: read.allowMissing || guarded },
    reflectsAny: false,
  };
}

/**
 * A declaration that decides nothing itself (no callback call): its names are recorded. A `let`
 * written again later in the function is left out, so its first value is never taken for what runs.
 */
function declares(statement: Node, body: Node, cb: string, locals: Locals): boolean {
  if (statement.type !== 'lexical_declaration' && statement.type !== 'variable_declaration')
    return false;
  if (outcomes(statement, cb, '').length) return false;
  const constant = statement.child(0)?.type === 'const';
  for (const declarator of statement.namedChildren) {
    const name = declarator?.childForFieldName('name');
    const value = declarator?.childForFieldName('value');
    if (name?.type !== 'identifier' || !value) continue;
    const writes = body.text.match(
      new RegExp(`(?:^|[^.\\w$])${name.text.replace(/\$/g, '\\$')}\\s*[-+*/|&?]{0,3}=(?!=|>)`, 'g'),
    );
    if (constant || (writes?.length ?? 0) <= 1) locals.set(name.text, value);
  }
  return true;
}

/** `if (!origin) return callback(null, true);`: a missing Origin is let in, and the function ends. */
function missingGuard(js: JsEvaluator, statement: Node, origin: string, cb: string): boolean {
  if (statement.type !== 'if_statement' || statement.childForFieldName('alternative')) return false;
  const condition = statement.childForFieldName('condition');
  const consequence = statement.childForFieldName('consequence');
  if (!condition || !consequence) return false;
  const lists: OriginLists = { exact: [], regexes: [], dynamic: false, envDriven: false };
  if (term(js, condition, origin, lists, new Map()) !== 'missing') return false;
  const returns =
    consequence.type === 'return_statement' ||
    consequence.namedChildren.some((c) => c?.type === 'return_statement');
  return returns && only(outcomes(consequence, cb, origin), 'allow');
}

export { spanOf };
