/**
 * Reads one Express handler (`(req, res, next) => {...}`) into the steps that shape its
 * response: header writes (`res.set/header/setHeader/append/vary`, `res.writeHead`, chains of
 * them), status changes, `if` branches on the method or Origin, and how it ends (`res.sendStatus`,
 * `res.end`, `res.json`..., `next()`, `throw`). Helper functions of the module that receive `res`
 * and only write headers are read in place.
 */
import type { Node } from 'web-tree-sitter';
import type { NodeHandler, NodeHeaderWrite, NodeInsertion, NodeStep, NodeWriteOp } from './facts';
import {
  type JsEvaluator,
  jsStringValue,
  spanOf,
  unwrap,
  argumentsOf,
} from '../../lang/javascript/evaluate';
import { nested } from '../../lang/nesting';
import {
  condition,
  evaluate,
  headerRead,
  headerValue,
  requestData,
  type HandlerScope,
} from './expressions';

/** Response methods that send it. */
const ENDING = new Set([
  'end',
  'send',
  'json',
  'jsonp',
  'sendFile',
  'render',
  'redirect',
  'download',
]);
const WRITE_OPS: Record<string, NodeWriteOp> = {
  set: 'set',
  header: 'set',
  setHeader: 'setHeader',
  append: 'append',
  vary: 'vary',
};
const FUNCTION_TYPES = new Set([
  'arrow_function',
  'function_expression',
  'function',
  'function_declaration',
]);
const MAX_DEPTH = 3;

/** The names an h3 handler's event gives: its Node request and response. */
const h3Scope = (event: string) => ({
  event,
  req: `${event}.node.req`,
  res: `${event}.node.res`,
});

/**
 * h3's response helpers (`setResponseHeader(event, name, value)`, ...), as the `res` method each
 * stands for: the same write on `event.node.res`.
 */
const H3_WRITES: Record<string, string> = {
  setResponseHeader: 'setHeader',
  setHeader: 'setHeader',
  appendResponseHeader: 'append',
  appendHeader: 'append',
  setResponseHeaders: 'setHeaders',
  setHeaders: 'setHeaders',
  setResponseStatus: 'status',
};

/** Whether a node is a function whose body can be read. */
export const isHandlerFunction = (node: Node): boolean => FUNCTION_TYPES.has(node.type);

/** The parameter names of a function (`undefined` where one is a pattern). */
export function parameterNames(fn: Node): (string | undefined)[] {
  const single = fn.childForFieldName('parameter');
  if (single) return [single.type === 'identifier' ? single.text : undefined];
  return (fn.childForFieldName('parameters')?.namedChildren ?? [])
    .filter((p): p is Node => !!p && p.type !== 'comment')
    .map((p) => {
      const id =
        p.type === 'identifier'
          ? p
          : (p.childForFieldName('pattern') ?? p.childForFieldName('left'));
      return id?.type === 'identifier' ? id.text : undefined;
    });
}

/** One call of a chain on the response object: `res.status(204).set(...)` is `status`, then `set`. */
interface ChainCall {
  method: string;
  args: Node[];
  node: Node;
}

/** Whether a header write sets an `Access-Control-*` header (in these steps or their branches). */
export const writesCors = (steps: NodeStep[]): boolean =>
  steps.some((s) =>
    s.kind === 'header'
      ? /^access-control-/i.test(s.name)
      : s.kind === 'if'
        ? writesCors(s.then) || writesCors(s.otherwise)
        : false,
  );

/**
 * Whether a call is the last thing its handler does: an arrow function's expression body,
 * `return f(...)`, or the last statement of the function's own body.
 */
function tailCall(call: Node, statement: Node | undefined): boolean {
  if (!statement) return call.parent?.type === 'arrow_function';
  if (statement.type === 'return_statement') return true;
  const block = statement.parent;
  if (block?.type !== 'statement_block' || !/function|method/.test(block.parent?.type ?? ''))
    return false;
  const last = block.namedChildren.filter((c) => c && c.type !== 'comment').pop();
  return last?.startIndex === statement.startIndex;
}

