/**
 * Array-literal editing for PHP: the element layout of `[...]` and `array(...)` (skipping `//`,
 * `#` and block comments and string literals) and string literals in the file's style. The edits
 * themselves are python-sequence's (`appendElements`, `removeElement`), which only need the layout.
 */
import type { TextEdit } from '../../policy/edits';
import type { Span } from '../../policy/types';
import {
  appendElements,
  elementAt,
  preferredQuote,
  removeElement,
  scanSequence,
  type SequenceLayout,
  type TokenAt,
} from '../python/sequence-edits';

/** PHP comments and string literals. */
const phpToken: TokenAt = (text, i, close) => {
  const c = text[i];
  if (c === '#' || (c === '/' && text[i + 1] === '/')) {
    let j = i;
    while (j < close && text[j] !== '\n') j++;
    return { kind: 'comment', last: j - 1 };
  }
  if (c === '/' && text[i + 1] === '*') {
    const stop = text.indexOf('*/', i + 2);
    return { kind: 'comment', last: stop < 0 ? close - 1 : stop + 1 };
  }
  if (c !== '"' && c !== "'") return undefined;
  let j = i + 1;
  while (j < close && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
  return { kind: 'literal', last: j };
};

/** The elements of the array literal at `span` (`[...]` or `array(...)`; one `k => v` pair per element). */
export function phpSequenceLayout(text: string, span: Span): SequenceLayout | undefined {
  const head = /^array\s*\(/i.exec(text.slice(span.start, span.end));
  const open = head ? span.start + head[0].length - 1 : span.start;
  const close = span.end - 1;
  if (!'[('.includes(text[open]) || !'])'.includes(text[close])) return undefined;
  return { ...scanSequence(text, open, close, phpToken), tuple: false };
}

/** A PHP string literal for `value`: single-quoted escapes only what needs it (`\\`, `\'`); double-quoted also `$`. */
export function phpLiteral(value: string, quote: '"' | "'"): string {
  // In single quotes a backslash is literal unless a backslash or quote (or the end) follows it.
  if (quote === "'") return `'${value.replace(/\\(?=[\\']|$)/g, '\\\\').replace(/'/g, "\\'")}'`;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$/g, '\\$')}"`;
}

/** A literal in the quote of `like` (a string literal of the file), else the file's preferred quote. */
export function phpLiteralLike(like: string, value: string, text: string): string {
  const quote =
    like.startsWith("'") || like.startsWith('"') ? (like[0] as '"' | "'") : preferredQuote(text);
  return phpLiteral(value, quote);
}

/** Appends source items to the array at `span`. */
export const phpAppend = (text: string, span: Span, items: string[]): TextEdit | undefined =>
  appendElements(text, span, items, phpSequenceLayout);

/** Removes the element holding `offset` from the array at `span`. */
export function phpRemoveAt(text: string, span: Span, offset: number): TextEdit | undefined {
  const index = elementAt(text, span, offset, phpSequenceLayout);
  return index >= 0 ? removeElement(text, span, index, phpSequenceLayout) : undefined;
}

/** Writes `value` in place of the string literal at `span` when it holds exactly `old`. */
export function replacePhpString(
  text: string,
  span: Span,
  old: string,
  value: string,
): TextEdit[] | undefined {
  const written = text.slice(span.start, span.end);
  const unquoted = written.startsWith("'")
    ? written.slice(1, -1).replace(/\\([\\'])/g, '$1')
    : written.startsWith('"') && !/[$]/.test(written)
      ? written.slice(1, -1).replace(/\\(["\\$])/g, '$1')
      : undefined;
  if (unquoted !== old) return undefined;
  return [{ ...span, newText: phpLiteralLike(written, value, text) }];
}
