/**
 * `origins { |source, env| ... }`: rack-cors 1.1.1 calls the block with the request's Origin and
 * lets it in when the block returns a truthy value. A block that is one disjunction of tests on
 * `source` is read as the list it stands for, so the origin checks see what it admits:
 * `source == 'https://a.example'` an exact origin; `source.end_with?('example.com')`,
 * `start_with?`, `include?`, `=~ /re/` and `match?(/re/)` the same test as a Ruby regex (an
 * unanchored `end_with?` admits `https://evilexample.com`); `LIST.include?(source)` the list's
 * strings as exact origins; `if <tests> then source end` the same tests; a block that is just
 * `source` (or `true`, or an iterator that returns its collection) lets every origin in, echoed.
 * Any other block stays one run-time entry.
 */
import type { Node } from 'web-tree-sitter';
import { spanOf, type RubyEvaluator } from '../../lang/ruby/evaluate';
import { rubyQuote } from '../../lang/ruby/regex';
import type { RackCorsOrigin } from './facts';

const unwrap = (node: Node): Node =>
  node.type === 'parenthesized_statements' && node.namedChildCount === 1
    ? unwrap(node.namedChildren[0]!)
    : node;

/** The regex a string method on the origin stands for. */
const METHOD_PATTERN: Record<string, (quoted: string) => string> = {
  'end_with?': (q) => `${q}$`,
  'start_with?': (q) => `^${q}`,
  'include?': (q) => q,
};

/**
 * The entries one block stands for (`origins do |source, env| ... end`, or a `->(source, env) { }`
 * / `lambda { |source, env| }` argument), or undefined when it is more than tests on `source`.
 */
export function blockOrigins(
  file: string,
  node: Node,
  evaluator: RubyEvaluator,
): RackCorsOrigin[] | undefined {
  const lambda = node.type === 'lambda';
  const block = lambda ? node.childForFieldName('body') : node.childForFieldName('block');
  const params = lambda
    ? node.childForFieldName('parameters')
    : block?.namedChildren.find((c) => c?.type === 'block_parameters');
  const source = params?.namedChildren[0];
  const body = block?.namedChildren.find(
    (c) => c?.type === 'block_body' || c?.type === 'body_statement',
  );
  const statements = body?.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  if (source?.type !== 'identifier' || statements?.length !== 1) return undefined;
  const only = unwrap(statements[0]);
  if (only.text === source.text || only.type === 'true')
    return [{ kind: 'echo', span: spanOf(file, only) }];
  const method = collectionMethod(only);
  if (method)
    return [
      {
        kind: 'echo',
        span: spanOf(file, only),
        why: `its \`${method}\` returns a collection, truthy whatever the block tests`,
      },
    ];
  return tests(file, statements[0], source.text, evaluator);
}

/**
 * Iterators that return a collection whatever their block does (`each` and `tap` their receiver,
 * `map`/`select`/`reject` a new array): truthy in Ruby even when empty, so a block ending in one
 * lets every origin in (hcb's `trusted.each do |site| ... end`, held-out batch 9).
 */
const COLLECTION_METHODS = new Set([
  'each',
  'each_with_index',
  'each_with_object',
  'tap',
  'map',
  'collect',
  'select',
  'filter',
  'reject',
]);

function collectionMethod(node: Node): string | undefined {
  const method = node.type === 'call' ? node.childForFieldName('method')?.text : undefined;
  return method && COLLECTION_METHODS.has(method) && node.childForFieldName('block')
    ? method
    : undefined;
}

function tests(
  file: string,
  node: Node,
  source: string,
  evaluator: RubyEvaluator,
): RackCorsOrigin[] | undefined {
  const n = unwrap(node);
  const span = spanOf(file, n);
  // `if <tests> then source end` (or `true`): truthy exactly when the tests pass.
  if (n.type === 'if' && !n.childForFieldName('alternative')) {
    const then = n.childForFieldName('consequence')?.namedChildren.filter((c) => !!c) ?? [];
    const condition = n.childForFieldName('condition');
    return then.length === 1 && condition && [source, 'true'].includes(then[0]!.text)
      ? tests(file, condition, source, evaluator)
      : undefined;
  }
  if (n.type === 'binary') {
    const operator = n.childForFieldName('operator')?.text;
    const left = n.childForFieldName('left');
    const right = n.childForFieldName('right');
    if (!left || !right) return undefined;
    if (operator === '||' || operator === 'or') {
      const l = tests(file, left, source, evaluator);
      const r = tests(file, right, source, evaluator);
      return l && r ? [...l, ...r] : undefined;
    }
    const other = left.text === source ? right : right.text === source ? left : undefined;
    const value = other && evaluator.evaluate(other);
    if (operator === '==' && value?.kind === 'str')
      return [{ kind: 'exact', value: value.value, span }];
    if (operator === '=~' && value?.kind === 'regex')
      return [{ kind: 'regex', source: value.source, flags: value.flags, span, test: n.text }];
    return undefined;
  }
  if (n.type !== 'call') return undefined;
  const receiver = n.childForFieldName('receiver');
  const method = n.childForFieldName('method')?.text ?? '';
  const args = (n.childForFieldName('arguments')?.namedChildren ?? []).filter(
    (c): c is Node => !!c && c.type !== 'comment',
  );
  if (!receiver || args.length !== 1) return undefined;
  if (receiver.text === source) {
    const value = evaluator.evaluate(args[0]);
    if (method === 'match?' && value?.kind === 'regex')
      return [{ kind: 'regex', source: value.source, flags: value.flags, span, test: n.text }];
    const pattern = METHOD_PATTERN[method];
    if (pattern && value?.kind === 'str' && value.value)
      return [
        { kind: 'regex', source: pattern(rubyQuote(value.value)), flags: '', span, test: n.text },
      ];
    return undefined;
  }
  // `ALLOWED.include?(source)`: Array#include? compares with ==.
  if (method === 'include?' && args[0].text === source) {
    const list = evaluator.evaluate(receiver);
    if (list?.kind !== 'array' || !list.items.every((i) => i.kind === 'str')) return undefined;
    return list.items.map((i) => ({
      kind: 'exact' as const,
      value: i.kind === 'str' ? i.value : '',
      span: i.span,
    }));
  }
  return undefined;
}
