/**
 * One PHP scope (a script's top level, a function, a method, a closure) read into the steps that
 * shape its response.
 */
import type { Node } from 'web-tree-sitter';
import type { PhpCondition, PhpHeader, PhpStep } from './facts';
import type { Span } from '../../policy/types';
import { nested } from '../../lang/nesting';
import {
  callArguments,
  calledName,
  phpString,
  spanOf,
  templateParts,
  type PhpEvaluator,
} from '../../lang/php/evaluate';
import {
  condition,
  headerLine,
  memberCall,
  requestRead,
  valueOf,
  type Bindings,
  type HeaderRead,
} from './expressions';
import { responseCreation } from './response-creation';

/** The request a middleware is handed (`$request`, `$req`, `$this->request`). */
export const REQUEST_RECEIVER = /^\$(?:this->)?(?:request|req)$/i;

/** Response methods that write a header: Symfony's HeaderBag, Laravel's Response, PSR-7. */
const SETTERS: Record<string, 'set' | 'add'> = {
  'headers->set': 'set',
  header: 'set',
  withHeader: 'set',
  withAddedHeader: 'add',
  setHeader: 'set',
  addHeader: 'add',
};
/** Reads statements; functions the script calls by name are read in place. */
export class ScopeReader {
  readonly bindings: Bindings = { headers: new Map(), methods: new Set() };
  /** The tests of the `if`s being read, outermost first. */
  private readonly path: PhpCondition[] = [];
  /** How deep in `path` each variable was last assigned. */
  private readonly depth = new Map<string, number>();
  /**
   * A variable set to a value first and to the request's Origin only under a test (`$allowed =
   * 'https://shop.test'; if (in_array($given, $list)) { $allowed = $given; }`): the test, the
   * Origin read and the value it keeps otherwise (matchbot's CorsMiddleware, held-out batch 26).
   */
  private readonly chosen = new Map<
    string,
    { test: PhpCondition; read: HeaderRead; otherwise: Node }
  >();
  /** The variable a fix writes to (`$response`), when headers are set on one. */
  response?: string;

  constructor(
    private readonly file: string,
    private readonly evaluator: PhpEvaluator,
    /** Functions of the file by lower-case name, read where the script calls them. */
    private readonly functions: Map<string, Node>,
    private readonly calling: Set<string> = new Set(),
  ) {}

  block(node: Node | null | undefined): PhpStep[] {
    if (!node) return [];
    const statements =
      node.type === 'compound_statement' || node.type === 'colon_block' || node.type === 'program'
        ? node.namedChildren
        : [node];
    return statements.flatMap((s) => (s ? this.statement(s) : []));
  }

  /** A statement's steps; past the shared nesting cap none (no real script nests that deep). */
  private statement(node: Node): PhpStep[] {
    return nested(
      () => this.statementSteps(node),
      () => [],
    );
  }

  private statementSteps(node: Node): PhpStep[] {
    if (node.hasError) return [];
    switch (node.type) {
      case 'expression_statement':
        return this.expression(node.namedChildren[0], node);
      case 'if_statement':
        return [this.ifStep(node)];
      case 'exit_statement':
        return [{ kind: 'exit', span: spanOf(this.file, node) }];
      case 'return_statement': {
        const value = node.namedChildren[0];
        return [
          ...(value ? this.chain(value, node) : []),
          { kind: 'return', span: spanOf(this.file, node) },
        ];
      }
      case 'compound_statement':
      case 'colon_block':
        return this.block(node);
      case 'try_statement':
        return this.tryStatement(node);
      case 'foreach_statement':
        return this.foreachHeaders(node);
      default:
        return [];
    }
  }

