/** One view or hook function read into the steps that shape its response's headers. */
import type { Node } from 'web-tree-sitter';
import type { HandsetCondition, HandsetHandler, HandsetHeader, HandsetStep } from './facts';
import { type PythonEvaluator, stringValue } from '../../lang/python/evaluate';
import { callArguments } from '../../lang/python/module-values';
import { nested } from '../../lang/nesting';
import { afterEarlyExits } from '../../lang/handset-branches';
import { outerParameters, parameterNames } from '../../lang/python/local-scope';
import {
  at,
  condition,
  headerValue,
  isOrigin,
  originDefault,
  type OriginNames,
  type TestNames,
} from './expressions';

const CONSTRUCTORS =
  /(^|\.)(make_response|Response|HttpResponse|JsonResponse|JSONResponse|PlainTextResponse|jsonify|json_response)$/;
/**
 * `resp.headers.set(...)` (Pyramid's `request.response.headers.add(...)` too), and http.server's
 * `self.send_header(...)` (which adds a line).
 */
// Starlette's `response.headers.append(name, value)` adds a line as `add` does (seen on Debian's
// Starlette 0.26.1: the response's raw headers gain the line; no truth suite serves ASGI here).
const HEADER_METHODS =
  /^(?:(?:\w+\.)+headers\.(add|append|set|setdefault|update|extend|add_header)|self\.(send_header|set_header|add_header)|(?:\w+\.)+(headerlist)\.append)$/;
/** Names a bare `x[...] = ...` may set and still be a header (a Django response, a headers dict). */
const CORS_NAME = /^(access-control-|vary$|cache-control$)/i;

type Return = Extract<HandsetStep, { kind: 'return' }>;

/** The name a header value written as `a if test else b` is chosen under (never a Python name). */
const WRITTEN = ' written';

/** The literal `""`. */
const empty = (value: Node) => value.type === 'string' && stringValue(value) === '';

/** `False`, `0` or `""`: a local an `if x:` finds unset (`found = False` before a search). */
const falsy = (value: Node) =>
  empty(value) || value.type === 'false' || (value.type === 'integer' && Number(value.text) === 0);

/** All of some conditions (one alone as itself). */
const all = (conditions: HandsetCondition[]): HandsetCondition =>
  conditions.length === 1 ? conditions[0] : { kind: 'and', parts: conditions };

/** Reads one handler's body. */
export class HandlerReader {
  private readonly origins: OriginNames = new Map();
  private readonly tests: TestNames = new Map();
  /** Names holding a dict literal (`headers = {...}`, a module's too) that a return may use. */
  private readonly dicts: Map<string, Node>;
  /** Names holding the response this handler was given (hook parameter, `await call_next(...)`). */
  private readonly given = new Set<string>();
  /**
   * What a middleware calls for the response further in: `call_next`, Django's `get_response`, a
   * parameter it is given after the request (aiohttp's `handler`, also a factory's).
   */
  private readonly next = new Set(['call_next', 'get_response']);
  /** Names holding a response built here, with its status and headers. */
  private readonly built = new Map<string, Pick<Return, 'status' | 'headers' | 'headersAt'>>();
  /**
   * Names assigned a response in branches (`response = HttpResponse(status=204)` for OPTIONS,
   * `response = view(request)` else, then `return response`): each assignment in order, with the
   * branch conditions it runs under; what it holds is read when it is assigned.
   */
  private readonly responses = new Map<string, { path: HandsetCondition[]; returns: Return }[]>();
  /** The conditions of the branches being read. */
  private readonly path: HandsetCondition[] = [];
  /** Locals computed from the Origin (see `derive`). */
  private readonly derived = new Set<string>();
  /** The status Tornado's `self.set_status(n)` set last, in reading order. */
  private status: number | 'dynamic' | undefined;
  /**
   * Locals chosen in branches and written as a header later (`allowed = "*"` in one branch,
   * `allowed = origin` in another, then `resp.headers[ACAO] = allowed`): each assignment of a
   * string, the Origin or None (null), in order, with the branch conditions it runs under.
   */
  private readonly chosen = new Map<string, { path: HandsetCondition[]; value: Node | null }[]>();

