/**
 * Reads what a fetch-API handler function answers (a Next.js route handler or middleware, a
 * Worker's `fetch`): the `Response`/`NextResponse` it returns, the
 * headers on it (`new Headers({...})`, `headers.set/append`, object literals, module constants,
 * helper functions such as `cors(origin)`), and the allowlist guard around them
 * (`if (allowed.has(origin))`, `if (!ALLOWED.includes(origin)) return ...`).
 */
import type { Node } from 'web-tree-sitter';
import type { PathTest, WebHeader, WebHeaderValue, WebResponseShape } from './response-shape';
import type { StaticValue } from '../../policy/types';
import type { JsEvaluator } from './evaluate';
import { spanOf, unwrap } from './evaluate';
import { nested } from '../nesting';

type Guard = WebHeader['guard'];

/** The guard of what is written whenever the request has an Origin. */
const PRESENT = { allowlist: [], dynamic: false, present: true } as const satisfies Guard;

/** What an expression holds, as far as headers go. */
export type Held =
  /** `plain`: an object literal (an entry assigned in place sets a header; on `Headers` it does not). */
  | { kind: 'headers'; headers: WebHeader[]; plain?: true }
  | { kind: 'response'; shape: WebResponseShape; next: boolean }
  | { kind: 'origin'; fallback?: string; orEmpty?: true }
  /**
   * `ALLOWED.includes(origin) ? origin : ALLOWED[0]`: `listed` for the origins of the allowlist,
   * `other` for the rest (chatkin's Worker, held-out batch 50).
   */
  | { kind: 'choice'; guard: NonNullable<Guard>; listed: WebHeaderValue; other: WebHeaderValue }
  | { kind: 'request' }
  | { kind: 'unknown' };

/**
 * An `if` without `else` whose branch only returns (`if (...) return res;`, `{ return res; }`).
 */
function returnsAlone(statement: Node): boolean {
  if (statement.childForFieldName('alternative')) return false;
  const consequence = statement.childForFieldName('consequence');
  const body =
    consequence?.type === 'statement_block'
      ? consequence.namedChildren.filter((c) => c?.type !== 'comment')
      : [consequence];
  return body.length === 1 && body[0]?.type === 'return_statement';
}

/** A function's local names and the guard in force. */
interface Scope {
  vars: Map<string, Held>;
  guard: Guard;
  /** The path tests the code runs under (a handler that routes by path). */
  paths?: PathTest[];
}

/** A returned response and the `request.method === 'X'` condition it is returned under. */
export interface Returned {
  shape: WebResponseShape;
  /** `NextResponse.next()`: the request goes on to the route. */
  next: boolean;
  methods: string[];
  /** The path tests it is returned under (a handler that routes by path); none: every path. */
  paths?: PathTest[];
  /** Returned only when the Origin fails this allowlist test (an early refusal). */
  refusal?: NonNullable<Guard>;
}

/** What one handler function answers. */
export interface HandlerResult {
  returns: Returned[];
  /** Something was not understood (a dynamic guard, an unknown response); predictions are partial. */
  partial: boolean;
}

const RESPONSE_CLASSES = new Set(['Response', 'NextResponse']);
const args = (node: Node | null): Node[] =>
  (node?.namedChildren ?? []).filter((a): a is Node => !!a && a.type !== 'comment');

/** A function (or a headers constant) another module exports, with that module's evaluator. */
export interface ImportedHelper {
  js: JsEvaluator;
  file: string;
  fn: Node;
}

const isFunction = (node: Node) => /function|arrow_function/.test(node.type);

/**
 * A header value as `Headers` stores it: a string, or a number or boolean turned into one
 * (`headers.set('Access-Control-Allow-Credentials', true)` sends `true`: next-fullstack's
 * middleware, held-out batch 49; `new Headers().set('a', true)` gives 'true' in Node).
 */
function written(value: StaticValue): WebHeaderValue {
  if (value.kind === 'str') return { kind: 'literal', value: value.value };
  if (value.kind === 'int' || value.kind === 'bool')
    return { kind: 'literal', value: String(value.value) };
  return { kind: 'dynamic' };
}

/**
 * Object members named by an identifier, which has no `-`: no CORS header (`{ progress }`, a
 * Worker's `async fetch(request) {...}` when its module object is read).
 */
const NAMED_BY_IDENTIFIER = new Set(['shorthand_property_identifier', 'method_definition']);

/**
 * The method `name` of the object literal a `this.name` is written in (its nearest one), looked
 * for a few levels up only: tree-sitter answers each `parent` from the root, so a walk to the top
 * from every call of a deeply nested file would be cubic (see the fuzz reproducer
 * slow-nesting-ts-route-handler). A Worker's `this.helper()` sits a dozen levels below its object.
 */
const METHOD_LEVELS = 24;
function siblingMethod(node: Node, name: string): Node | undefined {
  let at = node.parent;
  for (let level = 0; at && level < METHOD_LEVELS; at = at.parent, level++) {
    if (at.type !== 'object') continue;
    return at.namedChildren.find(
      (m): m is Node =>
        m?.type === 'method_definition' && m.childForFieldName('name')?.text === name,
    );
  }
  return undefined;
}

/** Statically reads handler functions of one module. */
export class HandlerReader {
  private partial = false;
  /** Answers returned under a condition nothing is known of, whose CORS lines `read` compares. */
  private unknownArms: Returned[] = [];
  private depth = 0;
  /** `headers.set/append/delete` calls seen so far (to tell whether a branch touched headers). */
  private headerWrites = 0;

