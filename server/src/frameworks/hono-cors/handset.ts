/**
 * Hand-written Hono CORS middleware: a `(c, next)` function whose body writes `Access-Control-*`
 * headers with `c.header(name, value)`, read into steps (writes, `if`s and ternaries on the method
 * or the Origin, the answers it returns, `next()`) that the model replays, and summed up into the
 * neutral policy's fields by the hand-set readers' shared summary.
 */
import { guardedWrites, type GuardWalk } from '../../lang/guarded-writes';
import { nested } from '../../lang/nesting';
import type { Node } from 'web-tree-sitter';
import { type JsEvaluator, spanOf, unwrap, argumentsOf } from '../../lang/javascript/evaluate';
import { corsWritingFunctions } from '../../lang/javascript/cors-writers';
import { parameterNames } from '../../lang/javascript/options-object';
import {
  handsetLabel,
  type HandsetSummary,
  originGuards,
  summarize,
} from '../../lang/handset-policy';
import type { Span } from '../../policy/types';
import type { HonoCondition, HonoEnd, HonoStep, HonoValue, HonoWrite } from './facts';

/** What one middleware sets: its steps and what they add up to. */
export interface HonoHandset {
  fn: Node;
  steps: HonoStep[];
  summary: HandsetSummary;
  preflightAt?: Span;
}

/** The statements of a block, or the one statement. */
const statementsOf = (node: Node | null | undefined): Node[] =>
  !node
    ? []
    : node.type === 'statement_block'
      ? node.namedChildren.filter((s): s is Node => !!s && s.type !== 'comment')
      : [node];

/** Reads one middleware function; `c` is its context parameter. */
class Reader {
  constructor(
    private readonly js: JsEvaluator,
    private readonly c: string,
    private readonly next: string | undefined,
    private readonly text: string,
  ) {}

  private span(node: Node): Span {
    return spanOf(this.js.file, node);
  }

  /** `c.req.header('origin')` (any case), directly or through a name bound to it. */
  isOriginRead(node: Node): boolean {
    const own = new RegExp(`^${this.c}\\.req\\.header\\((['"\`])origin\\1\\)$`, 'i');
    const inner = unwrap(node);
    if (own.test(inner.text.replace(/\s+/g, ''))) return true;
    if (inner.type !== 'identifier') return false;
    const bound = this.js.resolveNode(inner);
    return bound.id !== inner.id && own.test(bound.text.replace(/\s+/g, ''));
  }

  /** A value: a literal, the Origin (with a `??`/`||` literal fallback), `undefined`, or unknown. */
  value(node: Node): HonoValue {
    const inner = unwrap(node);
    if (this.isOriginRead(inner)) return { kind: 'origin' };
    const operator = inner.childForFieldName('operator')?.text ?? '';
    const left = inner.childForFieldName('left');
    const right = inner.childForFieldName('right');
    if (inner.type === 'binary_expression' && /^(\?\?|\|\|)$/.test(operator) && left && right) {
      const fallback = this.js.evaluate(right);
      if (this.isOriginRead(left) && fallback.kind === 'str')
        return {
          kind: 'origin',
          fallback: { value: fallback.value, whenEmpty: operator === '||' },
        };
    }
    const literal = this.js.evaluate(inner);
    if (literal.kind === 'str') return { kind: 'literal', value: literal.value };
    if (literal.kind === 'int' || literal.kind === 'bool')
      return { kind: 'literal', value: String(literal.value) };
    if (literal.kind === 'none' && inner.type === 'undefined') return { kind: 'undefined' };
    return { kind: 'dynamic' };
  }

  /** A test on the method or the Origin. */
  condition(node: Node): HonoCondition {
    const inner = unwrap(node);
    if (inner.type === 'unary_expression' && inner.childForFieldName('operator')?.text === '!') {
      const operand = inner.childForFieldName('argument');
      return operand ? { kind: 'not', inner: this.condition(operand) } : { kind: 'unknown' };
    }
    if (this.isOriginRead(inner)) return { kind: 'origin-present' };
    const operator = inner.childForFieldName('operator')?.text ?? '';
    const left = inner.childForFieldName('left');
    const right = inner.childForFieldName('right');
    if (inner.type === 'binary_expression' && left && right) {
      if (operator === '&&' || operator === '||')
        return {
          kind: operator === '&&' ? 'and' : 'or',
          parts: [this.condition(left), this.condition(right)],
        };
      const equal = /^===?$/.test(operator);
      if (equal || /^!==?$/.test(operator)) {
        const test = this.comparison(left, right) ?? this.comparison(right, left);
        if (test) return equal ? test : { kind: 'not', inner: test };
      }
    }
    if (inner.type === 'call_expression') {
      const fn = inner.childForFieldName('function');
      const method = fn?.childForFieldName('property')?.text;
      const [arg] = argumentsOf(inner);
      const list = fn?.childForFieldName('object');
      if (
        (method === 'includes' || method === 'has') &&
        arg &&
        list &&
        this.value(arg).kind === 'origin'
      )
        return this.allowlist(list);
    }
    return { kind: 'unknown', origin: this.readsOrigin(inner) };
  }

