/**
 * Array- and object-literal editing for JavaScript and TypeScript: the element layout of `[...]`
 * and `{...}` (skipping `//` and block comments, strings, template strings and RegExp literals),
 * and literals written in the file's style. The edits themselves are python-sequence's
 * (`appendElements`, `removeElement`, ... with `jsSequenceLayout`), which only need the layout.
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

/** JS comments and literals: strings, templates, and a RegExp where a value starts. */
const jsToken: TokenAt = (text, i, close, elementStarted) => {
  const c = text[i];
  if (c === '/' && text[i + 1] === '/') {
    let j = i;
    while (j < close && text[j] !== '\n') j++;
    return { kind: 'comment', last: j - 1 };
  }
  if (c === '/' && text[i + 1] === '*') {
    const stop = text.indexOf('*/', i + 2);
    return { kind: 'comment', last: stop < 0 ? close - 1 : stop + 1 };
  }
  // A `/` where a value starts is a RegExp literal (after `[`, `,`, `(`, `:`, an operator).
  const valueStart =
    !elementStarted || /[[,(:=!&|?{}]\s*$|^\s*$/.test(text.slice(Math.max(0, i - 40), i));
  if (c === '"' || c === "'" || c === '`' || (c === '/' && valueStart))
    return { kind: 'literal', last: skipLiteral(text, i, close) };
  return undefined;
};

/** The elements of the array or object literal at `span` (one `key: value` pair per element). */
export function jsSequenceLayout(text: string, span: Span): SequenceLayout | undefined {
  const open = span.start;
  const close = span.end - 1;
  if (!'[{'.includes(text[open]) || !']}'.includes(text[close])) return undefined;
  return { ...scanSequence(text, open, close, jsToken), tuple: false };
}

/** A JS string literal for `value` in `quote`. */
export function jsString(value: string, quote: '"' | "'"): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(new RegExp(quote, 'g'), `\\${quote}`);
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
export const jsArray = (values: string[], text: string): string =>
  `[${values.map((v) => jsString(v, preferredQuote(text))).join(', ')}]`;

/** Appends source items to the array or object literal at `span`. */
export const jsAppend = (text: string, span: Span, items: string[]): TextEdit | undefined =>
  appendElements(text, span, items, jsSequenceLayout);

/** Removes the element holding `offset` from the literal at `span`. */
export function jsRemoveAt(text: string, span: Span, offset: number): TextEdit | undefined {
  const index = elementAt(text, span, offset, jsSequenceLayout);
  return index >= 0 ? removeElement(text, span, index, jsSequenceLayout) : undefined;
}