  /**
   * A `try`: its body, then each `catch` as a branch on whether something threw (which the reader
   * cannot tell: the model takes the body's path), then `finally`, which always runs.
   */
  private tryStatement(node: Node): PhpStep[] {
    const steps = this.block(node.childForFieldName('body'));
    for (const clause of node.namedChildren) {
      if (clause?.type === 'catch_clause') {
        const then = this.block(clause.childForFieldName('body'));
        if (then.length)
          steps.push({
            kind: 'if',
            test: { kind: 'unknown' },
            then,
            otherwise: [],
            span: spanOf(this.file, clause),
          });
      } else if (clause?.type === 'finally_clause')
        steps.push(
          ...this.block(clause.namedChildren.find((c) => c?.type === 'compound_statement')),
        );
    }
    return steps;
  }

  /**
   * `foreach ($headers as $key => $value) { $response->headers->set($key, $value); }` over an
   * array of headers written before: each entry set (HR-Platform's middleware copying the
   * preflight's headers onto the actual response, held-out batch 31). Any other loop reads as
   * nothing.
   */
  private foreachHeaders(node: Node): PhpStep[] {
    const [iterable, pair, body] = node.namedChildren;
    const [key, value] = pair?.type === 'pair' ? pair.namedChildren : [];
    const statements =
      body?.type === 'compound_statement'
        ? body.namedChildren.filter((c) => c?.type !== 'comment')
        : [body];
    const call = statements.length === 1 ? statements[0]?.namedChildren[0] : undefined;
    if (!iterable || !key || !value || call?.type !== 'member_call_expression') return [];
    const member = memberCall(call);
    const args = callArguments(call).positional.map((a) => a.text);
    if (
      !member ||
      !/(?:headers->set|header)$/.test(member.chain) ||
      REQUEST_RECEIVER.test(member.receiver) ||
      args.length !== 2 ||
      args[0] !== key.text ||
      args[1] !== value.text
    )
      return [];
    if (/^\$\w+$/.test(member.receiver)) this.response ??= member.receiver;
    return this.arrayHeaders(iterable);
  }

  /** A block read under one more test. */
  private under(test: PhpCondition, node: Node | null | undefined): PhpStep[] {
    this.path.push(test);
    try {
      return this.block(node);
    } finally {
      this.path.pop();
    }
  }

  private ifStep(node: Node): PhpStep {
    const test = condition(node.childForFieldName('condition'), this.bindings, this.evaluator);
    const then = this.under(test, node.childForFieldName('body'));
    const alternatives = node.childrenForFieldName('alternative').filter((a): a is Node => !!a);
    let otherwise: PhpStep[] = [];
    // `elseif` chains nest: `if a {} elseif b {} else {}` is `if a {} else { if b {} else {} }`.
    for (let i = alternatives.length - 1; i >= 0; i--) {
      const alt = alternatives[i];
      const steps = this.under({ kind: 'not', inner: test }, alt.childForFieldName('body'));
      otherwise =
        alt.type === 'else_if_clause'
          ? [
              {
                kind: 'if',
                test: condition(alt.childForFieldName('condition'), this.bindings, this.evaluator),
                then: steps,
                otherwise,
                span: spanOf(this.file, alt),
              },
            ]
          : steps;
    }
    return { kind: 'if', test, then, otherwise, span: spanOf(this.file, node) };
  }

  private expression(node: Node | null | undefined, statement: Node): PhpStep[] {
    if (!node) return [];
    if (node.type === 'assignment_expression') return this.assignment(node, statement);
    if (node.type === 'function_call_expression') return this.call(node, statement);
    if (node.type === 'member_call_expression') return this.chain(node, statement);
    if (node.type === 'exit_statement')
      return [{ kind: 'exit', span: spanOf(this.file, statement) }];
    return [];
  }