const hasReturn = (steps: NodeStep[]): boolean =>
  steps.some(
    (s) =>
      s.kind === 'return' ||
      s.kind === 'end' ||
      s.kind === 'next' ||
      (s.kind === 'if' && (hasReturn(s.then) || hasReturn(s.otherwise))),
  );

/** Reads handler functions of one module. */
export class HandlerReader {
  private depth = 0;
  /** Helper functions read in place (by start offset): they are part of their callers' policies. */
  readonly inlined = new Set<number>();

  constructor(
    private readonly js: JsEvaluator,
    private readonly text: string,
  ) {}

  private get file(): string {
    return this.js.file;
  }

  /** The steps of a handler; undefined for Express error handlers (four parameters), which never run for a request. */
  read(fn: Node, h3 = false): NodeHandler | undefined {
    const names = parameterNames(fn);
    if (names.length >= 4 || fn.hasError || (h3 && !names[0])) return undefined;
    const [req, res, next] = names;
    const scope: HandlerScope = h3
      ? { js: this.js, ...h3Scope(names[0]!), reads: new Map(), values: new Map() }
      : { js: this.js, req, res, next, reads: new Map(), values: new Map() };
    const steps = this.body(fn, scope);
    const body = fn.childForFieldName('body');
    const first =
      body?.type === 'statement_block'
        ? body.namedChildren.find((c) => c && c.type !== 'comment')
        : undefined;
    const lineStart = first ? this.text.lastIndexOf('\n', first.startIndex - 1) + 1 : 0;
    const indent = first ? this.text.slice(lineStart, first.startIndex) : '';
    return {
      span: spanOf(this.file, fn),
      steps,
      req: scope.req,
      res: scope.res,
      firstStatement: first && !indent.trim() ? { start: first.startIndex, indent } : undefined,
      writesCors: writesCors(steps),
    };
  }

  private body(fn: Node, scope: HandlerScope): NodeStep[] {
    const body = fn.childForFieldName('body');
    if (!body) return [];
    return body.type === 'statement_block'
      ? this.block(body, scope)
      : this.expression(body, scope, undefined);
  }

  private block(block: Node, scope: HandlerScope): NodeStep[] {
    const steps: NodeStep[] = [];
    for (const statement of block.namedChildren)
      if (statement) steps.push(...this.statement(statement, scope));
    return steps;
  }

  /** A statement's steps; past the shared nesting cap none (a handler nested that deep is generated, not real). */
  private statement(node: Node, scope: HandlerScope): NodeStep[] {
    return nested(
      () => this.statementSteps(node, scope),
      () => [],
    );
  }

  private statementSteps(node: Node, scope: HandlerScope): NodeStep[] {
    if (node.hasError) return [];
    const span = spanOf(this.file, node);
    switch (node.type) {
      case 'expression_statement': {
        const expr = node.namedChildren[0];
        return expr ? this.expression(expr, scope, node) : [];
      }
      case 'lexical_declaration':
      case 'variable_declaration':
        this.declare(node, scope);
        return [];
      case 'if_statement': {
        const test = node.childForFieldName('condition');
        const consequence = node.childForFieldName('consequence');
        const alternative = node
          .childForFieldName('alternative')
          ?.namedChildren.find((c) => c && c.type !== 'comment');
        if (!alternative && this.fallbackChosen(test, consequence, scope)) return [];
        // Findings about the branch go on `if (...)`, not on its whole body.
        const head = { ...span, end: test?.endIndex ?? span.end };
        return [
          {
            kind: 'if',
            test: condition(test, scope),
            then: consequence ? this.statement(consequence, scope) : [],
            otherwise: alternative ? this.statement(alternative, scope) : [],
            span: head,
          },
        ];
      }
      case 'return_statement': {
        const expr = node.namedChildren.find((c) => c && c.type !== 'comment');
        const steps = expr ? this.expression(expr, scope, node) : [];
        const last = steps[steps.length - 1];
        return last && ['end', 'next', 'error'].includes(last.kind)
          ? steps
          : [...steps, { kind: 'return', span }];
      }
      case 'throw_statement':
        return [{ kind: 'error', span }];
      case 'statement_block':
        return this.block(node, scope);
      case 'try_statement': {
        // The happy path: what `catch` does is an error case the model does not follow.
        const body = node.childForFieldName('body');
        return body ? this.block(body, scope) : [];
      }
      default:
        return [];
    }
  }