  /** `c.req.method === 'OPTIONS'`, `origin === 'https://...'`. */
  private comparison(read: Node, other: Node): HonoCondition | undefined {
    const value = this.js.evaluate(other);
    if (value.kind !== 'str') return undefined;
    if (read.text.replace(/\s+/g, '') === `${this.c}.req.method`)
      return { kind: 'method', methods: [value.value] };
    if (this.isOriginRead(read))
      return { kind: 'origin-in', values: [value.value], spans: [value.span] };
    return undefined;
  }

  /** The origins of `LIST.includes(origin)` / `new Set([...]).has(origin)`. */
  private allowlist(list: Node): HonoCondition {
    let bound = this.js.resolveNode(list);
    if (bound.type === 'new_expression') {
      const [first] = argumentsOf(bound);
      if (first) bound = this.js.resolveNode(first);
    }
    const value = this.js.evaluate(bound);
    const items = value.kind === 'list' ? value.items : [];
    if (value.kind !== 'list' || items.some((i) => i.kind !== 'str' || i.envDriven))
      return { kind: 'unknown', origin: true };
    return {
      kind: 'origin-in',
      values: items.map((i) => (i.kind === 'str' ? i.value : '')),
      spans: items.map((i) => i.span),
      list: bound.type === 'array' ? this.span(bound) : undefined,
    };
  }

  /** Whether an expression reads the Origin anywhere in it. */
  private readsOrigin(node: Node): boolean {
    if (this.isOriginRead(node)) return true;
    return node.namedChildren.some((child) => !!child && this.readsOrigin(child));
  }

  /** `c.header(name, value[, { append: true }])`; a `cond ? a : b` value is an `if`. */
  private write(call: Node, statement: Node | undefined): HonoStep | undefined {
    const [nameNode, valueNode, options] = argumentsOf(call);
    const name = nameNode && this.js.evaluate(nameNode);
    if (name?.kind !== 'str' || !valueNode) return undefined;
    const lineStart = this.text.lastIndexOf('\n', call.startIndex - 1) + 1;
    const append = !!options && /\bappend\s*:\s*true\b/.test(options.text);
    const one = (value: Node): HonoWrite => ({
      kind: 'header',
      name: name.value,
      value: this.value(value),
      append,
      span: this.span(call),
      valueSpan: this.span(value),
      statement: statement && this.span(statement),
      indent: /^[ \t]*/.exec(this.text.slice(lineStart))?.[0] ?? '',
      receiver: this.c,
    });
    const inner = unwrap(valueNode);
    const test = inner.childForFieldName('condition');
    const consequence = inner.childForFieldName('consequence');
    const alternative = inner.childForFieldName('alternative');
    if (inner.type === 'ternary_expression' && test && consequence && alternative)
      return {
        kind: 'if',
        test: this.condition(test),
        then: [one(consequence)],
        otherwise: [one(alternative)],
        span: this.span(call),
      };
    return one(valueNode);
  }

  /** The headers of an init object (`{ status, headers: {...} }`) or a headers object. */
  private headersOf(node: Node | undefined): HonoEnd['headers'] {
    const object = node && this.js.resolveNode(node);
    if (object?.type !== 'object') return [];
    return object.namedChildren.flatMap((pair) => {
      const key = pair?.type === 'pair' ? pair.childForFieldName('key') : undefined;
      const value = pair?.childForFieldName('value');
      const name = key && (key.type === 'property_identifier' ? key.text : this.js.evaluate(key));
      const text = typeof name === 'string' ? name : name?.kind === 'str' ? name.value : undefined;
      return text && value ? [{ name: text, value: this.value(value) }] : [];
    });
  }