  private assignment(node: Node, statement: Node): PhpStep[] {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (left?.type !== 'variable_name' || !right) return [];
    // Read before the old binding goes: `$origin = esc_url_raw($origin)` still holds the Origin.
    const read = requestRead(right, this.bindings);
    // `if (empty($origin)) $origin = $request->header('referer');`: the Origin still, where a
    // request sends one (v2board, held-out batch 21); a page controls its Referer as well.
    if (read?.header === 'referer' && this.bindings.headers.get(left.text)?.header === 'origin')
      return [];
    const before = this.evaluator.variables.get(left.text);
    const under = this.path.slice(this.depth.get(left.text) ?? this.path.length);
    this.chosen.delete(left.text);
    if (read?.header === 'origin' && before && under.length)
      this.chosen.set(left.text, {
        test: under.length === 1 ? under[0] : { kind: 'and', parts: under },
        read,
        otherwise: before,
      });
    this.bindings.headers.delete(left.text);
    this.bindings.methods.delete(left.text);
    this.evaluator.variables.set(left.text, right);
    if (!this.depth.has(left.text) || !under.length) this.depth.set(left.text, this.path.length);
    if (read?.header === ':method') this.bindings.methods.add(left.text);
    else if (read) this.bindings.headers.set(left.text, read);
    // `$response = $next($request)->header(...)`, `$response = new Response('', 204, $headers)`:
    // headers written on the way.
    return right.type === 'member_call_expression' || responseCreation(right)
      ? this.chain(right, statement)
      : [];
  }

  private call(node: Node, statement: Node): PhpStep[] {
    const name = calledName(node);
    const { positional } = callArguments(node);
    const span = spanOf(this.file, statement);
    if (name === 'die' || name === 'exit') return [{ kind: 'exit', span }];
    if (name === 'http_response_code' && positional[0]) {
      const status = this.evaluator.evaluate(positional[0]);
      return [{ kind: 'status', status: status?.kind === 'int' ? status.value : 'dynamic', span }];
    }
    if (name === 'header' && positional[0])
      return this.choosing(positional[0], () => this.headerCall(positional, span));
    const fn = this.functions.get(name);
    if (fn && !this.calling.has(name)) {
      // A function the script calls: its steps run here; its `return` ends only the call.
      const inner = new ScopeReader(
        this.file,
        this.evaluator,
        this.functions,
        new Set([...this.calling, name]),
      );
      return [
        {
          kind: 'call',
          steps: inner.block(fn.childForFieldName('body')),
          span: spanOf(this.file, statement),
        },
      ];
    }
    return [];
  }

  /** `header('Name: value'[, $replace[, $code]])`. */
  private headerCall(positional: Node[], span: Span): PhpStep[] {
    const line = headerLine(positional[0], this.bindings, this.evaluator);
    if (!line) return [];
    if ('status' in line) return [{ kind: 'status', status: line.status, span }];
    const replace = positional[1] ? this.evaluator.evaluate(positional[1]) : undefined;
    const code = positional[2] ? this.evaluator.evaluate(positional[2]) : undefined;
    const header: PhpHeader = {
      kind: 'header',
      op: replace?.kind === 'bool' && !replace.value ? 'add' : 'set',
      name: line.name,
      value: line.value,
      span,
      valueSpan: spanOf(this.file, positional[0]),
    };
    return code?.kind === 'int' && code.value > 0
      ? [header, { kind: 'status', status: code.value, span }]
      : [header];
  }