  /**
   * `let origin = '*'; if (req.headers.origin) origin = req.headers.origin;` (or an object's member,
   * `cors.origin`, that starts as the literal): the header with the
   * literal as its fallback, as `req.headers.origin || '*'` reads (mockbin, held-out batch 29:
   * preview said blocked where Express reflected the Origin). The local then holds that read.
   */
  private fallbackChosen(
    test: Node | null,
    consequence: Node | null,
    scope: HandlerScope,
  ): boolean {
    const body =
      consequence?.type === 'statement_block'
        ? consequence.namedChildren.filter((c) => c && c.type !== 'comment')
        : [consequence];
    const assignment = body.length === 1 ? unwrap(body[0]?.namedChildren[0] ?? body[0]!) : null;
    if (assignment?.type !== 'assignment_expression' || !test) return false;
    const name = assignment.childForFieldName('left');
    const read = headerRead(assignment.childForFieldName('right'), scope);
    const tested = headerRead(unwrap(test), scope);
    const literal =
      name?.type === 'identifier'
        ? scope.literals?.get(name.text)
        : name?.type === 'member_expression'
          ? memberLiteral(name, scope)
          : undefined;
    if (!name || !read || !tested || read.header !== tested.header || literal === undefined)
      return false;
    // A member (`cors.origin`) is read back by its text, as `headerRead` looks it up.
    const key = name.text.replace(/\s+/g, '');
    scope.reads.set(key, { ...read, fallback: { value: literal, whenEmpty: true } });
    scope.literals?.delete(key);
    return true;
  }

  /** `const origin = req.headers.origin`, `const { origin } = req.headers`, `const allowed = [...]`. */
  private declare(node: Node, scope: HandlerScope): void {
    for (const declarator of node.namedChildren) {
      if (declarator?.type !== 'variable_declarator') continue;
      const name = declarator.childForFieldName('name');
      const value = declarator.childForFieldName('value');
      if (!name || !value) continue;
      if (name.type === 'identifier') {
        const read = headerRead(value, scope);
        const data = read ? undefined : requestData(value, scope);
        if (read) scope.reads.set(name.text, read);
        else if (data) (scope.data ??= new Map()).set(name.text, data);
        else if (node.type === 'lexical_declaration' && node.text.startsWith('const'))
          scope.values.set(name.text, value);
        else if (value.type === 'string' || value.type === 'template_string') {
          const literal = jsStringValue(value);
          if (literal !== undefined) (scope.literals ??= new Map()).set(name.text, literal);
        }
      } else if (
        name.type === 'object_pattern' &&
        scope.req &&
        unwrap(value).text.replace(/\s+/g, '') === `${scope.req}.headers`
      ) {
        for (const part of name.namedChildren)
          if (part?.type === 'shorthand_property_identifier_pattern')
            scope.reads.set(part.text, { header: part.text });
      } else if (name.type === 'object_pattern' && scope.req) {
        // `const { origin } = req.query`: each name holds that part's field.
        const part = /^(\w+)\.(query|body|params|cookies)$/.exec(
          unwrap(value).text.replace(/\s+/g, ''),
        );
        if (part?.[1] === scope.req)
          for (const field of name.namedChildren)
            if (field?.type === 'shorthand_property_identifier_pattern')
              (scope.data ??= new Map()).set(field.text, {
                kind: 'request-data',
                source: `${part[0]}.${field.text}`,
                query: part[2] === 'query' ? field.text : undefined,
              });
      }
    }
  }

