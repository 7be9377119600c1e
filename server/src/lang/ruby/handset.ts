/**
 * Reads CORS headers written by hand in Ruby handler bodies (Sinatra filters and routes, Rails
 * controller actions and callbacks) as a small program of steps: header writes, `if`/`unless`
 * branches on the request's method or Origin, and the answers that end a handler (`halt 200`,
 * `head :ok`, a route's final status). Each framework replays the steps in its own order.
 */
import type { Node } from 'web-tree-sitter';
import type { Span } from '../../policy/types';
import type { RubyEvaluator } from './evaluate';
import { spanOf, stringValue } from './evaluate';
import { afterEarlyExits, guardedHeaders } from '../handset-branches';
import { nested } from '../nesting';
import {
  type HandsetReading,
  type OriginInGuard,
  handsetLabel,
  originGuards,
  wildcardEntry,
} from '../handset-policy';

/** A header value as the code computes it: a literal, the request's Origin, or unknown. */
export type RubyValueOf =
  { kind: 'literal'; value: string } | { kind: 'origin' } | { kind: 'dynamic' };

export type RubyCondition =
  | { kind: 'method'; methods: string[] }
  | OriginInGuard
  | { kind: 'origin-present' }
  | { kind: 'not'; inner: RubyCondition }
  | { kind: 'and' | 'or'; parts: RubyCondition[] }
  | { kind: 'unknown' };

export interface RubyHeaderWrite {
  kind: 'header';
  name: string;
  value: RubyValueOf;
  /** The statement (or hash pair) and the value expression. */
  span: Span;
  valueSpan: Span;
}

export type RubyStep =
  | RubyHeaderWrite
  | { kind: 'if'; test: RubyCondition; then: RubyStep[]; otherwise: RubyStep[]; span: Span }
  /** An answer: `halt 200` / `head :ok` (`halt`), or a route's final status expression. */
  | { kind: 'return'; status: number | 'dynamic'; halt: boolean; span: Span }
  /** `return`: leaves the handler without answering. */
  | { kind: 'exit'; span: Span }
  /** A call of a method with no receiver (a helper, `cross_origin`), for the framework to expand. */
  /** `text` is the call as written (the tree does not outlive extraction). */
  | { kind: 'call'; name: string; text: string; span: Span };

/** Rails' status symbols the hand-set code uses. */
const STATUS_SYMBOLS: Record<string, number> = {
  ok: 200,
  no_content: 204,
  accepted: 202,
  created: 201,
  forbidden: 403,
  not_found: 404,
};

/** Receivers whose `[]=` writes a response header. */
const HEADER_TARGETS = new Set(['headers', 'response.headers', 'response']);

const compact = (node: Node | null | undefined) => node?.text.replace(/\s+/g, '') ?? '';

/** `request.env['HTTP_ORIGIN']`, `env["HTTP_ORIGIN"]`, `request.headers['Origin']`, `request.origin`. */
function readsOrigin(node: Node | null | undefined, names: Set<string>): boolean {
  if (!node) return false;
  if (node.type === 'identifier') return names.has(node.text);
  if (node.type === 'parenthesized_statements') return readsOrigin(node.namedChildren[0], names);
  if (node.type === 'call' && /^request\.origin$/.test(compact(node))) return true;
  if (node.type !== 'element_reference') return false;
  const object = compact(node.childForFieldName('object'));
  const key = node.namedChildren[1];
  const name = key?.type === 'string' ? stringValue(key)?.toLowerCase() : undefined;
  if (/^(request\.)?env$/.test(object)) return name === 'http_origin';
  if (object === 'request.headers') return name === 'origin' || name === 'http_origin';
  return false;
}