  constructor(
    private readonly js: JsEvaluator,
    private readonly file: string,
    /** Helper functions imported from other modules (`import corsHeaders from '@/lib/cors'`). */
    private readonly imported: ReadonlyMap<string, ImportedHelper> = new Map(),
    /**
     * The handler routes by path itself (a Worker's `fetch`): a test of the URL's path picks a
     * route, each branch's answer is one of the handler's, and headers written there are written
     * for that route, not under an unknown condition.
     */
    private readonly routesByPath = false,
  ) {}

  /** What a helper returns when called with `params` (for a module importing it). */
  helperValue(fn: Node, params: Held[]): { held: Held; partial: boolean } {
    this.partial = false;
    this.unknownArms = [];
    const held = this.callValue(fn, params);
    return { held, partial: this.partial || this.unknownArms.length > 0 };
  }

  /** What a module-level value holds (an exported headers constant, a function's result). */
  valueOf(node: Node, params: Held[]): { held: Held; partial: boolean } {
    if (isFunction(node)) return this.helperValue(node, params);
    this.partial = false;
    this.unknownArms = [];
    const held = this.hold(node, { vars: new Map(), guard: undefined });
    return { held, partial: this.partial || this.unknownArms.length > 0 };
  }

  /**
   * The responses a function (declaration, arrow or expression) returns. An answer under an
   * unknown condition whose CORS lines are all lines another answer sends too (an early 401 built
   * by the same `jsonResponse(..., origin)` helper) leaves the prediction whole: whichever way the
   * condition goes, the same lines go out (willayg's Workers, held-out batch 53).
   */
  read(fn: Node): HandlerResult {
    this.partial = false;
    this.unknownArms = [];
    const returns = this.callFunction(fn, [{ kind: 'request' }]);
    const arms = new Set(this.unknownArms);
    const key = (h: WebHeader) => `${h.name.toLowerCase()}@${h.span.file}:${h.span.start}`;
    const elsewhere = new Set(
      returns.filter((r) => !arms.has(r)).flatMap((r) => r.shape.headers.map(key)),
    );
    const sameLines = [...arms].every((r) =>
      r.shape.headers.every((h) => !/^access-control-/i.test(h.name) || elsewhere.has(key(h))),
    );
    return { returns, partial: this.partial || !sameLines };
  }

  private callFunction(fn: Node, params: Held[]): Returned[] {
    if (this.depth > 4 || fn.hasError) {
      this.partial = true;
      return [];
    }
    this.depth++;
    try {
      const scope = bindParameters(fn, params);
      const body = fn.childForFieldName('body');
      if (!body) return [];
      if (body.type !== 'statement_block') return this.returned(body, scope, []);
      const out: Returned[] = [];
      this.block(body, scope, [], out);
      return out;
    } finally {
      this.depth--;
    }
  }

  private block(block: Node, scope: Scope, methods: string[], out: Returned[]): boolean {
    for (const statement of args(block)) {
      if (this.statement(statement, scope, methods, out)) return true;
    }
    return false;
  }

  /** Runs one statement; true when it always returns. Past the shared nesting cap: partial. */
  private statement(node: Node, scope: Scope, methods: string[], out: Returned[]): boolean {
    return nested(
      () => this.statementRun(node, scope, methods, out),
      () => {
        this.partial = true;
        return false;
      },
    );
  }

  /**
   * Statements that run for some requests only, under a condition nothing is known of (an `if` on
   * a token, a loop's body). That matters only when it decides CORS headers (not for an early
   * 400): a header write there makes the prediction partial; an answer it returns with CORS lines
   * is weighed by `read`.
   */
  private unknownArm(nodes: Node[], scope: Scope, methods: string[], out: Returned[]): void {
    const writes = this.headerWrites;
    const branch: Returned[] = [];
    // Headers written under it are set for some requests only: a guard nothing is known of.
    const unknown: Guard = { allowlist: [], dynamic: true };
    for (const node of nodes)
      this.statement(node, { vars: scope.vars, guard: unknown }, methods, branch);
    if (this.headerWrites !== writes) this.partial = true;
    else
      this.unknownArms.push(
        ...branch.filter((r) => r.shape.headers.some((h) => /^access-control-/i.test(h.name))),
      );
    out.push(...branch);
  }

  private statementRun(node: Node, scope: Scope, methods: string[], out: Returned[]): boolean {
    switch (node.type) {
      case 'lexical_declaration':
      case 'variable_declaration':
        for (const d of args(node)) {
          const name = d.childForFieldName('name');
          const value = d.childForFieldName('value');
          if (name?.type === 'identifier' && value)
            scope.vars.set(name.text, this.hold(value, scope));
        }
        return false;
      case 'expression_statement': {
        const expr = node.namedChildren[0];
        if (expr) this.effect(unwrap(expr), scope);
        return false;
      }
      case 'return_statement': {
        const expr = node.namedChildren[0];
        if (expr) out.push(...this.returned(expr, scope, methods));
        return true;
      }
      case 'if_statement':
        return this.ifStatement(node, scope, methods, out);
      case 'statement_block':
        return this.block(node, scope, methods, out);
      case 'try_statement':
        return this.tryStatement(node, scope, methods, out);
      case 'comment':
      // A nested function runs only where it is called (a call is read there).
      case 'function_declaration':
      case 'generator_function_declaration':
      // Inside a loop read as a branch: the loop's end.
      case 'break_statement':
      case 'continue_statement':
      case 'empty_statement':
        return false;
      case 'for_statement':
      case 'for_in_statement':
      case 'while_statement':
      case 'do_statement': {
        const body = node.childForFieldName('body');
        if (body) this.unknownArm([body], scope, methods, out);
        else this.partial = true;
        return false;
      }
      default:
        this.partial = true;
        return false;
    }
  }