  /** The steps of an expression evaluated for its effects; `statement` holds it when it stands alone. */
  private expression(input: Node, scope: HandlerScope, statement: Node | undefined): NodeStep[] {
    let node = unwrap(input);
    if (node.type === 'await_expression') node = unwrap(node.namedChildren[0] ?? node);
    const span = spanOf(this.file, node);
    if (node.type === 'assignment_expression') return this.assignment(node, scope);
    if (
      node.type === 'binary_expression' &&
      ['&&', '||'].includes(node.childForFieldName('operator')?.text ?? '')
    ) {
      // `allowed.has(origin) && res.set(...)`: the right side runs when the left is truthy (`||`: falsy).
      const test = condition(node.childForFieldName('left'), scope);
      const right = node.childForFieldName('right');
      const steps = right ? this.expression(right, scope, undefined) : [];
      const and = node.childForFieldName('operator')?.text === '&&';
      return steps.length
        ? [
            {
              kind: 'if',
              test: and ? test : { kind: 'not', inner: test },
              then: steps,
              otherwise: [],
              span,
            },
          ]
        : [];
    }
    if (node.type === 'ternary_expression') {
      const [then, otherwise] = [
        node.childForFieldName('consequence'),
        node.childForFieldName('alternative'),
      ];
      return [
        {
          kind: 'if',
          test: condition(node.childForFieldName('condition'), scope),
          then: then ? this.expression(then, scope, undefined) : [],
          otherwise: otherwise ? this.expression(otherwise, scope, undefined) : [],
          span,
        },
      ];
    }
    if (node.type === 'call_expression') return this.call(node, scope, statement);
    return [];
  }

  /** `res.statusCode = 204`; a reassigned local stops being known. */
  private assignment(node: Node, scope: HandlerScope): NodeStep[] {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (left?.type === 'identifier') {
      scope.reads.delete(left.text);
      scope.values.delete(left.text);
      scope.data?.delete(left.text);
      scope.literals?.delete(left.text);
    }
    // A member read as a header (`cors.origin`) written again is no longer known.
    if (left?.type === 'member_expression') scope.reads.delete(left.text.replace(/\s+/g, ''));
    if (
      !left ||
      !right ||
      !scope.res ||
      left.text.replace(/\s+/g, '') !== `${scope.res}.statusCode`
    )
      return [];
    const value = evaluate(right, scope);
    return [{ kind: 'status', status: value.kind === 'int' ? value.value : 'dynamic' }];
  }

  private call(node: Node, scope: HandlerScope, statement: Node | undefined): NodeStep[] {
    const fn = node.childForFieldName('function');
    if (fn?.type === 'identifier' && fn.text === scope.next) {
      const [arg] = argumentsOf(node);
      const value = arg && evaluate(arg, scope);
      // `next('route')` / `next('router')` go on; any other argument is an error.
      const on = !value || (value.kind === 'str' && ['route', 'router'].includes(value.value));
      return [{ kind: on ? 'next' : 'error', span: spanOf(this.file, node) }];
    }
    const h3 = fn?.type === 'identifier' && scope.event ? H3_WRITES[fn.text] : undefined;
    const args = argumentsOf(node);
    if (h3 && args[0]?.text === scope.event) {
      const standalone =
        statement && statement.parent?.type === 'statement_block'
          ? spanOf(this.file, statement)
          : undefined;
      const [first, second] = args.slice(1);
      if (h3 === 'status') return first ? [this.status(first, scope)] : [];
      if (h3 === 'setHeaders')
        return first ? this.objectWrites('setHeader', fn!.text, first, scope) : [];
      const op = h3 === 'append' ? 'append' : 'setHeader';
      return first && second
        ? this.write(op, fn!.text, first, second, node, scope, standalone)
        : [];
    }
    if (fn?.type === 'identifier')
      return this.helper(node, fn.text, scope, tailCall(node, statement));
    const chain = this.chain(node, scope);
    return chain ? this.chainSteps(chain, scope, statement) : [];
  }

  /** The calls of `res.a(...).b(...)`, innermost first; undefined when the chain is not on `res`. */
  private chain(node: Node, scope: HandlerScope): { calls: ChainCall[]; base: Node } | undefined {
    const calls: ChainCall[] = [];
    let current: Node = node;
    for (;;) {
      const fn = current.type === 'call_expression' ? current.childForFieldName('function') : null;
      if (fn?.type !== 'member_expression') break;
      const object = fn.childForFieldName('object');
      calls.unshift({
        method: fn.childForFieldName('property')?.text ?? '',
        args: argumentsOf(current),
        node: current,
      });
      if (!object) return undefined;
      current = unwrap(object);
    }
    // The response by its name, or h3's `event.node.res`.
    return (current.type === 'identifier' || current.type === 'member_expression') &&
      current.text.replace(/\s+/g, '') === scope.res &&
      calls.length
      ? { calls, base: current }
      : undefined;
  }