  constructor(
    private readonly file: string,
    private readonly evaluator: PythonEvaluator,
    /** Module-level functions whose steps a `return helper(...)` reads in place. */
    private readonly helpers: ReadonlyMap<string, Node> = new Map(),
    /** The helpers being read (a recursive helper is read once). */
    private readonly reading: ReadonlySet<string> = new Set(),
    /** Module-level names bound to a dict literal (`CORS_HEADERS = {...}`). */
    private readonly moduleDicts: ReadonlyMap<string, Node> = new Map(),
    /** Whether `self.helper()` as a statement brings the helper's writes (Tornado's handlers). */
    private readonly statementCalls = false,
    /** Whether a `True` header value is sent as "True" (Werkzeug, Django, Tornado write `str(v)`). */
    private readonly boolAsText = false,
  ) {
    this.dicts = new Map(moduleDicts);
  }

  read(fn: Node, stage: HandsetHandler['stage'], route?: HandsetHandler['route']): HandsetHandler {
    const params =
      fn.childForFieldName('parameters')?.namedChildren.filter((p): p is Node => !!p) ?? [];
    // `after_request(response)`, `process_response(self, request, response)`: the last parameter.
    const response =
      stage === 'after'
        ? params[params.length - 1]?.text.replace(/[:=].*$/s, '').trim()
        : undefined;
    if (response) this.given.add(response);
    if (stage === 'before')
      for (const name of [...parameterNames(fn).slice(1), ...outerParameters(fn)])
        this.next.add(name);
    const body = fn.childForFieldName('body');
    const steps = body ? this.block(body) : [];
    // A Tornado method that set a status and ran to its end answers with that status.
    if (stage === 'view' && this.status !== undefined && steps.at(-1)?.kind !== 'return')
      steps.push({ ...this.returnOf(fn, undefined), passThrough: false });
    return { stage, route, steps, response, span: at(this.file, fn) };
  }

  private block(block: Node): HandsetStep[] {
    return afterEarlyExits(
      block.namedChildren.flatMap((statement) => (statement ? [this.statement(statement)] : [])),
      (step) => step.kind === 'return',
    );
  }

  /** A statement's steps; past the shared nesting cap none (no real handler nests that deep). */
  private statement(node: Node): HandsetStep[] {
    return nested(
      () => this.statementSteps(node),
      () => [],
    );
  }

  private statementSteps(node: Node): HandsetStep[] {
    if (node.hasError) return [];
    switch (node.type) {
      case 'expression_statement': {
        const inner = node.namedChildren[0];
        if (inner?.type === 'assignment') return this.assignment(node, inner);
        const call = inner?.type === 'await' ? inner.namedChildren[0] : inner;
        return call?.type === 'call' ? this.callSteps(node, call) : [];
      }
      case 'if_statement':
        return [this.ifStep(node)];
      case 'return_statement': {
        // `return "", 200, self.cors_headers()`: the helper's writes, then the return.
        const value = node.namedChildren[0];
        const parts =
          value?.type === 'expression_list' || value?.type === 'tuple' ? value.namedChildren : [];
        const inlined = parts.flatMap((part) => this.writesOf(part) ?? []);
        return this.helperSteps(node) ?? [...inlined, this.returnStep(node)];
      }
      // A loop's body may run any number of times, none included: read under a test not known.
      case 'for_statement':
      case 'while_statement': {
        const body = node.childForFieldName('body');
        return body ? this.within([{ kind: 'unknown' }], () => this.block(body)) : [];
      }
      case 'try_statement':
      case 'with_statement': {
        const body =
          node.childForFieldName('body') ??
          node.namedChildren.find((c) => c?.type === 'block') ??
          null;
        return body ? this.block(body) : [];
      }
      default:
        return [];
    }
  }

  private ifStep(node: Node): HandsetStep {
    const test = this.test(node.childForFieldName('condition'));
    const then = node.childForFieldName('consequence');
    const alternatives = node.childrenForFieldName('alternative').filter((a): a is Node => !!a);
    // Read in source order, each body with the conditions that lead to it (a local chosen in one
    // branch is written as a header later: see `chosen`).
    const thenSteps = then ? this.within([test], () => this.block(then)) : [];
    const before: HandsetCondition[] = [{ kind: 'not', inner: test }];
    const read = alternatives.map((alt) => {
      const body =
        alt.childForFieldName('consequence') ??
        alt.childForFieldName('body') ??
        alt.namedChildren.find((c) => c?.type === 'block') ??
        null;
      const elif =
        alt.type === 'elif_clause' ? this.test(alt.childForFieldName('condition')) : null;
      const steps = body
        ? this.within(elif ? [...before, elif] : before, () => this.block(body))
        : [];
      if (elif) before.push({ kind: 'not', inner: elif });
      return { alt, elif, steps };
    });
    // elif chains nest: `if a: ... elif b: ... else: ...` is `if a: ... else: (if b: ... else: ...)`.
    let otherwise: HandsetStep[] = [];
    for (let i = read.length - 1; i >= 0; i--) {
      const { alt, elif, steps } = read[i];
      otherwise = elif
        ? [{ kind: 'if', test: elif, then: steps, otherwise, span: at(this.file, alt) }]
        : steps;
    }
    return { kind: 'if', test, then: thenSteps, otherwise, span: at(this.file, node) };
  }

