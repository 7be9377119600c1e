/**
 * Array- and object-literal editing for JavaScript and TypeScript: the element layout of `[...]`
 * and `{...}` (skipping `//` and block comments, strings, template strings and RegExp literals),
 * and literals written in the file's style. The edits themselves are python-sequence's
 * (`appendElements`, `removeElement`, ... with `jsSequenceLayout`), which only need the layout.
 */
import type { TextEdit } from '../checks/types';
import type { Span } from '../policy/types';
import { appendElements, elementAt, preferredQuote, removeElement, type SequenceLayout } from './python-sequence';

/** Skips a string, template or RegExp literal starting at `i`; returns the index of its last character. */
function skipLiteral(text: string, i: number, end: number): number {
  const quote = text[i];
  let inClass = false;
  for (let j = i + 1; j < end; j++) {
    const c = text[j];
    if (c === '\\') {
      j++;
      continue;
    }
    if (quote === '/' && c === '[') inClass = true;
    else if (quote === '/' && c === ']') inClass = false;
    else if (c === quote && !inClass) {
      // A RegExp literal's flags belong to it.
      if (quote === '/') while (/[a-z]/i.test(text[j + 1] ?? '')) j++;
      return j;
    }
  }
  return end - 1;
}

/** The elements of the array or object literal at `span` (one `key: value` pair per element). */
export function jsSequenceLayout(text: string, span: Span): SequenceLayout | undefined {
  const open = span.start;
  const close = span.end - 1;
  if (!'[{'.includes(text[open]) || !']}'.includes(text[close])) return undefined;
  const elements: { start: number; end: number }[] = [];
  let depth = 0;
  let start = -1;
  let end = -1;
  let trailingComma = false;
  for (let i = open + 1; i < close; i++) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      while (i < close && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const stop = text.indexOf('*/', i + 2);
      i = stop < 0 ? close : stop + 1;
      continue;
    }
    // A `/` where a value starts is a RegExp literal (after `[`, `,`, `(`, `:`, an operator).
    const valueStart = /[[,(:=!&|?{}]\s*$|^\s*$/.test(text.slice(Math.max(open + 1, i - 40), i)) || start < 0;
    if (c === '"' || c === "'" || c === '`' || (c === '/' && valueStart)) {
      if (start < 0) start = i;
      i = skipLiteral(text, i, close);
      end = i + 1;
      trailingComma = false;
      continue;
    }
    if ('([{'.includes(c)) depth++;
    if (')]}'.includes(c)) depth--;
    if (c === ',' && depth === 0) {
      if (start >= 0) elements.push({ start, end });
      start = -1;
      trailingComma = true;
      continue;
    }
    if (!/\s/.test(c)) {
      if (start < 0) start = i;
      end = i + 1;
      trailingComma = false;
    }
  }
  if (start >= 0) elements.push({ start, end });
  const first = elements[0];
  const multiline = first ? text.slice(open + 1, first.start).includes('\n') : false;
  const lineStart = first ? text.lastIndexOf('\n', first.start - 1) + 1 : 0;
  const indent = multiline && first ? text.slice(lineStart, first.start) : '';
  return { open, close, elements, trailingComma, multiline, indent, tuple: false };
}

/** A JS string literal for `value` in `quote`. */
export function jsString(value: string, quote: '"' | "'"): string {
  const escaped = value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(new RegExp(quote, 'g'), `\\${quote}`);
  return quote + escaped + quote;
}

/** A string literal in the quote of the literal `like` (a template keeps its backticks when it can). */
export function jsStringLike(like: string, value: string, text: string): string {
  const quote = like[0];
  if (quote === '`' && !/[`\\$]/.test(value)) return `\`${value}\``;
  return jsString(value, quote === '"' || quote === "'" ? quote : preferredQuote(text));
}

/** A RegExp literal for `pattern`, keeping the flags of `like` when it is one. */
export function jsRegexLike(like: string, pattern: string): string {
  const flags = like.startsWith('/') ? like.slice(like.lastIndexOf('/') + 1) : '';
  return `/${pattern.replace(/(^|[^\\])\//g, '$1\\/')}/${flags}`;
}

/** A JS array literal of strings on one line, in the file's quote. */
export const jsArray = (values: string[], text: string): string => `[${values.map((v) => jsString(v, preferredQuote(text))).join(', ')}]`;

/** Appends source items to the array or object literal at `span`. */
export const jsAppend = (text: string, span: Span, items: string[]): TextEdit | undefined => appendElements(text, span, items, jsSequenceLayout);

/** Removes the element holding `offset` from the literal at `span`. */
export function jsRemoveAt(text: string, span: Span, offset: number): TextEdit | undefined {
  const index = elementAt(text, span, offset, jsSequenceLayout);
  return index >= 0 ? removeElement(text, span, index, jsSequenceLayout) : undefined;
}
