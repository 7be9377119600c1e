/** Reads the expressions hand-written CORS code uses: the request's Origin, its method, header values. */
import type { Node } from 'web-tree-sitter';
import type { HandsetCondition, HandsetValue } from './facts';
import type { Span } from '../../policy/types';
import { stringList } from '../../lang/string-list';
import { spanOf, stringValue, type PythonEvaluator } from '../../lang/python/evaluate';

/** The request object as code names it: `request`, or through its module (`flask.request`, `self.request`). */
const REQUEST = String.raw`(?:[A-Za-z_]\w*\.)*request`;
const ORIGIN_GETTERS = new RegExp(
  `^${REQUEST}\\.(headers\\.get|headers\\.__getitem__|META\\.get|environ\\.get|headers)$`,
);
const ORIGIN_MAPS = new RegExp(`^${REQUEST}\\.(headers|META|environ)$`);

/** Local names bound to the request's Origin, with the getter's default (`.get("Origin", "")`). */
export type OriginNames = Map<string, string | undefined>;

const text = (node: Node | null | undefined) => node?.text.replace(/\s+/g, '') ?? '';

/** Whether an expression reads the request's Origin header. */
export function isOrigin(node: Node | null | undefined, names: OriginNames): boolean {
  if (!node) return false;
  if (node.type === 'identifier') return names.has(node.text);
  if (node.type === 'parenthesized_expression') return isOrigin(node.namedChildren[0], names);
  // `request.headers.get("Origin") or ""`
  if (node.type === 'boolean_operator') return isOrigin(node.childForFieldName('left'), names);
  const key = (arg: Node | null | undefined) =>
    arg?.type === 'string' ? stringValue(arg)?.toLowerCase() : undefined;
  if (node.type === 'call' && ORIGIN_GETTERS.test(text(node.childForFieldName('function')))) {
    const first = node.childForFieldName('arguments')?.namedChildren[0];
    return key(first) === 'origin' || key(first) === 'http_origin';
  }
  if (node.type === 'subscript' && ORIGIN_MAPS.test(text(node.childForFieldName('value')))) {
    const k = key(node.childForFieldName('subscript'));
    return k === 'origin' || k === 'http_origin';
  }
  return false;
}

/** What an Origin-reading expression gives when the request has no Origin (a string default). */
export function originDefault(node: Node, names: OriginNames): string | undefined {
  if (node.type === 'identifier') return names.get(node.text);
  const fallback =
    node.type === 'call'
      ? node.childForFieldName('arguments')?.namedChildren[1]
      : node.type === 'boolean_operator'
        ? node.childForFieldName('right')
        : undefined;
  return fallback?.type === 'string' ? stringValue(fallback) : undefined;
}

/** Whether an expression is the request method. */
const METHOD = new RegExp(`^${REQUEST}\\.method$`);
const isMethod = (node: Node | null | undefined) => METHOD.test(text(node));

/** A condition of an `if`, as far as it tests the request's method or Origin. */
export function condition(
  node: Node | null,
  names: OriginNames,
  evaluator: PythonEvaluator,
): HandsetCondition {
  if (!node || node.hasError) return { kind: 'unknown' };
  if (node.type === 'parenthesized_expression')
    return condition(node.namedChildren[0], names, evaluator);
  if (node.type === 'not_operator')
    return { kind: 'not', inner: condition(node.childForFieldName('argument'), names, evaluator) };
  if (node.type === 'boolean_operator') {
    const op = node.childForFieldName('operator')?.text === 'and' ? 'and' : 'or';
    return {
      kind: op,
      parts: [
        condition(node.childForFieldName('left'), names, evaluator),
        condition(node.childForFieldName('right'), names, evaluator),
      ],
    };
  }
  if (isOrigin(node, names)) return { kind: 'origin-present' };
  if (node.type !== 'comparison_operator') return { kind: 'unknown' };
  const [left, right] = node.namedChildren;
  const operator = node.children
    .filter((c) => c && !c.isNamed)
    .map((c) => c!.text)
    .join(' ');
  const negate = operator === '!=' || operator === 'not in';
  if (!left || !right || !['==', '!=', 'in', 'not in'].includes(operator))
    return { kind: 'unknown' };
  const known = stringList(evaluator.evaluate(right));
  let test: HandsetCondition = { kind: 'unknown' };
  if (isMethod(left) && known)
    test = { kind: 'method', methods: known.values.map((m) => m.toUpperCase()) };
  else if (isOrigin(left, names) && known)
    test = { kind: 'origin-in', values: known.values, spans: known.spans, list: known.list };
  else if (isOrigin(left, names) && (operator === 'in' || operator === 'not in'))
    test = {
      kind: 'origin-in',
      values: [],
      spans: [],
      list: evaluator.evaluate(right)?.span,
      configured: true,
    };
  return negate && test.kind !== 'unknown' ? { kind: 'not', inner: test } : test;
}

/** A header value: a string (constant, `", ".join([...])`, number), the request Origin, or unknown. */
export function headerValue(
  node: Node | null,
  names: OriginNames,
  evaluator: PythonEvaluator,
): HandsetValue {
  if (!node || node.hasError) return { kind: 'dynamic' };
  if (isOrigin(node, names)) return { kind: 'origin', absent: originDefault(node, names) };
  const fn = node.type === 'call' ? node.childForFieldName('function') : null;
  if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'join') {
    const separator = evaluator.evaluate(fn.childForFieldName('object'));
    const parts = stringList(
      evaluator.evaluate(node.childForFieldName('arguments')?.namedChildren[0] ?? node),
    );
    if (separator?.kind === 'str' && parts)
      return { kind: 'literal', value: parts.values.join(separator.value) };
  }
  const value = evaluator.evaluate(node);
  if (value?.kind === 'str') return { kind: 'literal', value: value.value };
  if (value?.kind === 'int') return { kind: 'literal', value: String(value.value) };
  return { kind: 'dynamic' };
}

/** The span of a node. */
export const at = (file: string, node: Node): Span => spanOf(file, node);