  /** Reads with `conditions` added to the path of enclosing branches. */
  private within<T>(conditions: HandsetCondition[], read: () => T): T {
    const depth = this.path.length;
    this.path.push(...conditions);
    try {
      return read();
    } finally {
      this.path.length = depth;
    }
  }

  /**
   * When a local holding the Origin counts as set: `is not None` once the header is sent (always,
   * with a default), `if origin:` once it is not empty (always, with a non-empty default).
   */
  private originSet(value: Node, test: string): HandsetCondition {
    const fallback = originDefault(value, this.origins);
    if (/ None$/.test(test))
      return fallback !== undefined ? { kind: 'and', parts: [] } : { kind: 'origin-sent' };
    return fallback ? { kind: 'and', parts: [] } : { kind: 'origin-present' };
  }

  /**
   * Names computed from the Origin without being it (`match = re.match(..., origin)`, then
   * `scheme, host = match.groups()`): a test of them the reader cannot read is a test of the
   * Origin it cannot read, never one that lets every origin through (mod-ui's host allowlist,
   * held-out batch 26).
   */
  private derive(left: Node, right: Node): void {
    const targets =
      left.type === 'identifier'
        ? [left]
        : left.descendantsOfType('identifier').filter((n): n is Node => !!n);
    const from = right.descendantsOfType('identifier').some((id) => {
      const name = id?.text ?? '';
      return this.origins.has(name) || this.derived.has(name);
    });
    for (const target of targets)
      if (from && !isOrigin(right, this.origins)) this.derived.add(target.text);
      else this.derived.delete(target.text);
  }

  /** An `if` test; `if allowed:` / `if allowed is not None:` on a chosen local is "some branch set it". */
  private test(node: Node | null): HandsetCondition {
    const read = this.plainTest(node);
    const unknown = (c: HandsetCondition): boolean =>
      c.kind === 'unknown' ||
      (c.kind === 'not' && unknown(c.inner)) ||
      ((c.kind === 'and' || c.kind === 'or') && c.parts.some(unknown));
    const mentions =
      unknown(read) &&
      !!node?.descendantsOfType('identifier').some((id) => this.derived.has(id?.text ?? ''));
    return mentions ? { kind: 'origin-unread' } : read;
  }

  private plainTest(node: Node | null): HandsetCondition {
    const inner = node?.type === 'parenthesized_expression' ? node.namedChildren[0] : node;
    const compact = inner?.text.replace(/\s+/g, ' ') ?? '';
    const set = /^(\w+)(?: is not None| != None)?$/.exec(compact);
    const unset = /^(?:not (\w+)|(\w+) is None|(\w+) == None)$/.exec(compact);
    const name = set?.[1] ?? unset?.slice(1).find(Boolean);
    const options = name ? this.chosen.get(name) : undefined;
    if (!options) return condition(node, this.origins, this.evaluator, this.tests);
    // `if allowed:` is false for "" too; `is not None` only for None.
    const unsetBy = (value: Node | null) => !value || (!/ None$/.test(compact) && falsy(value));
    // The last assignment whose branch runs decides; set when that one is not None.
    let chosen: HandsetCondition = { kind: 'or', parts: [] };
    for (const o of options) {
      const here = all(o.path);
      const sent = o.value && isOrigin(o.value, this.origins) && this.originSet(o.value, compact);
      if (sent) {
        // The Origin itself (`origin = request.headers.get("Origin")`): set when it was sent.
        chosen = {
          kind: 'or',
          parts: [
            { kind: 'and', parts: [here, sent] },
            { kind: 'and', parts: [{ kind: 'not', inner: here }, chosen] },
          ],
        };
        continue;
      }
      chosen = !unsetBy(o.value)
        ? { kind: 'or', parts: [here, chosen] }
        : { kind: 'and', parts: [{ kind: 'not', inner: here }, chosen] };
    }
    return set ? chosen : { kind: 'not', inner: chosen };
  }