  /** A returned answer: `c.body(null, 204)`, `c.json(...)`, `new Response(null, init)`. */
  private end(node: Node): HonoEnd | undefined {
    const span = this.span(node);
    const init = (arg: Node | undefined) => {
      const resolved = arg && this.js.resolveNode(arg);
      if (resolved?.type !== 'object') {
        const status = resolved ? this.js.evaluate(resolved) : undefined;
        return { status: status?.kind === 'int' ? status.value : undefined, headers: [] };
      }
      const entry = (key: string) =>
        resolved.namedChildren.find(
          (p) => p?.type === 'pair' && p.childForFieldName('key')?.text === key,
        );
      const status = entry('status')?.childForFieldName('value');
      const value = status ? this.js.evaluate(status) : undefined;
      return {
        status: value?.kind === 'int' ? value.value : undefined,
        headers: this.headersOf(entry('headers')?.childForFieldName('value') ?? undefined),
      };
    };
    if (node.type === 'new_expression') {
      if (node.childForFieldName('constructor')?.text !== 'Response') return undefined;
      const { status, headers } = init(argumentsOf(node)[1]);
      return { kind: 'end', status: status ?? 200, raw: true, headers, span };
    }
    const fn = node.type === 'call_expression' ? node.childForFieldName('function') : null;
    const method = fn?.childForFieldName('property')?.text ?? '';
    if (fn?.childForFieldName('object')?.text !== this.c) return undefined;
    if (!/^(body|text|json|html|newResponse)$/.test(method)) return undefined;
    const [, arg, extra] = argumentsOf(node);
    const { status, headers } = init(arg);
    return {
      kind: 'end',
      status,
      raw: false,
      headers: [...headers, ...this.headersOf(extra)],
      span,
    };
  }

  private isNext(node: Node): boolean {
    const fn = node.type === 'call_expression' ? node.childForFieldName('function') : null;
    return !!this.next && fn?.text === this.next && argumentsOf(node).length === 0;
  }

  /** What `return expression` does. */
  private returned(node: Node): HonoStep[] {
    const inner = unwrap(node.type === 'await_expression' ? node.namedChildren[0]! : node);
    if (inner.type === 'await_expression') return this.returned(inner);
    if (this.isNext(inner)) return [{ kind: 'next', ends: true, span: this.span(inner) }];
    const test = inner.childForFieldName('condition');
    const consequence = inner.childForFieldName('consequence');
    const alternative = inner.childForFieldName('alternative');
    if (inner.type === 'ternary_expression' && test && consequence && alternative)
      return [
        {
          kind: 'if',
          test: this.condition(test),
          then: this.returned(consequence),
          otherwise: this.returned(alternative),
          span: this.span(inner),
        },
      ];
    const end = this.end(inner);
    // Another answer (a helper's Response): the prepared headers are assumed to go with it.
    return [end ?? { kind: 'end', raw: false, headers: [], span: this.span(inner) }];
  }

  /**
   * The steps of some statements, in order; past the shared nesting cap none (a middleware
   * nested that deep is generated, not real: a fuzzed one 2,750 `if`s deep took minutes outside
   * the budget, each test's names resolved up the whole tree).
   */
  steps(statements: Node[]): HonoStep[] {
    return statements.flatMap((statement) =>
      nested(
        () => this.statementSteps(statement),
        (): HonoStep[] => [],
      ),
    );
  }

  private statementSteps(statement: Node): HonoStep[] {
    if (statement.type === 'statement_block') return this.steps(statementsOf(statement));
    if (statement.type === 'if_statement') {
      const condition = statement.childForFieldName('condition');
      const otherwise = statement.childForFieldName('alternative');
      return [
        {
          kind: 'if',
          test: condition ? this.condition(condition) : { kind: 'unknown' },
          then: this.steps(statementsOf(statement.childForFieldName('consequence'))),
          otherwise: this.steps(
            otherwise ? otherwise.namedChildren.filter((s): s is Node => !!s) : [],
          ),
          span: this.span(statement),
        },
      ];
    }
    if (statement.type === 'return_statement') {
      const value = statement.namedChildren.find((n) => n && n.type !== 'comment');
      // `return;` without an answer or `next()`: Hono fails with "Context is not finalized".
      return value
        ? this.returned(value)
        : [{ kind: 'end', status: 500, raw: false, headers: [], span: this.span(statement) }];
    }
    if (statement.type !== 'expression_statement') return [];
    let expression = statement.namedChildren[0] && unwrap(statement.namedChildren[0]);
    if (expression?.type === 'await_expression')
      expression = expression.namedChildren[0] && unwrap(expression.namedChildren[0]);
    if (expression?.type !== 'call_expression') return [];
    if (this.isNext(expression))
      return [{ kind: 'next', ends: false, span: this.span(expression) }];
    const fn = expression.childForFieldName('function');
    if (fn?.childForFieldName('object')?.text !== this.c) return [];
    const method = fn.childForFieldName('property')?.text;
    if (method === 'header') {
      const write = this.write(expression, statement);
      return write ? [write] : [];
    }
    const status = method === 'status' ? this.js.evaluate(argumentsOf(expression)[0]!) : undefined;
    return status?.kind === 'int' ? [{ kind: 'status', status: status.value }] : [];
  }
}