  /**
   * `try { ... } catch { ... }`: what the block returns (lmnr's event stream, held-out batch 7).
   * The handler's answers are the error path (a 500 when the block throws), not what a request
   * that works gets, so they are not among the handler's answers; it returns on every path when
   * both do. A `finally` is read as unknown.
   */
  private tryStatement(node: Node, scope: Scope, methods: string[], out: Returned[]): boolean {
    const body = node.childForFieldName('body');
    const handler = node.childForFieldName('handler')?.childForFieldName('body');
    if (!body || node.childForFieldName('finalizer')) {
      this.partial = true;
      return false;
    }
    const tried = this.statement(body, { ...scope, vars: new Map(scope.vars) }, methods, out);
    const errors: Returned[] = [];
    const caught =
      !!handler &&
      this.statement(handler, { ...scope, vars: new Map(scope.vars) }, methods, errors);
    return tried && caught;
  }

  private ifStatement(node: Node, scope: Scope, methods: string[], out: Returned[]): boolean {
    const condition = node.childForFieldName('condition');
    const consequence = node.childForFieldName('consequence');
    const alternative = node.childForFieldName('alternative')?.namedChildren[0] ?? null;
    if (!condition || !consequence) return false;
    const method = this.methodTest(condition);
    if (method)
      return this.arms(
        [
          [consequence, {}, [method]],
          [alternative, {}, methods],
        ],
        scope,
        out,
      );
    // `if (origin)`: every request with an Origin passes, so it decides nothing about who gets in.
    const guard = this.presenceTest(condition, scope)
      ? { guard: scope.guard, negated: false }
      : this.guardOf(condition, scope);
    const path = guard === undefined && this.routesByPath ? pathTestOf(condition) : undefined;
    if (path) {
      const paths = scope.paths ?? [];
      return this.arms(
        [
          [consequence, { paths: [...paths, path] }, methods],
          [alternative, { paths: [...paths, negate(path)] }, methods],
        ],
        scope,
        out,
      );
    }
    if (guard === undefined) {
      this.unknownArm(
        alternative ? [consequence, alternative] : [consequence],
        scope,
        methods,
        out,
      );
      return false;
    }
    if (guard.negated) {
      // `if (!allowed.has(origin)) return ...;` guards what follows.
      const branch: Returned[] = [];
      const returns = this.statement(
        consequence,
        { vars: new Map(scope.vars), guard: scope.guard },
        methods,
        branch,
      );
      out.push(...branch.map((r) => ({ ...r, refusal: guard.guard })));
      if (returns) scope.guard = guard.guard;
      return false;
    }
    // Effects inside the guarded block write into the enclosing variables.
    this.statement(consequence, { vars: scope.vars, guard: guard.guard }, methods, out);
    if (alternative)
      this.statement(alternative, { vars: scope.vars, guard: scope.guard }, methods, out);
    return false;
  }

  /**
   * The arms of a condition that picks which requests run them (a method, a path), each with what
   * it adds to the scope. Each runs on its own copy of the headers built so far, so what an arm
   * that returns writes is not sent by the code after it; an arm that goes on hands its writes
   * back. True when every arm returns.
   */
  private arms(
    arms: [Node | null, Partial<Scope>, string[]][],
    scope: Scope,
    out: Returned[],
  ): boolean {
    let all = true;
    for (const [arm, extra, methods] of arms) {
      if (!arm) {
        all = false;
        continue;
      }
      const vars = forkVars(scope.vars);
      const returns = this.statement(arm, { ...scope, ...extra, vars }, methods, out);
      if (!returns) handBack(scope.vars, vars);
      all &&= returns;
    }
    return all;
  }

