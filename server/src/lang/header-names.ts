/**
 * Adding request header names to a list written in source, for any language whose list literal
 * is `[...]`/`(...)` of quoted strings (Python, JavaScript, Ruby). Header names are HTTP tokens
 * (no quotes, no backslashes), so one quoting serves every language.
 */
import type { TextEdit } from '../policy/edits';
import type { Span } from '../policy/types';
import { appendElements, preferredQuote, type LayoutOf } from './python/sequence-edits';

/** A quoted string literal: optional Python prefix, then `'...'` or `"..."` with no interpolation. */
const STRING = /^[rRuU]?(['"])(?:[^\\'"]|\\.)*\1$/s;

const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/i;

/**
 * Edits that add `names` to the value at `span`: appended to a list literal of strings (in the
 * quote of its first element), or a single string turned into a list with them. Undefined when
 * the value is anything else (a name, a call, a list with non-literal elements).
 */
export function addHeaderNames(
  text: string,
  span: Span,
  names: string[],
  layoutOf: LayoutOf,
): TextEdit | undefined {
  if (!names.length || !names.every((n) => TOKEN.test(n) && !/['"]/.test(n))) return undefined;
  const written = text.slice(span.start, span.end);
  const quoteOf = (literal: string | undefined) =>
    (/^[rRuU]?(['"])/.exec(literal ?? '')?.[1] as '"' | "'" | undefined) ?? preferredQuote(text);
  if (STRING.test(written))
    return {
      ...span,
      newText: `[${[written, ...names.map((n) => `${quoteOf(written)}${n}${quoteOf(written)}`)].join(', ')}]`,
    };
  const layout = '[('.includes(written[0] ?? '') ? layoutOf(text, span) : undefined;
  if (!layout) return undefined;
  const elements = layout.elements.map((e) => text.slice(e.start, e.end));
  if (!elements.every((e) => STRING.test(e))) return undefined;
  const quote = quoteOf(elements[0]);
  return appendElements(
    text,
    span,
    names.map((n) => `${quote}${n}${quote}`),
    layoutOf,
  );
}