  private chainSteps(
    { calls, base }: { calls: ChainCall[]; base: Node },
    scope: HandlerScope,
    statement: Node | undefined,
  ): NodeStep[] {
    const steps: NodeStep[] = [];
    const standalone =
      statement && statement.parent?.type === 'statement_block'
        ? spanOf(this.file, statement)
        : undefined;
    const at: NodeInsertion = {
      statement: standalone,
      afterReceiver: base.endIndex,
      receiver: base.text,
    };
    for (const { method, args, node } of calls) {
      const op = WRITE_OPS[method];
      const single = calls.length === 1 ? standalone : undefined;
      if (op === 'vary' && args[0])
        steps.push(...this.write(op, method, args[0], args[0], node, scope, single, 'Vary'));
      else if (op && args.length >= 2)
        steps.push(...this.write(op, method, args[0], args[1], node, scope, single));
      else if (op === 'set' && args.length === 1)
        steps.push(...this.objectWrites('set', method, args[0], scope));
      else if (method === 'status' && args[0]) steps.push(this.status(args[0], scope));
      else if (method === 'writeHead' && args[0]) {
        steps.push(this.status(args[0], scope));
        const headers = args.find((a, i) => i > 0 && unwrap(a).type === 'object');
        if (headers) steps.push(...this.objectWrites('setHeader', method, headers, scope));
      } else if (method === 'sendStatus' && args[0])
        steps.push(this.status(args[0], scope), { kind: 'end', span: spanOf(this.file, node), at });
      else if (ENDING.has(method)) {
        // `res.redirect(url)` answers 302; `res.redirect(301, url)` the number.
        const redirect =
          method === 'redirect'
            ? args.length >= 2
              ? this.status(args[0], scope)
              : { kind: 'status' as const, status: 302 }
            : undefined;
        steps.push(...(redirect ? [redirect] : []), {
          kind: 'end',
          span: spanOf(this.file, node),
          at,
        });
      }
    }
    return steps;
  }

  private status(node: Node, scope: HandlerScope): NodeStep {
    const value = evaluate(node, scope);
    return { kind: 'status', status: value.kind === 'int' ? value.value : 'dynamic' };
  }

  /** One write; a `cond ? a : b` value becomes a branch with one write each. */
  private write(
    op: NodeWriteOp,
    method: string,
    nameNode: Node,
    valueNode: Node,
    call: Node,
    scope: HandlerScope,
    statement: NodeHeaderWrite['statement'],
    fixedName?: string,
  ): NodeStep[] {
    const name =
      fixedName ??
      (() => {
        const value = evaluate(nameNode, scope);
        return value.kind === 'str' ? value.value : undefined;
      })();
    if (!name) return [];
    const inner = unwrap(valueNode);
    if (inner.type === 'ternary_expression') {
      const [then, otherwise] = [
        inner.childForFieldName('consequence'),
        inner.childForFieldName('alternative'),
      ];
      if (!then || !otherwise) return [];
      return [
        {
          kind: 'if',
          test: condition(inner.childForFieldName('condition'), scope),
          then: this.write(op, method, nameNode, then, call, scope, undefined, fixedName),
          otherwise: this.write(op, method, nameNode, otherwise, call, scope, undefined, fixedName),
          span: spanOf(this.file, call),
        },
      ];
    }
    return [
      {
        kind: 'header',
        op,
        name,
        value: headerValue(inner, scope),
        span: spanOf(this.file, call),
        valueSpan: spanOf(this.file, inner),
        statement,
        method,
      },
    ];
  }

