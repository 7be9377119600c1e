/**
 * Flask-CORS's option serialisation (flask_cors/core.py 3.0.10: `serialize_options`,
 * `flexible_str`, `sanitize_regex_param`, `probably_regex`), on statically known values.
 */
import type { Node } from 'web-tree-sitter';
import type { Span, StaticValue } from '../../policy/types';
import type { FlaskPattern } from './facts';
import { spanOf, stringValue, truthiness } from '../../lang/python/evaluate';

/** `probably_regex`: any of these characters makes a string a regex. */
export const probablyRegex = (value: string): boolean => /[*\\\]?$^[()]/.test(value);

/** `re_fix`: the lone `*` becomes the regex `.*`. */
export const reFix = (value: string): string => (value === '*' ? '.*' : value);

/** A pattern with where it is written. */
export type LocatedPattern = FlaskPattern & { span: Span };

/** `re.compile("...")` (or `re.compile(r"...", re.I)`) with a literal pattern, else undefined. */
function compiledPattern(node: Node): string | undefined {
  if (
    node.type !== 'call' ||
    node.childForFieldName('function')?.text.replace(/\s+/g, '') !== 're.compile'
  )
    return undefined;
  const first = node
    .childForFieldName('arguments')
    ?.namedChildren.find((a) => a && a.type !== 'comment');
  return first?.type === 'string' ? stringValue(first) : undefined;
}

/**
 * `sanitize_regex_param(value)`: a string or compiled regex is one entry, a sequence its items.
 * `dynamic` when some entry is not known.
 */
export function patternList(
  file: string,
  value: StaticValue,
  node: Node,
): { patterns: LocatedPattern[]; dynamic: boolean } {
  const compiled = compiledPattern(node);
  if (compiled !== undefined)
    return {
      patterns: [{ value: compiled, compiled: true, span: spanOf(file, node) }],
      dynamic: false,
    };
  if (value.kind === 'str')
    return {
      patterns: [{ value: reFix(value.value), compiled: false, span: value.span }],
      dynamic: false,
    };
  if (value.kind !== 'list') return { patterns: [], dynamic: true };
  const literalItems = ['list', 'tuple', 'set'].includes(node.type)
    ? node.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment')
    : [];
  const patterns: LocatedPattern[] = [];
  let dynamic = false;
  value.items.forEach((item, index) => {
    const fromLiteral = literalItems[index] && compiledPattern(literalItems[index]);
    if (fromLiteral !== undefined)
      patterns.push({ value: fromLiteral, compiled: true, span: item.span });
    else if (item.kind === 'str')
      patterns.push({ value: reFix(item.value), compiled: false, span: item.span });
    else dynamic = true;
  });
  return { patterns, dynamic };
}

/** `flexible_str`: a string as is, a sequence sorted and `', '`-joined, None as null. */
export function flexibleString(value: StaticValue, upper = false): string | null | 'dynamic' {
  const out = (s: string) => (upper ? s.toUpperCase() : s);
  if (value.kind === 'none') return null;
  if (value.kind === 'str') return out(value.value);
  if (value.kind === 'int') return out(String(value.value));
  if (value.kind !== 'list' || value.items.some((i) => i.kind !== 'str')) return 'dynamic';
  const items = value.items.map((i) => (i.kind === 'str' ? i.value : ''));
  return out([...items].sort(codePointCompare).join(', '));
}

/** Python's default string order (by code point). */
export function codePointCompare(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d) return d;
  }
  return x.length - y.length;
}

/** Python truthiness of a known value; `dynamic` when unknown. */
export const truthy = (value: StaticValue): boolean | 'dynamic' => truthiness(value) ?? 'dynamic';