  private assignment(statement: Node, node: Node): HandsetStep[] {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (!left || !right) return [];
    this.derive(left, right);
    if (left.type === 'identifier') {
      // `h = self.cors_headers()`: the helper's writes land on the response `h` is returned with.
      const inlined = this.writesOf(right);
      this.chooseFrom(left.text, right);
      this.origins.delete(left.text);
      this.tests.delete(left.text);
      // `listed = origin in ALLOWED` or `enabled = settings.get(...)`, later `if listed:`.
      const test = isOrigin(right, this.origins)
        ? undefined
        : condition(right, this.origins, this.evaluator, this.tests);
      // `found = True` under a test (`for d in domains: if d in origin: found = True`): later
      // `if found:` holds where that test did (an earlier `found = False` sets nothing).
      const flag = right.type === 'true' && this.path.length ? all([...this.path]) : undefined;
      if (flag) this.tests.set(left.text, flag);
      else if (test && test.kind !== 'unknown') this.tests.set(left.text, test);
      if (isOrigin(right, this.origins))
        this.origins.set(left.text, originDefault(right, this.origins));
      if (right.type === 'dictionary') this.dicts.set(left.text, right);
      else this.dicts.delete(left.text);
      const call = right.type === 'await' ? right.namedChildren[0] : right;
      this.given.delete(left.text);
      this.built.delete(left.text);
      if (
        call?.type === 'call' &&
        this.next.has((call.childForFieldName('function')?.text ?? '').replace(/^self\./, ''))
      )
        this.given.add(left.text);
      else if (
        call?.type === 'call' &&
        CONSTRUCTORS.test(call.childForFieldName('function')?.text ?? '')
      )
        this.built.set(left.text, this.constructed(call));
      const returns = this.returnOf(statement, left);
      const earlier = this.path.length ? (this.responses.get(left.text) ?? []) : [];
      this.responses.set(left.text, [...earlier, { path: [...this.path], returns }]);
      return inlined ?? [];
    }
    if (left.type !== 'subscript') return [];
    const target = left.childForFieldName('value')?.text ?? '';
    const key = this.evaluator.evaluate(left.childForFieldName('subscript'));
    if (key?.kind !== 'str' || !(/\.headers$/.test(target) || CORS_NAME.test(key.value))) return [];
    if (right.type === 'conditional_expression') {
      // Written straight from `a if test else b`: as a local chosen that way, then written.
      this.chooseFrom(WRITTEN, right);
      const steps = this.chosenHeader('set', key.value, WRITTEN, statement);
      this.chosen.delete(WRITTEN);
      if (steps) return steps;
    }
    const chosen =
      right.type === 'identifier' && this.chosenHeader('set', key.value, right.text, statement);
    return chosen || [this.header('set', key.value, right, statement)];
  }

  /** `choose`, with `a if test else b` read as an `if` that assigns each in its branch. */
  private chooseFrom(name: string, value: Node): void {
    const [then, test, otherwise] =
      value.type === 'conditional_expression'
        ? value.namedChildren.filter((c) => c?.type !== 'comment')
        : [];
    if (!then || !test || !otherwise) return this.choose(name, value);
    const holds = condition(test, this.origins, this.evaluator, this.tests);
    this.path.push({ kind: 'not', inner: holds });
    this.choose(name, otherwise);
    this.path.pop();
    // An unknown `else` value makes the local unknown whatever the `if` value is.
    if (!this.chosen.has(name)) return;
    this.path.push(holds);
    this.choose(name, then);
    this.path.pop();
  }

  /** Records an assignment of a local that a header may be written from (see `chosen`). */
  private choose(name: string, value: Node): void {
    const known =
      value.type === 'none' ||
      isOrigin(value, this.origins) ||
      headerValue(value, this.origins, this.evaluator, this.boolAsText).kind === 'literal';
    const earlier = this.chosen.get(name) ?? [];
    if (!known) {
      this.chosen.delete(name);
      return;
    }
    earlier.push({ path: [...this.path], value: value.type === 'none' ? null : value });
    this.chosen.set(name, earlier);
  }