  /** `res.set({ 'A': 'b' })`, `res.writeHead(204, {...})`: one write per entry, in order. */
  private objectWrites(
    op: NodeWriteOp,
    method: string,
    objectNode: Node,
    scope: HandlerScope,
  ): NodeStep[] {
    const object =
      unwrap(objectNode).type === 'identifier'
        ? (scope.values.get(unwrap(objectNode).text) ?? this.js.resolveNode(objectNode))
        : unwrap(objectNode);
    if (object.type !== 'object' || object.hasError) return [];
    return object.namedChildren.flatMap((pair): NodeStep[] => {
      // `{ ...CORS_HEADERS, 'Content-Type': 'text/plain' }`: the spread object's entries in place.
      if (pair?.type === 'spread_element' && pair.namedChildren[0] && this.depth < MAX_DEPTH) {
        this.depth++;
        try {
          return this.objectWrites(op, method, pair.namedChildren[0], scope);
        } finally {
          this.depth--;
        }
      }
      if (pair?.type !== 'pair') return [];
      const key = pair.childForFieldName('key');
      const value = pair.childForFieldName('value');
      if (!key || !value) return [];
      const name =
        key.type === 'property_identifier'
          ? key.text
          : evaluate(
              key.type === 'computed_property_name' ? (key.namedChildren[0] ?? key) : key,
              scope,
            );
      const text = typeof name === 'string' ? name : name.kind === 'str' ? name.value : undefined;
      if (!text) return [];
      return [
        {
          kind: 'header' as const,
          op,
          name: text,
          value: headerValue(value, scope),
          span: spanOf(this.file, pair),
          valueSpan: spanOf(this.file, value),
          method,
        },
      ];
    });
  }

  /**
   * `setCors(req, res)`: a module function given `res` is read in place when it only writes
   * headers (a helper that returns or ends on its own is left alone), or when the handler ends
   * with the call (`(req, res) => relay(req, res)`): its returns then end the handler too.
   */
  private helper(node: Node, name: string, scope: HandlerScope, tail: boolean): NodeStep[] {
    const args = argumentsOf(node);
    const eventAt = scope.event ? args.findIndex((a) => a.text === scope.event) : -1;
    const resAt = eventAt >= 0 ? eventAt : args.findIndex((a) => a.text === scope.res);
    const fn = this.js.declaration(name);
    if (resAt < 0 || !fn || !isHandlerFunction(fn) || this.depth >= MAX_DEPTH) return [];
    const params = parameterNames(fn);
    const reqAt = args.findIndex((a) => a.text === scope.req);
    const event = eventAt >= 0 ? params[eventAt] : undefined;
    const inner: HandlerScope = {
      js: this.js,
      ...(event
        ? h3Scope(event)
        : { req: reqAt >= 0 ? params[reqAt] : undefined, res: params[resAt] }),
      reads: new Map(),
      values: new Map(),
    };
    if (eventAt >= 0 && !event) return [];
    // Arguments that read a request header (the Origin) stay such reads inside.
    args.forEach((a, i) => {
      const read = headerRead(a, scope);
      const param = params[i];
      if (read && param) inner.reads.set(param, read);
    });
    this.depth++;
    try {
      const steps = this.body(fn, inner);
      if (hasReturn(steps) && !tail) return [];
      this.inlined.add(fn.startIndex);
      return steps;
    } finally {
      this.depth--;
    }
  }
}

/**
 * The string a property of a local object literal starts as: `cors.origin` of `const cors = {
 * origin: '*', ... }` (insomnia-mockbin, held-out batch 30: the Origin replaced it under an `if`).
 */
function memberLiteral(member: Node, scope: HandlerScope): string | undefined {
  const object = member.childForFieldName('object');
  const property = member.childForFieldName('property')?.text;
  const literal = object?.type === 'identifier' ? scope.values.get(object.text) : undefined;
  if (!property || literal?.type !== 'object') return undefined;
  const pair = literal.namedChildren.find(
    (p) =>
      p?.type === 'pair' &&
      p.childForFieldName('key')?.text.replace(/^['"]|['"]$/g, '') === property,
  );
  const value = pair?.childForFieldName('value');
  return value && (value.type === 'string' || value.type === 'template_string')
    ? jsStringValue(value)
    : undefined;
}