  /** `request.method === 'OPTIONS'` → `OPTIONS`. */
  private methodTest(condition: Node): string | undefined {
    const m = /^\(?\s*[\w$]+\.method\s*===?\s*['"]([A-Z]+)['"]\s*\)?$/.exec(condition.text);
    return m?.[1];
  }

  /** Whether a condition only tests that the request has an Origin: `origin`, `origin != null`, `!!origin`. */
  private presenceTest(condition: Node, scope: Scope): boolean {
    const node = unwrap(condition);
    // `!!origin`: one double negation (reading `.text` down a long chain would be quadratic).
    const inner = node.type === 'unary_expression' ? node.childForFieldName('argument') : null;
    if (node.childForFieldName('operator')?.text === '!' && inner)
      return this.absenceTest(inner, scope);
    return this.nothingTest(node, scope, ['!=', '!==']) || this.isOrigin(node, scope);
  }

  /** `!origin`, `origin == null`, `origin === ''`: a test that the request has no Origin. */
  private absenceTest(condition: Node, scope: Scope): boolean {
    const node = unwrap(condition);
    const inner = node.type === 'unary_expression' ? node.childForFieldName('argument') : null;
    if (node.childForFieldName('operator')?.text === '!' && inner)
      return this.isOrigin(unwrap(inner), scope);
    return this.nothingTest(node, scope, ['==', '===']);
  }

  /** `origin <op> null` (`undefined`, `''`) for one of `operators`. */
  private nothingTest(node: Node, scope: Scope, operators: string[]): boolean {
    if (node.type !== 'binary_expression') return false;
    const right = node.childForFieldName('right');
    const left = node.childForFieldName('left');
    if (!operators.includes(node.childForFieldName('operator')?.text ?? '') || !right || !left)
      return false;
    const nothing =
      ['null', 'undefined'].includes(unwrap(right).type) || unwrap(right).text === "''";
    return nothing && this.isOrigin(unwrap(left), scope);
  }

  /** A name holding the request's Origin. */
  private isOrigin(node: Node, scope: Scope): boolean {
    return node.type === 'identifier' && this.hold(node, scope).kind === 'origin';
  }

  /** An allowlist test on the request's Origin, possibly negated; undefined when not one. */
  private guardOf(condition: Node, scope: Scope): { guard: Guard; negated: boolean } | undefined {
    let node = unwrap(
      condition.type === 'parenthesized_expression'
        ? (condition.namedChildren[0] ?? condition)
        : condition,
    );
    // `!origin || !allowed.has(origin)`: the refusal of a missing Origin beside the test is no
    // part of who gets in (Luminote's helper, held-out batch 57).
    if (node.type === 'binary_expression' && node.childForFieldName('operator')?.text === '||') {
      const tests = [node.childForFieldName('left'), node.childForFieldName('right')].filter(
        (n): n is Node => !!n && !this.absenceTest(n, scope),
      );
      return tests.length === 1 ? this.guardOf(tests[0], scope) : undefined;
    }
    let negated = false;
    if (node.type === 'unary_expression' && node.text.startsWith('!')) {
      negated = true;
      node = unwrap(node.childForFieldName('argument') ?? node);
    }
    const calls = [
      node,
      ...node.descendantsOfType('call_expression').filter((n): n is Node => !!n),
    ];
    for (const call of calls) {
      if (call.type !== 'call_expression') continue;
      const fn = call.childForFieldName('function');
      const [arg] = args(call.childForFieldName('arguments'));
      if (fn?.type !== 'member_expression' || !arg) continue;
      const method = fn.childForFieldName('property')?.text;
      if ((method !== 'has' && method !== 'includes') || this.hold(arg, scope).kind !== 'origin')
        continue;
      const list = this.js.evaluate(fn.childForFieldName('object')!);
      if (list.kind !== 'list') {
        const arms = this.js.listArms(fn.childForFieldName('object')!);
        const guard = { allowlist: arms?.items ?? [], dynamic: !arms?.whole };
        return { guard, negated };
      }
      const allowlist = list.items.flatMap((i) => (i.kind === 'str' ? [i.value] : []));
      return {
        guard: { allowlist, dynamic: allowlist.length !== list.items.length || !!list.envDriven },
        negated,
      };
    }
    // A test of the Origin by a function not read here (`isAllowedOrigin(origin)`): some origins
    // pass, which ones is not known.
    if (
      node.type === 'call_expression' &&
      args(node.childForFieldName('arguments')).some((a) => this.hold(a, scope).kind === 'origin')
    )
      return { guard: { allowlist: [], dynamic: true }, negated };
    return undefined;
  }

  /** `headers.set(...)`, `res.headers.append(...)` and the like. */
  private effect(expr: Node, scope: Scope): void {
    if (expr.type === 'assignment_expression') return this.assignEntry(expr, scope);
    if (expr.type !== 'call_expression') return;
    const fn = expr.childForFieldName('function');
    if (fn?.type === 'identifier' && this.routesByPath) return this.helperWrites(expr, fn, scope);
    if (fn?.type !== 'member_expression') return;
    const method = fn.childForFieldName('property')?.text;
    if (method !== 'set' && method !== 'append' && method !== 'delete') return;
    const target = this.headersOf(fn.childForFieldName('object'), scope);
    if (!target) return;
    this.headerWrites++;
    const [nameNode, valueNode] = args(expr.childForFieldName('arguments'));
    const name = nameNode && this.js.evaluate(nameNode);
    if (name?.kind !== 'str') {
      this.partial = true;
      return;
    }
    if (method === 'delete') {
      target.push({
        name: name.value,
        value: { kind: 'dynamic' },
        append: false,
        guard: scope.guard,
        span: spanOf(this.file, expr),
      });
      this.partial = true;
      return;
    }
    if (!valueNode) return;
    for (const line of this.lines(name.value, valueNode, scope, method === 'append'))
      target.push({ ...line, span: spanOf(this.file, expr) });
  }

  /**
   * A helper handed the response or its headers (`addCorsHeaders(response, origin)`, utterances'
   * Worker): what it writes on them is written here, as JavaScript passes the object itself. For
   * fetch handlers only: a Next.js route module may export methods the reader does not see
   * (`export { handler as GET }`), and its helper-built answers would then look whole.
   */
  private helperWrites(call: Node, fn: Node, scope: Scope): void {
    const params = args(call.childForFieldName('arguments')).map((a) => this.hold(a, scope));
    if (!params.some((p) => p.kind === 'headers' || p.kind === 'response')) return;
    const decl = this.js.declaration(fn.text);
    const helper = decl ? undefined : this.imported.get(fn.text);
    this.headerWrites++;
    if (decl && isFunction(decl)) this.callValue(decl, params);
    else if (helper && isFunction(helper.fn)) this.fromHelper(helper, params);
    else this.partial = true;
  }

  /**
   * `cors['Access-Control-Allow-Origin'] = origin` on an object of headers: the entry is set, as
   * the object is later sent. The same on a `Headers` instance writes a property, not a header.
   */
  private assignEntry(expr: Node, scope: Scope): void {
    const left = expr.childForFieldName('left');
    const right = expr.childForFieldName('right');
    const owner = left?.childForFieldName('object');
    const held = owner?.type === 'identifier' ? scope.vars.get(owner.text) : undefined;
    if (!left || !right || held?.kind !== 'headers') return;
    if (!held.plain) return;
    const key =
      left.type === 'member_expression'
        ? left.childForFieldName('property')?.text
        : left.type === 'subscript_expression'
          ? this.js.evaluate(left.childForFieldName('index') ?? left)
          : undefined;
    const name = typeof key === 'string' ? key : key?.kind === 'str' ? key.value : undefined;
    if (name === undefined) {
      this.partial = true;
      return;
    }
    this.headerWrites++;
    const at = held.headers.findIndex((h) => h.name.toLowerCase() === name.toLowerCase());
    const lines = this.lines(name, right, scope, false).map((line) => ({
      ...line,
      span: spanOf(this.file, expr),
    }));
    if (at >= 0) held.headers.splice(at, 1, ...lines);
    else held.headers.push(...lines);
  }

  /**
   * The header lines a value expression writes, with the literal's span for fixes: one, or two
   * for a value an allowlist test chooses (the other branch's, then the listed origins' replacing
   * it), as a browser sees it.
   */
  private lines(
    name: string,
    valueNode: Node,
    scope: Scope,
    append: boolean,
  ): Omit<WebHeader, 'span'>[] {
    const held = scope.guard ? undefined : this.hold(valueNode, scope);
    if (held?.kind === 'choice')
      return [
        { name, value: held.other, append },
        { name, value: held.listed, append: false, guard: held.guard },
      ];
    return [this.line(name, valueNode, scope, append)];
  }

  /** One header line from a value expression, with the literal's span for fixes. */
  private line(
    name: string,
    valueNode: Node,
    scope: Scope,
    append: boolean,
  ): Omit<WebHeader, 'span'> {
    const value = this.headerValue(valueNode, scope);
    const literal = unwrap(valueNode);
    const valueSpan =
      value.kind === 'literal' && (literal.type === 'string' || literal.type === 'template_string')
        ? spanOf(this.file, literal)
        : undefined;
    return { name, value, append, guard: scope.guard, valueSpan };
  }

  /** The header list an expression names: a Headers variable, or a response's `.headers`. */
  private headersOf(node: Node | null, scope: Scope): WebHeader[] | undefined {
    if (!node) return undefined;
    const target = unwrap(node);
    if (target.type === 'identifier') {
      const held = scope.vars.get(target.text);
      return held?.kind === 'headers' ? held.headers : undefined;
    }
    if (
      target.type === 'member_expression' &&
      target.childForFieldName('property')?.text === 'headers'
    ) {
      const owner = target.childForFieldName('object');
      const held = owner?.type === 'identifier' ? scope.vars.get(owner.text) : undefined;
      return held?.kind === 'response' ? held.shape.headers : undefined;
    }
    return undefined;
  }

  private headerValue(node: Node, scope: Scope): WebHeaderValue {
    const held = this.hold(node, scope);
    if (held.kind === 'origin')
      return {
        kind: 'request-origin',
        fallback: held.fallback,
        ...(held.orEmpty ? { orEmpty: true as const } : {}),
      };
    return written(this.js.evaluate(node));
  }

  /** What an expression holds. */
  private hold(input: Node, scope: Scope): Held {
    const node = unwrap(input);
    if (node.hasError) return { kind: 'unknown' };
    if (node.type === 'identifier' || node.type === 'shorthand_property_identifier') {
      const local = scope.vars.get(node.text);
      if (local) return local;
      const bound = this.js.declaration(node.text);
      const helper = bound ? undefined : this.imported.get(node.text);
      if (helper && !isFunction(helper.fn)) return this.fromHelper(helper, []);
      if (!bound || bound.type === 'function_declaration') return { kind: 'unknown' };
      // A module constant `new Headers({...})`: its init, read as a value (no scope to recurse in).
      if (
        bound.type === 'new_expression' &&
        bound.childForFieldName('constructor')?.text === 'Headers'
      ) {
        const init = args(bound.childForFieldName('arguments'))[0];
        const held = init ? this.headersFromValue(this.js.evaluate(init)) : undefined;
        return held?.kind === 'headers'
          ? { kind: 'headers', headers: held.headers }
          : (held ?? { kind: 'headers', headers: [] });
      }
      return this.headersFromValue(this.js.evaluate(node));
    }
    if (
      node.type === 'binary_expression' &&
      /^(\?\?|\|\|)$/.test(node.childForFieldName('operator')?.text ?? '')
    ) {
      // `a ?? b ?? …` thousands long is a left-deep tree: past the shared cap it holds nothing known.
      const left = nested(
        () => this.hold(node.childForFieldName('left')!, scope),
        (): Held => ({ kind: 'unknown' }),
      );
      const right = this.js.evaluate(node.childForFieldName('right')!);
      if (left.kind === 'origin' && right.kind === 'str')
        return node.childForFieldName('operator')?.text === '||'
          ? { kind: 'origin', fallback: right.value, orEmpty: true }
          : { kind: 'origin', fallback: right.value };
      return left.kind === 'origin' ? left : { kind: 'unknown' };
    }
    // `a ? b : c ? …` thousands deep: past the shared cap it holds nothing known.
    if (node.type === 'ternary_expression')
      return nested(
        () => this.choice(node, scope),
        (): Held => ({ kind: 'unknown' }),
      );
    if (node.type === 'object') return this.objectHeaders(node, scope);
    if (node.type === 'new_expression') return this.construct(node, scope);
    if (node.type === 'call_expression') return this.call(node, scope);
    return { kind: 'unknown' };
  }

  /** A value chosen by an allowlist test on the Origin: both branches, each a header value. */
  private choice(node: Node, scope: Scope): Held {
    const condition = node.childForFieldName('condition');
    const consequence = node.childForFieldName('consequence');
    const alternative = node.childForFieldName('alternative');
    if (!condition || !consequence || !alternative) return { kind: 'unknown' };
    // `origin ? {...credentials} : {}`: sent whenever an Origin comes, so on every CORS request
    // (gateflow's claim route, held-out batch 51, said "without credentials").
    if (this.presenceTest(condition, scope)) {
      const held = this.hold(consequence, scope);
      const other = this.hold(alternative, scope);
      if (held.kind === 'headers' && other.kind === 'headers' && !other.headers.length)
        return {
          ...held,
          headers: held.headers.map((h) => (h.guard ? h : { ...h, guard: PRESENT })),
        };
    }
    const test = this.presenceTest(condition, scope)
      ? { guard: PRESENT, negated: false }
      : this.guardOf(condition, scope);
    if (!test?.guard) return { kind: 'unknown' };
    const [listed, other] = (
      test.negated ? [alternative, consequence] : [consequence, alternative]
    ).map((branch) => this.headerValue(branch, scope));
    return listed.kind === 'dynamic' || other.kind === 'dynamic'
      ? { kind: 'unknown' }
      : { kind: 'choice', guard: test.guard, listed, other };
  }

  private headersFromValue(value: StaticValue): Held {
    if (value.kind !== 'dict') return { kind: 'unknown' };
    const headers: WebHeader[] = [];
    for (const { key, value: v } of value.entries) {
      if (key.kind !== 'str') {
        this.partial = true;
        continue;
      }
      const literal = written(v);
      headers.push({
        name: key.value,
        value: literal,
        append: false,
        span: { ...key.span, end: v.span.end },
        valueSpan: literal.kind === 'literal' ? v.span : undefined,
      });
    }
    return { kind: 'headers', headers, plain: true };
  }

  /** An object literal of headers, whose values may use the request's Origin. */
  private objectHeaders(node: Node, scope: Scope): Held {
    const headers: WebHeader[] = [];
    for (const child of args(node)) {
      if (child.type === 'pair') {
        const key = this.js.evaluate(
          child.childForFieldName('key')?.type === 'property_identifier'
            ? child
            : child.childForFieldName('key')!,
        );
        const keyText =
          child.childForFieldName('key')?.type === 'property_identifier'
            ? child.childForFieldName('key')!.text
            : key.kind === 'str'
              ? key.value
              : undefined;
        const valueNode = child.childForFieldName('value');
        if (keyText === undefined || !valueNode) {
          this.partial = true;
          continue;
        }
        for (const line of this.lines(keyText, valueNode, scope, false))
          headers.push({ ...line, span: spanOf(this.file, child) });
      } else if (child.type === 'spread_element') {
        const inner = child.namedChildren[0] ? this.hold(child.namedChildren[0], scope) : undefined;
        if (inner?.kind === 'headers') headers.push(...inner.headers);
        else this.partial = true;
      } else if (!NAMED_BY_IDENTIFIER.has(child.type)) {
        this.partial = true;
      }
    }
    return { kind: 'headers', headers, plain: true };
  }

  private construct(node: Node, scope: Scope): Held {
    const ctor = node.childForFieldName('constructor')?.text ?? '';
    const list = args(node.childForFieldName('arguments'));
    if (ctor === 'Headers') {
      if (!list[0]) return { kind: 'headers', headers: [] };
      const init = this.hold(list[0], scope);
      return init.kind === 'headers'
        ? { kind: 'headers', headers: [...init.headers] }
        : { kind: 'unknown' };
    }
    if (RESPONSE_CLASSES.has(ctor))
      return this.response(list[0], list[1], scope, bodyKind(list[0], false), false);
    return { kind: 'unknown' };
  }

  private call(node: Node, scope: Scope): Held {
    const fn = node.childForFieldName('function');
    const list = args(node.childForFieldName('arguments'));
    if (!fn) return { kind: 'unknown' };
    if (fn.type === 'member_expression') {
      const owner = fn.childForFieldName('object');
      const property = fn.childForFieldName('property')?.text;
      // request.headers.get('origin')
      if (
        property === 'get' &&
        owner?.type === 'member_expression' &&
        owner.childForFieldName('property')?.text === 'headers'
      ) {
        const req = owner.childForFieldName('object');
        const name = list[0] && this.js.evaluate(list[0]);
        if (
          req &&
          this.hold(req, scope).kind === 'request' &&
          name?.kind === 'str' &&
          name.value.toLowerCase() === 'origin'
        )
          return { kind: 'origin' };
        return { kind: 'unknown' };
      }
      // `this.handleProxy(request)` in a Worker's `export default { fetch() {...}, handleProxy() {...} }`.
      const method = owner?.type === 'this' && property ? siblingMethod(fn, property) : undefined;
      if (method)
        return this.callValue(
          method,
          list.map((a) => this.hold(a, scope)),
        );
      if (owner && RESPONSE_CLASSES.has(owner.text)) {
        if (property === 'json') return this.response(list[0], list[1], scope, 'json', false);
        if (property === 'next') return this.response(undefined, list[0], scope, 'none', true);
      }
      return { kind: 'unknown' };
    }
    if (fn.type === 'identifier') {
      const decl = this.js.declaration(fn.text);
      const callee =
        decl &&
        (decl.type === 'function_declaration' ||
          decl.type === 'arrow_function' ||
          decl.type === 'function_expression')
          ? decl
          : undefined;
      const helper = decl ? undefined : this.imported.get(fn.text);
      if (helper && isFunction(helper.fn))
        return this.fromHelper(
          helper,
          list.map((a) => this.hold(a, scope)),
        );
      if (!callee) return { kind: 'unknown' };
      const params = list.map((a) => this.hold(a, scope));
      const returned = this.callValue(callee, params);
      return returned;
    }
    return { kind: 'unknown' };
  }

  /** An imported helper's value, read in its own module (which may use the helpers it imports). */
  private fromHelper(helper: ImportedHelper, params: Held[]): Held {
    if (this.depth > 4) return { kind: 'unknown' };
    const reader = new HandlerReader(helper.js, helper.file, this.imported, this.routesByPath);
    reader.depth = this.depth + 1;
    const read = reader.valueOf(helper.fn, params);
    this.partial ||= read.partial;
    return read.held;
  }

  /** What a helper function returns (a Headers object, a response), by reading its body. */
  private callValue(fn: Node, params: Held[]): Held {
    if (this.depth > 4) return { kind: 'unknown' };
    this.depth++;
    try {
      const scope = bindParameters(fn, params);
      const body = fn.childForFieldName('body');
      if (!body) return { kind: 'unknown' };
      if (body.type !== 'statement_block') return this.hold(body, scope);
      let result: Held = { kind: 'unknown' };
      const visit = (block: Node, inner: Scope): void => {
        // An `if` without braces has one statement for its consequence.
        for (const statement of block.type === 'statement_block' ? args(block) : [block]) {
          if (statement.type === 'return_statement' && statement.namedChildren[0]) {
            result = this.hold(statement.namedChildren[0], inner);
            return;
          }
          if (statement.type === 'if_statement') {
            const guard = this.guardOf(statement.childForFieldName('condition')!, inner);
            const consequence = statement.childForFieldName('consequence');
            if (guard && !guard.negated && consequence)
              visit(consequence, { vars: inner.vars, guard: guard.guard });
            else if (guard?.negated && consequence && returnsAlone(statement)) {
              // `if (!origin || !allowed(origin)) return res;`: what follows is for the
              // origins the test lets through (Luminote's applyCors, held-out batch 57).
              inner.guard = guard.guard;
            } else if (guard === undefined && consequence) {
              // An early return of something else (a cookie parser's `return cookies`) leaves
              // the helper's headers whole; headers or a response there are some requests' only.
              const [kept, writes] = [result, this.headerWrites];
              result = { kind: 'unknown' };
              visit(consequence, { vars: inner.vars, guard: { allowlist: [], dynamic: true } });
              // `visit` set it (TypeScript does not see a closure's writes).
              const arm = result as Held;
              const cors =
                arm.kind === 'response' ||
                arm.kind === 'choice' ||
                (arm.kind === 'headers' &&
                  arm.headers.some((h) => /^access-control-/i.test(h.name)));
              if (cors || this.headerWrites !== writes) this.partial = true;
              result = kept;
            } else this.partial = true;
            continue;
          }
          if (statement.type === 'statement_block') visit(statement, inner);
          else {
            const sink: Returned[] = [];
            this.statement(statement, inner, [], sink);
          }
        }
      };
      visit(body, scope);
      return result;
    } finally {
      this.depth--;
    }
  }

  /** `new Response(body, init)`, `Response.json(data, init)`, `NextResponse.next(init)`. */
  private response(
    _body: Node | undefined,
    init: Node | undefined,
    scope: Scope,
    body: WebResponseShape['body'],
    next: boolean,
  ): Held {
    let status = 200;
    let headers: WebHeader[] = [];
    let headersFrom: string | undefined;
    if (init) {
      const initNode = unwrap(init);
      if (initNode.type !== 'object') {
        this.partial = true;
      } else {
        for (const pair of args(initNode)) {
          const key =
            pair.type === 'pair'
              ? pair.childForFieldName('key')?.text.replace(/['"]/g, '')
              : pair.type === 'shorthand_property_identifier'
                ? pair.text
                : undefined;
          const valueNode = pair.type === 'pair' ? pair.childForFieldName('value') : pair;
          if (!valueNode) continue;
          if (key === 'status') {
            const value = this.js.evaluate(valueNode);
            // A status the caller picks (`reply(data, status = 200)`) leaves the headers known.
            if (value.kind === 'int') status = value.value;
            else if (
              unwrap(valueNode).type !== 'identifier' &&
              valueNode.type !== 'shorthand_property_identifier'
            )
              this.partial = true;
          } else if (key === 'headers') {
            const named = unwrap(valueNode);
            const isName =
              named.type === 'identifier' || named.type === 'shorthand_property_identifier';
            if (isName && !scope.vars.has(named.text) && this.js.declaration(named.text))
              headersFrom = named.text;
            const held = this.hold(valueNode, scope);
            if (held.kind === 'headers') headers = [...held.headers];
            else this.partial = true;
          }
        }
      }
    }
    return { kind: 'response', shape: { status, headers, body, headersFrom }, next };
  }

  private returned(expr: Node, scope: Scope, methods: string[]): Returned[] {
    const held = this.hold(expr, scope);
    if (held.kind !== 'response') {
      this.partial = true;
      return [];
    }
    return [{ shape: held.shape, next: held.next, methods, paths: scope.paths }];
  }
}

/** A copy of a scope's names whose headers an arm may write without the others seeing it. */
function forkVars(vars: Map<string, Held>): Map<string, Held> {
  return new Map(
    [...vars].map(([name, held]): [string, Held] => [
      name,
      held.kind === 'headers'
        ? { ...held, headers: [...held.headers] }
        : held.kind === 'response'
          ? { ...held, shape: { ...held.shape, headers: [...held.shape.headers] } }
          : held,
    ]),
  );
}

/** What an arm that went on wrote, handed back to the names it copied. */
function handBack(into: Map<string, Held>, from: Map<string, Held>): void {
  for (const [name, held] of into) {
    const forked = from.get(name);
    if (held.kind === 'headers' && forked?.kind === 'headers')
      held.headers.splice(0, held.headers.length, ...forked.headers);
    else if (held.kind === 'response' && forked?.kind === 'response')
      held.shape.headers.splice(0, held.shape.headers.length, ...forked.shape.headers);
  }
}

/** A name that holds the request's path (`const { pathname } = new URL(request.url)`). */
const PATH_NAME = /^(?:path|pathname|route|urlPath)$/;

/**
 * A test of the request's path (`url.pathname === '/api'`, `path.startsWith('/v1/')`, negated or
 * not), as a `PathTest`; another condition that reads the URL (`url.searchParams.has('q')`) is an
 * unknown one; undefined: not about the path.
 */
function pathTestOf(condition: Node): PathTest | undefined {
  // `!!!…x` thousands deep is walked in a loop, not by recursion.
  let node = unwrap(condition);
  let negations = 0;
  while (node.type === 'unary_expression' && node.childForFieldName('operator')?.text === '!') {
    negations++;
    node = unwrap(node.childForFieldName('argument') ?? node);
  }
  const test = pathTestOfNode(node, condition);
  return test && negations % 2 === 1 ? negate(test) : test;
}

/** `pathTestOf` for a condition without a leading `!`. */
function pathTestOfNode(node: Node, condition: Node): PathTest | undefined {
  const isPath = (n: Node | null): boolean =>
    !!n &&
    ((n.type === 'identifier' && PATH_NAME.test(n.text)) ||
      (n.type === 'member_expression' && n.childForFieldName('property')?.text === 'pathname'));
  const literal = (n: Node | null): string | undefined =>
    n && n.type === 'string' ? n.text.slice(1, -1) : undefined;
  if (node.type === 'binary_expression') {
    const operator = node.childForFieldName('operator')?.text ?? '';
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    const value = isPath(left) ? literal(right) : isPath(right) ? literal(left) : undefined;
    if (value !== undefined && /^[!=]==?$/.test(operator))
      return { kind: 'exact', value, negated: operator.startsWith('!') };
  }
  if (node.type === 'call_expression') {
    const fn = node.childForFieldName('function');
    const [arg] = node.childForFieldName('arguments')?.namedChildren ?? [];
    const value = literal(arg ?? null);
    if (
      fn?.type === 'member_expression' &&
      fn.childForFieldName('property')?.text === 'startsWith' &&
      isPath(fn.childForFieldName('object')) &&
      value !== undefined
    )
      return { kind: 'prefix', value, negated: false };
  }
  if (condition.endIndex - condition.startIndex >= 300) return undefined;
  const text = condition.text;
  return /\b(?:pathname|path|url|route)\b/.test(text) &&
    !/\b(?:origin|method|headers)\b/i.test(text)
    ? { kind: 'unknown' }
    : undefined;
}

const negate = (test: PathTest): PathTest =>
  test.kind === 'unknown' ? test : { ...test, negated: !test.negated };

/** A function's scope with its parameters bound to what the caller passes (`req` → the request). */
function bindParameters(fn: Node, params: Held[]): Scope {
  const scope: Scope = { vars: new Map(), guard: undefined };
  args(fn.childForFieldName('parameters')).forEach((p, i) => {
    // `req: NextRequest` is a required_parameter around the identifier.
    const name =
      p.type === 'identifier' ? p : (p.childForFieldName('pattern') ?? p.namedChildren[0]);
    if (name?.type === 'identifier' && params[i]) scope.vars.set(name.text, params[i]);
  });
  const single = fn.childForFieldName('parameter');
  if (single?.type === 'identifier' && params[0]) scope.vars.set(single.text, params[0]);
  return scope;
}

/** What kind of body a `new Response(body)` has. */
function bodyKind(body: Node | undefined, json: boolean): WebResponseShape['body'] {
  if (json) return 'json';
  if (!body) return 'none';
  const node = unwrap(body);
  if (
    node.type === 'null' ||
    node.type === 'undefined' ||
    (node.type === 'identifier' && node.text === 'undefined')
  )
    return 'none';
  if (node.type === 'string' || node.type === 'template_string') return 'text';
  if (node.type === 'call_expression' && /^JSON\.stringify\b/.test(node.text)) return 'text';
  return 'unknown';
}
