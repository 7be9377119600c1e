/**
 * Reads an `origin(origin, callback)` function of `cors` options: the allowlist it checks
 * (`allowed.has(origin)`, `.includes`, `.indexOf(...) !== -1`, `re.test(origin)`,
 * `origin === '...'`), what it does with others (`callback(null, false)` skips CORS,
 * `callback(new Error(...))` fails the request), or that it reflects every origin
 * (`callback(null, true)` / `callback(null, origin)` with no check). Anything else is dynamic.
 */
import type { Node } from 'web-tree-sitter';
import type { CorsOriginMode } from './types';
import type { OriginPolicy, StaticValue } from '../../../policy/types';
import { type JsEvaluator, spanOf, unwrap } from '../evaluate';
import { addOriginItems, envDriven } from '../middleware-options';
import { bodyBranches } from '../options-object';

export type OriginLists = Pick<OriginPolicy, 'exact' | 'regexes' | 'dynamic' | 'envDriven'>;

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
): 'missing' | 'listed' | 'always' | undefined {
  const n = unwrap(node);
  const text = n.text.replace(/\s+/g, '');
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
  add(lists, js.evaluate(target));
  return 'listed';
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
): { allowMissing: boolean; always?: boolean } | undefined {
  const n = unwrap(node);
  if (n.type === 'binary_expression' && n.childForFieldName('operator')?.text === '||') {
    const left = allowTest(js, n.childForFieldName('left')!, origin, lists);
    const right = allowTest(js, n.childForFieldName('right')!, origin, lists);
    // One side always true: so is the whole test, whatever the other side is.
    if (left?.always || right?.always) return { allowMissing: true, always: true };
    return left && right ? { allowMissing: left.allowMissing || right.allowMissing } : undefined;
  }
  const kind = term(js, n, origin, lists);
  if (kind === 'always') return { allowMissing: true, always: true };
  return kind ? { allowMissing: kind === 'missing' } : undefined;
}

/** What one `callback(...)` call does. */
function outcomeOf(call: Node, origin: string): Outcome {
  const args = (call.childForFieldName('arguments')?.namedChildren ?? []).filter(
    (a): a is Node => !!a && a.type !== 'comment',
  );
  const first = args[0] ? unwrap(args[0]).type : 'undefined';
  if (first !== 'null' && first !== 'undefined') return 'error';
  const second = args[1] ? unwrap(args[1]) : undefined;
  if (!second || ['false', 'null', 'undefined'].includes(second.type)) return 'skip';
  if (second.type === 'true' || second.text === origin) return 'allow';
  return 'unknown';
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
  const branching = bodyBranches(body);
  if (!branching && only(all, 'allow'))
    return {
      ...lists,
      mode: { kind: 'match', reject: 'skip', allowMissing: true },
      reflectsAny: true,
    };

  // One `if` (or `cond ? cb(null, true) : cb(err)`) at the top of the body: allow on the test,
  // reject otherwise (or the reverse with `!`).
  const statements =
    body.type === 'statement_block'
      ? body.namedChildren.filter((s): s is Node => !!s && s.type !== 'comment')
      : [body];
  const first = decision(statements[0]);
  if (!first) return { ...dynamic, exact: [], regexes: [] };
  const condition = first.childForFieldName('condition');
  const consequence = outcomes(first.childForFieldName('consequence'), cb, origin);
  const alternative = first.childForFieldName('alternative');
  const rest = [
    ...outcomes(alternative, cb, origin),
    ...statements.slice(1).flatMap((s) => outcomes(s, cb, origin)),
  ];
  if (!condition) return dynamic;
  const inner = unwrap(condition);
  const negated =
    inner.type === 'unary_expression' &&
    inner.childForFieldName('operator')?.text === '!' &&
    inner.text.replace(/\s+/g, '') !== `!${origin}`;
  const test = negated ? inner.childForFieldName('argument')! : inner;
  const allow = negated ? rest : consequence;
  const reject = rejection(negated ? consequence : rest);
  const read = allowTest(js, test, origin, lists);
  if (read?.always && !negated && only(allow, 'allow'))
    return {
      exact: [],
      regexes: [],
      dynamic: false,
      envDriven: false,
      mode: { kind: 'match', reject: 'skip', allowMissing: true },
      reflectsAny: true,
    };
  if (!read || !only(allow, 'allow') || !reject) return dynamic;
  return {
    ...lists,
    mode: { kind: 'match', reject, allowMissing: read.allowMissing },
    reflectsAny: false,
  };
}

export { spanOf };