  /** A header written from a chosen local: the value of the last assignment whose branch ran. */
  private chosenHeader(
    op: HandsetHeader['op'],
    name: string,
    local: string,
    statement: Node,
  ): HandsetStep[] | undefined {
    const options = this.chosen.get(local);
    if (!options) return undefined;
    let steps: HandsetStep[] = [];
    for (const option of options) {
      // An empty value lets no origin in, as no header does.
      const then =
        option.value && !empty(option.value)
          ? [this.header(op, name, option.value, statement)]
          : [];
      steps = option.path.length
        ? [
            {
              kind: 'if',
              test: all(option.path),
              then,
              otherwise: steps,
              span: at(this.file, statement),
            },
          ]
        : then;
    }
    return steps;
  }

  private header(
    op: HandsetHeader['op'],
    name: string,
    value: Node,
    statement: Node,
  ): HandsetHeader {
    return {
      kind: 'header',
      op,
      name,
      value: headerValue(value, this.origins, this.evaluator, this.boolAsText),
      span: at(this.file, statement),
      valueSpan: at(this.file, value),
    };
  }

  /**
   * A call as a statement: a header write; Tornado's `self.set_status(n)` (the status the response
   * ends with) and `self.finish()` (it ends here); a method of the class called for its writes
   * (`self.set_cors_headers()`).
   */
  private callSteps(statement: Node, call: Node): HandsetStep[] {
    const callee = call.childForFieldName('function')?.text.replace(/\s+/g, '') ?? '';
    if (callee === 'self.set_status') {
      const [code] = callArguments(call).positional;
      const value = code && this.evaluator.evaluate(code);
      this.status = value?.kind === 'int' ? value.value : 'dynamic';
      return [];
    }
    if (callee === 'self.finish')
      return [{ ...this.returnOf(statement, undefined), passThrough: false }];
    return this.headerCall(statement, call) ?? [];
  }