/** `request.request_method`, `request.method`, `request.env['REQUEST_METHOD']`. */
const isMethod = (node: Node | null | undefined) =>
  /^(request\.(request_method|method)|(request\.)?env\[['"]REQUEST_METHOD['"]\])$/.test(
    compact(node),
  );

export class RubyHandsetReader {
  /** Local names bound to the request's Origin. */
  private readonly originNames = new Set<string>();

  constructor(
    private readonly file: string,
    private readonly evaluator: RubyEvaluator,
  ) {}

  private span(node: Node): Span {
    return spanOf(this.file, node);
  }

  /** The strings of a literal (or constant) array or string. */
  private strings(node: Node): { values: string[]; spans: Span[]; list: Span } | undefined {
    const value = this.evaluator.evaluate(node);
    if (value?.kind === 'str')
      return { values: [value.value], spans: [value.span], list: value.span };
    if (value?.kind !== 'array' || value.items.some((i) => i.kind !== 'str' && i.kind !== 'symbol'))
      return undefined;
    return {
      values: value.items.map((i) => (i.kind === 'str' || i.kind === 'symbol' ? i.value : '')),
      spans: value.items.map((i) => i.span),
      list: value.span,
    };
  }

  value(node: Node | null | undefined): RubyValueOf {
    if (!node || node.hasError) return { kind: 'dynamic' };
    if (readsOrigin(node, this.originNames)) return { kind: 'origin' };
    // `ORIGINS.join(', ')`, `%w[GET POST].join(",")`
    if (node.type === 'call' && node.childForFieldName('method')?.text === 'join') {
      const receiver = node.childForFieldName('receiver');
      const separator = node.childForFieldName('arguments')?.namedChildren[0];
      const parts = receiver && this.strings(receiver);
      const sep = separator ? this.evaluator.evaluate(separator) : undefined;
      if (parts && (!separator || sep?.kind === 'str'))
        return { kind: 'literal', value: parts.values.join(sep?.kind === 'str' ? sep.value : '') };
    }
    const value = this.evaluator.evaluate(node);
    if (value?.kind === 'str') return { kind: 'literal', value: value.value };
    return { kind: 'dynamic' };
  }

  condition(node: Node | null | undefined): RubyCondition {
    if (!node || node.hasError) return { kind: 'unknown' };
    if (node.type === 'parenthesized_statements') return this.condition(node.namedChildren[0]);
    if (node.type === 'unary' && /^(!|not)/.test(node.text))
      return { kind: 'not', inner: this.condition(node.namedChildren[0]) };
    if (/^request\.options\?$/.test(compact(node))) return { kind: 'method', methods: ['OPTIONS'] };
    if (readsOrigin(node, this.originNames)) return { kind: 'origin-present' };
    if (node.type === 'call' && node.childForFieldName('method')?.text === 'include?') {
      const list = node.childForFieldName('receiver');
      const arg = node.childForFieldName('arguments')?.namedChildren[0];
      const known = list && this.strings(list);
      if (known && readsOrigin(arg, this.originNames)) return { kind: 'origin-in', ...known };
      const star = arg && this.evaluator.evaluate(arg);
      if (list && star?.kind === 'str' && star.value === '*')
        return wildcardEntry(known ?? undefined, this.span(list)) ?? { kind: 'unknown' };
      // `allowed.include?(origin)` with a list read at run time: an allowlist all the same.
      if (list && readsOrigin(arg, this.originNames))
        return {
          kind: 'origin-in',
          values: [],
          spans: [],
          list: this.span(list),
          configured: true,
        };
      if (known && isMethod(arg))
        return { kind: 'method', methods: known.values.map((m) => m.toUpperCase()) };
      return { kind: 'unknown' };
    }
    if (node.type !== 'binary') return { kind: 'unknown' };
    const operator = node.childForFieldName('operator')?.text ?? '';
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (['&&', 'and', '||', 'or'].includes(operator))
      return {
        kind: operator === '&&' || operator === 'and' ? 'and' : 'or',
        parts: [this.condition(left), this.condition(right)],
      };
    if (operator !== '==' && operator !== '!=') return { kind: 'unknown' };
    const known = right && this.strings(right);
    let test: RubyCondition = { kind: 'unknown' };
    if (known && isMethod(left))
      test = { kind: 'method', methods: known.values.map((m) => m.toUpperCase()) };
    else if (known && readsOrigin(left, this.originNames)) test = { kind: 'origin-in', ...known };
    return operator === '!=' && test.kind !== 'unknown' ? { kind: 'not', inner: test } : test;
  }

  /** The steps of a body (`do_block`, `block`, `method`, `then`, `else`, `body_statement`). */
  steps(body: Node | null | undefined, last = false): RubyStep[] {
    if (!body) return [];
    const statements = body.namedChildren.filter(
      (c): c is Node => !!c && c.type !== 'comment' && c.type !== 'block_parameters',
    );
    if (statements.length === 1 && ['body_statement', 'block_body'].includes(statements[0].type))
      return this.steps(statements[0], last);
    return afterEarlyExits(
      statements.map((statement, i) =>
        this.statement(statement, last && i === statements.length - 1),
      ),
      (step) => step.kind === 'exit',
    );
  }

  /** A statement's steps; past the shared nesting cap none (a body nested that deep is generated, not real). */
  private statement(node: Node, last: boolean): RubyStep[] {
    return nested(
      () => this.statementSteps(node, last),
      () => [],
    );
  }

  private statementSteps(node: Node, last: boolean): RubyStep[] {
    const span = this.span(node);
    switch (node.type) {
      case 'if':
      case 'unless':
      case 'if_modifier':
      case 'unless_modifier': {
        const test = this.condition(node.childForFieldName('condition'));
        const modifier = node.type.endsWith('_modifier');
        const then = modifier
          ? this.statement(node.childForFieldName('body')!, last)
          : this.steps(node.childForFieldName('consequence'), last);
        const alternative = node.childForFieldName('alternative');
        const otherwise =
          alternative?.type === 'elsif'
            ? this.statement(alternative, last)
            : this.steps(alternative, last);
        return [
          {
            kind: 'if',
            test: node.type.startsWith('unless') ? { kind: 'not', inner: test } : test,
            then,
            otherwise,
            span,
          },
        ];
      }
      case 'elsif': {
        const alternative = node.childForFieldName('alternative');
        return [
          {
            kind: 'if',
            test: this.condition(node.childForFieldName('condition')),
            then: this.steps(node.childForFieldName('consequence'), last),
            otherwise:
              alternative?.type === 'elsif'
                ? this.statement(alternative, last)
                : this.steps(alternative, last),
            span,
          },
        ];
      }
      case 'return':
        return [{ kind: 'exit', span }];
      case 'assignment':
        return this.assignment(node, span);
      case 'integer':
        return last
          ? [{ kind: 'return', status: Number(node.text.replace(/_/g, '')), halt: false, span }]
          : [];
      case 'identifier':
        return [{ kind: 'call', name: node.text, text: node.text, span }];
      case 'call':
        return this.call(node, span, last);
      default:
        return last ? [{ kind: 'return', status: 200, halt: false, span }] : [];
    }
  }

  private assignment(node: Node, span: Span): RubyStep[] {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (left?.type === 'identifier') {
      if (readsOrigin(right, this.originNames)) this.originNames.add(left.text);
      else this.originNames.delete(left.text);
      return [];
    }
    if (
      left?.type !== 'element_reference' ||
      !HEADER_TARGETS.has(compact(left.childForFieldName('object')))
    )
      return [];
    const key = left.namedChildren[1];
    const name = key?.type === 'string' ? stringValue(key) : undefined;
    if (name === undefined || !right) return [];
    return [{ kind: 'header', name, value: this.value(right), span, valueSpan: this.span(right) }];
  }

  private call(node: Node, span: Span, last: boolean): RubyStep[] {
    const method = node.childForFieldName('method')?.text ?? '';
    const receiver = compact(node.childForFieldName('receiver'));
    const args =
      node.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => !!c) ?? [];
    // `headers 'A' => v, 'B' => w` (Sinatra), `response.headers.merge!('A' => v)`.
    if (
      (!receiver && method === 'headers') ||
      (receiver === 'response.headers' && ['merge!', 'update'].includes(method))
    ) {
      const pairs = args.flatMap((a) =>
        a.type === 'pair'
          ? [a]
          : a.type === 'hash'
            ? a.namedChildren.filter((p): p is Node => p?.type === 'pair')
            : [],
      );
      return pairs.flatMap((pair) => {
        const key = pair.childForFieldName('key');
        const name = key?.type === 'string' ? stringValue(key) : undefined;
        const value = pair.childForFieldName('value');
        return name === undefined || !value
          ? []
          : [
              {
                kind: 'header' as const,
                name,
                value: this.value(value),
                span: this.span(pair),
                valueSpan: this.span(value),
              },
            ];
      });
    }
    // Rails: `response.set_header('A', v)`, `response.headers.store('A', v)`.
    if (
      (receiver === 'response' && method === 'set_header') ||
      (receiver === 'response.headers' && method === 'store')
    ) {
      const name = args[0]?.type === 'string' ? stringValue(args[0]) : undefined;
      return name === undefined || !args[1]
        ? []
        : [
            {
              kind: 'header',
              name,
              value: this.value(args[1]),
              span,
              valueSpan: this.span(args[1]),
            },
          ];
    }
    // `respond_to do |format| format.rss { headers[...] = ... } end`, `Rails.cache.fetch do`: headers
    // written inside a block run only when the block runs, which the code does not say.
    const block = node.childForFieldName('block');
    const inside = block ? this.steps(block) : [];
    if (headerWrites(inside).length)
      return [
        { kind: 'if', test: { kind: 'unknown' }, then: inside, otherwise: [], span },
        ...this.plainCall(method, receiver, node, span, last, args),
      ];
    return this.plainCall(method, receiver, node, span, last, args);
  }

  /** A call that is not a header write: an answer, a helper to expand, or a route's final value. */
  private plainCall(
    method: string,
    receiver: string,
    node: Node,
    span: Span,
    last: boolean,
    args: Node[],
  ): RubyStep[] {
    if (!receiver && (method === 'halt' || method === 'head')) {
      const first = this.evaluator.evaluate(args[0]);
      const status = !args[0]
        ? 200
        : first?.kind === 'int'
          ? first.value
          : first?.kind === 'symbol'
            ? (STATUS_SYMBOLS[first.value] ?? 'dynamic')
            : 'dynamic';
      return [{ kind: 'return', status, halt: true, span }];
    }
    if (!receiver) return [{ kind: 'call', name: method, text: node.text, span }];
    return last ? [{ kind: 'return', status: 200, halt: false, span }] : [];
  }
}

/**
 * Replaces calls of the file's own methods (`helpers`, by name) by their steps, a few levels deep.
 * A helper's `return` leaves the helper only; a `head` or `halt` inside it still answers.
 */
export function inlineHelpers(
  steps: RubyStep[],
  helpers: Map<string, Node>,
  reader: RubyHandsetReader,
  depth = 0,
): RubyStep[] {
  return steps.flatMap((step): RubyStep[] => {
    if (step.kind === 'if')
      return [
        {
          ...step,
          then: inlineHelpers(step.then, helpers, reader, depth),
          otherwise: inlineHelpers(step.otherwise, helpers, reader, depth),
        },
      ];
    if (step.kind !== 'call' || depth > 3) return [step];
    const helper = helpers.get(step.name);
    if (!helper) return [step];
    return inlineHelpers(
      reader.steps(helper.childForFieldName('body') ?? helper),
      helpers,
      reader,
      depth + 1,
    ).filter((s) => s.kind !== 'exit');
  });
}

/** Every header written in `steps` (branches included), with the conditions around it. */
export const headerWrites = (steps: RubyStep[]) =>
  guardedHeaders<RubyStep, RubyHeaderWrite, RubyCondition>(steps, (s) =>
    s.kind === 'header' ? [s] : [],
  );

/**
 * How the neutral policy reads Ruby header writes: `request.headers['Origin']` (or a variable
 * holding it) echoes the Origin; `ALLOWED.include?(origin)` and `origin == '...'` guard it.
 */
export const rubyReading = (text: string): HandsetReading<RubyHeaderWrite, RubyCondition> => ({
  label: (span) => handsetLabel(text, span),
  echoes: (value) => value.kind === 'origin',
  guards: (conditions) => originGuards(conditions, true),
  uniqueNames: true,
});