/** Whether running `steps` always ends the middleware (an answer, `return next()`). */
const stops = (steps: HonoStep[]): boolean =>
  steps.some(
    (s) =>
      s.kind === 'end' ||
      (s.kind === 'next' && s.ends) ||
      (s.kind === 'if' && stops(s.then) && stops(s.otherwise)),
  );

/** `!condition` pushed inward (`!(a || b)` is `!a && !b`), so the parts of an `and` can guard. */
function negate(condition: HonoCondition): HonoCondition {
  if (condition.kind === 'not') return condition.inner;
  if (condition.kind === 'and' || condition.kind === 'or')
    return { kind: condition.kind === 'and' ? 'or' : 'and', parts: condition.parts.map(negate) };
  return { kind: 'not', inner: condition };
}

interface Guarded {
  header: HonoWrite;
  conditions: HonoCondition[];
}

/** How the shared walk reads a middleware's steps. */
const walk: GuardWalk<HonoStep, HonoWrite, HonoCondition> = {
  write: (step) => (step.kind === 'header' ? step : undefined),
  branch: (step) => (step.kind === 'if' ? step : undefined),
  stops,
  negate,
};

/** Every header a middleware writes with the tests around it (see `guardedWrites`). */
export const guarded = (steps: HonoStep[], conditions: HonoCondition[] = []): Guarded[] =>
  guardedWrites(walk, steps, conditions).map(({ write, conditions: tests }) => ({
    header: write,
    conditions: tests,
  }));

/** The parts of an and-chain. */
export const conjuncts = (c: HonoCondition): HonoCondition[] =>
  c.kind === 'and' ? c.parts.flatMap(conjuncts) : [c];

const hasUnknown = (c: HonoCondition): boolean =>
  c.kind === 'unknown' ||
  (c.kind === 'not' && hasUnknown(c.inner)) ||
  ((c.kind === 'and' || c.kind === 'or') && c.parts.some(hasUnknown));

/** The neutral summary of a middleware's writes. */
function summaryOf(steps: HonoStep[], text: string): HandsetSummary {
  return summarize<HonoWrite, HonoCondition>(guarded(steps), {
    label: (span) => handsetLabel(text, span),
    echoes: (value) => value.kind === 'origin',
    guards(conditions) {
      const flat = conditions.flatMap(conjuncts);
      const found = originGuards(flat, true);
      // `if (isAllowed(origin))`, `if (DEV || ...)`: which origins pass cannot be told.
      return found.length || !flat.some(hasUnknown) ? found : undefined;
    },
    withoutOrigin: (conditions) =>
      conditions
        .flatMap(conjuncts)
        .some((c) => c.kind === 'not' && c.inner.kind === 'origin-present'),
  });
}

/** The first `if` testing for OPTIONS, at any depth. */
function preflightBranch(steps: HonoStep[]): Span | undefined {
  for (const step of steps) {
    if (step.kind !== 'if') continue;
    if (conjuncts(step.test).some((c) => c.kind === 'method' && c.methods.includes('OPTIONS')))
      return step.span;
    const inner = preflightBranch(step.then) ?? preflightBranch(step.otherwise);
    if (inner) return inner;
  }
  return undefined;
}

/** Whether some step writes an `Access-Control-*` header. */
const writesCors = (steps: HonoStep[]): boolean =>
  steps.some((s) =>
    s.kind === 'header'
      ? /^access-control-/i.test(s.name)
      : s.kind === 'if'
        ? writesCors(s.then) || writesCors(s.otherwise)
        : s.kind === 'end' && s.headers.some((h) => /^access-control-/i.test(h.name)),
  );

/** Every `(c, next)` function of a Hono module that writes `Access-Control-*` with `c.header`. */
export function honoHandsets(js: JsEvaluator, root: Node, text: string): HonoHandset[] {
  const out: HonoHandset[] = [];
  for (const { fn, call } of corsWritingFunctions(root, text, 'header')) {
    const [c, next] = parameterNames(fn);
    const body = fn.childForFieldName('body');
    const receiver = call.childForFieldName('function')?.childForFieldName('object')?.text;
    if (!c || receiver !== c || !/^[\w$]+$/.test(c) || body?.type !== 'statement_block') continue;
    const steps = new Reader(js, c, next, text).steps(statementsOf(body));
    if (!writesCors(steps)) continue;
    out.push({ fn, steps, summary: summaryOf(steps, text), preflightAt: preflightBranch(steps) });
  }
  return out;
}