  private headerCall(statement: Node, call: Node): HandsetStep[] {
    const match = HEADER_METHODS.exec(
      call.childForFieldName('function')?.text.replace(/\s+/g, '') ?? '',
    );
    if (!match) return (this.statementCalls && this.writesOf(call)) || [];
    // WebOb's (Pyramid's) `response.headerlist.append((name, value))`: one more line, a pair.
    const pair = match[3] ? callArguments(call).positional[0] : undefined;
    const { positional } =
      pair?.type === 'tuple'
        ? { positional: pair.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') }
        : callArguments(call);
    // Tornado's `self.set_header` replaces; `self.add_header` and http.server's `send_header` add.
    const method = match[1] ?? (match[2] === 'set_header' ? 'set' : 'add');
    if (method === 'update' || method === 'extend')
      return positional[0]
        ? this.dictHeaders(positional[0], method === 'update' ? 'set' : 'add')
        : [];
    const name = positional[0] && this.evaluator.evaluate(positional[0]);
    if (name?.kind !== 'str' || !positional[1]) return [];
    const op = method === 'set' ? 'set' : method === 'setdefault' ? 'setdefault' : 'add';
    return [this.header(op, name.value, positional[1], statement)];
  }

  /** A dict literal, or a local name bound to one. */
  private dict(node: Node | undefined): Node | undefined {
    return node?.type === 'identifier'
      ? this.dicts.get(node.text)
      : node?.type === 'dictionary'
        ? node
        : undefined;
  }

  /** The entries of a `{name: value}` literal (or a name bound to one) as header steps. */
  private dictHeaders(node: Node, op: HandsetHeader['op']): HandsetHeader[] {
    const dict = this.dict(node);
    if (!dict) return [];
    return dict.namedChildren.flatMap((pair) => {
      const key =
        pair?.type === 'pair' ? this.evaluator.evaluate(pair.childForFieldName('key')) : undefined;
      const value = pair?.childForFieldName('value');
      return pair && key?.kind === 'str' && value ? [this.header(op, key.value, value, pair)] : [];
    });
  }

  /** Status and headers of `make_response(body, 204, {...})`, `Response(status=204, headers={...})`. */
  private constructed(call: Node): Pick<Return, 'status' | 'headers' | 'headersAt'> {
    const { positional, keywords } = callArguments(call);
    const statusNode =
      keywords.get('status')?.childForFieldName('value') ??
      keywords.get('status_code')?.childForFieldName('value') ??
      positional[1];
    const status = statusNode ? this.evaluator.evaluate(statusNode) : undefined;
    const headersNode = this.dict(
      keywords.get('headers')?.childForFieldName('value') ??
        positional.find((p, i) => i > 0 && !!this.dict(p)),
    );
    return {
      status: !statusNode ? 200 : status?.kind === 'int' ? status.value : 'dynamic',
      headers: headersNode ? this.dictHeaders(headersNode, 'set') : [],
      headersAt: headersNode && at(this.file, headersNode),
    };
  }

  /**
   * A method of the class called for headers (`self.cors_headers()`): its header writes, its
   * returns' headers among them; undefined for any other expression.
   */
  private writesOf(value: Node | null | undefined): HandsetStep[] | undefined {
    const name = value?.type === 'call' ? value.childForFieldName('function')?.text : undefined;
    const helper =
      name?.startsWith('self.') && !this.reading.has(name) ? this.helpers.get(name) : undefined;
    if (!name || !helper) return undefined;
    const writes = (steps: HandsetStep[]): HandsetStep[] =>
      steps.flatMap((step): HandsetStep[] =>
        step.kind === 'return'
          ? step.headers
          : step.kind === 'if'
            ? [{ ...step, then: writes(step.then), otherwise: writes(step.otherwise) }]
            : [step],
      );
    return writes(this.readHelper(name, helper));
  }

  /** A helper's steps as a view's, read by a reader that will not read it again inside. */
  private readHelper(name: string, helper: Node): HandsetStep[] {
    return new HandlerReader(
      this.file,
      this.evaluator,
      this.helpers,
      new Set([...this.reading, name]),
      this.moduleDicts,
      this.statementCalls,
      this.boolAsText,
    ).read(helper, 'view').steps;
  }

  /** `return helper(...)` of a module-level function: the helper's steps (its returns are ours). */
  private helperSteps(node: Node): HandsetStep[] | undefined {
    const value = node.namedChildren[0];
    const name = value?.type === 'call' ? value.childForFieldName('function')?.text : undefined;
    const helper = name && !this.reading.has(name) ? this.helpers.get(name) : undefined;
    if (!name || !helper) return undefined;
    return this.readHelper(name, helper);
  }

  private returnStep(node: Node): HandsetStep {
    const value = node.namedChildren[0];
    const options = value?.type === 'identifier' ? this.responses.get(value.text) : undefined;
    // Assigned in branches: the last assignment whose branch ran is what is returned.
    if (!options?.some((o) => o.path.length)) return this.returnOf(node, value);
    let steps: HandsetStep[] = [];
    for (const { path, returns } of options)
      steps = path.length
        ? [
            {
              kind: 'if',
              test: all(path),
              then: [returns],
              otherwise: steps,
              span: at(this.file, node),
            },
          ]
        : [returns];
    return steps[0];
  }

  /** What `return value` gives, from what the names hold now. */
  private returnOf(node: Node, value: Node | null | undefined): Return {
    const span = at(this.file, node);
    const base = { kind: 'return' as const, span, passThrough: false };
    if (!value || value.type === 'none')
      return { ...base, status: this.status ?? 200, headers: [], passThrough: true };
    if (value.type === 'identifier' && this.given.has(value.text))
      return { ...base, status: 200, headers: [], passThrough: true };
    if (value.type === 'identifier')
      return { ...base, ...(this.built.get(value.text) ?? { status: 'dynamic', headers: [] }) };
    if (value.type === 'call' && CONSTRUCTORS.test(value.childForFieldName('function')?.text ?? ''))
      return { ...base, ...this.constructed(value) };
    const parts =
      value.type === 'expression_list' || value.type === 'tuple'
        ? value.namedChildren.filter((c): c is Node => !!c)
        : [];
    if (parts.length >= 2) {
      // `return body, status[, headers]` or `return body, headers`.
      const status = this.evaluator.evaluate(parts[1]);
      const dict = this.dict(parts.slice(1).find((p) => !!this.dict(p)));
      return {
        ...base,
        status: this.dict(parts[1]) ? 200 : status?.kind === 'int' ? status.value : 'dynamic',
        headers: dict ? this.dictHeaders(dict, 'set') : [],
        headersAt: dict && at(this.file, dict),
      };
    }
    return { ...base, status: 200, headers: [] };
  }
}