  /** Header writes along a call chain, innermost first: `response('', 204)->header('A', 'b')`. */
  private chain(node: Node, statement: Node): PhpStep[] {
    const steps: PhpStep[] = [];
    let current: Node | null = node;
    const calls: Node[] = [];
    while (current?.type === 'member_call_expression') {
      calls.unshift(current);
      current = current.childForFieldName('object');
      while (current?.type === 'member_access_expression')
        current = current.childForFieldName('object');
    }
    // The response the chain starts from: `response('', 204, $headers)->header(...)`.
    const made = current && (responseCreation(current) ?? (calls[0] && responseCreation(calls[0])));
    const status = made?.status;
    const code = status && this.evaluator.evaluate(status);
    if (status && code?.kind === 'int')
      steps.push({ kind: 'status', status: code.value, span: spanOf(this.file, current!) });
    steps.push(...this.arrayHeaders(made?.headers));
    for (const call of calls) {
      const member = memberCall(call);
      const { positional } = callArguments(call);
      if (!member) continue;
      const chain = member.chain.replace(
        /^.*?(headers->set|header|withHeader|withAddedHeader|setHeader|addHeader|withHeaders)$/,
        '$1',
      );
      if (chain === 'withHeaders') {
        steps.push(...this.arrayHeaders(positional[0]));
        continue;
      }
      const op = SETTERS[chain];
      const name = phpString(positional[0]);
      // `$request->headers->set(...)`: the incoming request's headers, which no response carries
      // (pkp-lib's middleware, held-out batch 13; cors-header-on-request notes it).
      if (!op || !name || !positional[1] || REQUEST_RECEIVER.test(member.receiver)) continue;
      const replace =
        chain === 'headers->set' || chain === 'header'
          ? this.evaluator.evaluate(positional[2])
          : undefined;
      steps.push(
        this.chosenHeader(
          replace?.kind === 'bool' && !replace.value ? 'add' : op,
          name,
          positional[1],
          calls.length === 1 ? statement : call,
        ),
      );
      // A link of a longer chain starts at its `->`: the chain's node starts where the chain
      // does (`return $next($request)` lines above the header this link writes).
      const arrow = call.children.find((c) => c?.type === '->' || c?.type === '?->');
      if (calls.length > 1 && arrow) steps[steps.length - 1].span.start = arrow.startIndex;
      if (/^\$\w+$/.test(member.receiver) && !/request/i.test(member.receiver))
        this.response ??= member.receiver;
    }
    return steps;
  }

  /** Headers given as a `['Name' => 'value']` array, written there or in a variable set before. */
  private arrayHeaders(node: Node | undefined): PhpHeader[] {
    const array = node?.type === 'variable_name' ? this.evaluator.variables.get(node.text) : node;
    if (array?.type !== 'array_creation_expression') return [];
    return array.namedChildren.flatMap((element) => {
      const [key, value] = element?.namedChildren ?? [];
      const name = phpString(key);
      return name && value && element ? [this.header('set', name, value, element)] : [];
    });
  }

  /**
   * A header whose value is a variable set to the Origin only under a test (see `chosen`), as a
   * branch on that test: the Origin where it holds, the earlier value where it does not.
   */
  private chosenHeader(op: PhpHeader['op'], name: string, value: Node, at: Node): PhpStep {
    return this.choosing(value, () => [this.header(op, name, value, at)])[0];
  }

  /**
   * The steps `make` reads from `value`, as a branch on the test of a chosen variable `value`
   * mentions (see `chosen`): read once with it holding the Origin, once with its earlier value.
   */
  private choosing(value: Node, make: () => PhpStep[]): PhpStep[] {
    const variable = [value, ...value.descendantsOfType('variable_name')].find(
      (n) => n?.type === 'variable_name' && this.chosen.has(n.text),
    )?.text;
    const chosen = variable ? this.chosen.get(variable) : undefined;
    if (!variable || !chosen) return make();
    const assigned = this.evaluator.variables.get(variable);
    const then = make();
    this.bindings.headers.delete(variable);
    this.evaluator.variables.set(variable, chosen.otherwise);
    const otherwise = make();
    if (assigned) this.evaluator.variables.set(variable, assigned);
    this.bindings.headers.set(variable, chosen.read);
    if (!then.length && !otherwise.length) return [];
    return [{ kind: 'if', test: chosen.test, then, otherwise, span: spanOf(this.file, value) }];
  }

  private header(op: PhpHeader['op'], name: string, value: Node, at: Node): PhpHeader {
    return {
      kind: 'header',
      op,
      name,
      value: valueOf(templateParts(value), this.bindings, this.evaluator),
      span: spanOf(this.file, at),
      valueSpan: spanOf(this.file, value),
    };
  }
}
