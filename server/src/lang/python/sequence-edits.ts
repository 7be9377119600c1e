import { perText } from '../../base/per-text';
import { lineEndAt, lineStartAt } from '../../base/positions';
import type { TextEdit } from '../../policy/edits';
import type { Span } from '../../policy/types';

/** The top-level elements of a list/tuple literal, found by a small tokenizer over its text. */
export interface SequenceLayout {
  open: number;
  close: number;
  elements: { start: number; end: number }[];
  /** A comma follows the last element. */
  trailingComma: boolean;
  /** Elements sit on their own lines. */
  multiline: boolean;
  /** Indentation of the elements (multi-line) . */
  indent: string;
  tuple: boolean;
}

/** Splits a sequence literal into its elements (Python's below; JS's in js-sequence.ts). */
export type LayoutOf = (text: string, span: Span) => SequenceLayout | undefined;

/**
 * What starts at `i` in a language's syntax: a comment (skipped) or a literal (part of an element,
 * scanned whole so its commas and brackets do not count); `last` is its final character.
 */
export type TokenAt = (
  text: string,
  i: number,
  close: number,
  elementStarted: boolean,
) => { kind: 'comment' | 'literal'; last: number } | undefined;

/**
 * Splits the bracketed literal whose brackets sit at `open` and `close` into its top-level
 * elements; `tokenAt` knows the language's comments and literals.
 */
export function scanSequence(
  text: string,
  open: number,
  close: number,
  tokenAt: TokenAt,
): Omit<SequenceLayout, 'tuple'> {
  const elements: { start: number; end: number }[] = [];
  let depth = 0;
  let start = -1;
  let end = -1;
  let trailingComma = false;
  for (let i = open + 1; i < close; i++) {
    const c = text[i];
    const token = tokenAt(text, i, close, start >= 0);
    if (token) {
      if (token.kind === 'literal') {
        if (start < 0) start = i;
        end = token.last + 1;
        trailingComma = false;
      }
      i = token.last;
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
  const multiline = first ? /[\r\n]/.test(text.slice(open + 1, first.start)) : false;
  const lineStart = first ? lineStartAt(text, first.start) : 0;
  const indent = multiline && first ? text.slice(lineStart, first.start) : '';
  return { open, close, elements, trailingComma, multiline, indent };
}

/** Python comments and string literals (single, triple-quoted). */
const pythonToken: TokenAt = (text, i, close) => {
  const c = text[i];
  if (c === '#') {
    let j = i;
    while (j < close && text[j] !== '\n') j++;
    return { kind: 'comment', last: j - 1 };
  }
  if (c !== '"' && c !== "'") return undefined;
  const quote = text.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
  let j = i + quote.length;
  while (j < close && !text.startsWith(quote, j)) j += text[j] === '\\' ? 2 : 1;
  return { kind: 'literal', last: j + quote.length - 1 };
};

/** Splits the list or tuple literal at `span` of `text` into its elements. */
export function sequenceLayout(text: string, span: Span): SequenceLayout | undefined {
  const open = span.start;
  const close = span.end - 1;
  if (!'[('.includes(text[open]) || !'])'.includes(text[close])) return undefined;
  return { ...scanSequence(text, open, close, pythonToken), tuple: text[open] === '(' };
}

/** Splits the dict literal at `span` into its `key: value` entries (same layout as a sequence's). */
export function dictLayout(text: string, span: Span): SequenceLayout | undefined {
  if (text[span.start] !== '{' || text[span.end - 1] !== '}') return undefined;
  return { ...scanSequence(text, span.start, span.end - 1, pythonToken), tuple: false };
}

/** The quote character the file prefers for strings (the one it uses most). */
export const preferredQuote = perText((text: string): '"' | "'" => {
  const double = (text.match(/(^|[\s[(,=])"/g) ?? []).length;
  const single = (text.match(/(^|[\s[(,=])'/g) ?? []).length;
  return single > double ? "'" : '"';
});

/** A Python string literal for `value` in the given quote. */
export function pythonString(value: string, quote: '"' | "'"): string {
  return quote + value.replace(/\\/g, '\\\\').replace(new RegExp(quote, 'g'), `\\${quote}`) + quote;
}

/** A string literal in the style of `like` (its quote and raw prefix), for `value`. */
export function stringLike(like: string, value: string, fallback: '"' | "'"): string {
  const match = like.match(/^([rRuU]*)(['"])/);
  if (!match) return pythonString(value, fallback);
  const [, prefix, quote] = match;
  if (/r/i.test(prefix) && !value.includes(quote)) return `${prefix}${quote}${value}${quote}`;
  return pythonString(value, quote as '"' | "'");
}

/** Inserts `items` (source text of each element) at the end of the sequence. */
export function appendElements(
  text: string,
  span: Span,
  items: string[],
  layoutOf: LayoutOf = sequenceLayout,
): TextEdit | undefined {
  const layout = layoutOf(text, span);
  if (!layout || items.length === 0) return undefined;
  const last = layout.elements[layout.elements.length - 1];
  if (!last) {
    const single = layout.tuple && items.length === 1 ? ',' : '';
    return {
      file: span.file,
      start: layout.open + 1,
      end: layout.close,
      newText: items.join(', ') + single,
    };
  }
  if (layout.multiline) {
    const after = layout.trailingComma ? text.indexOf(',', last.end) + 1 : last.end;
    const lead = layout.trailingComma ? '' : ',';
    const trail = layout.trailingComma ? ',' : '';
    const newText =
      lead +
      items
        .map((item, i) => `\n${layout.indent}${item}${i < items.length - 1 || trail ? ',' : ''}`)
        .join('');
    return { file: span.file, start: after, end: after, newText };
  }
  return {
    file: span.file,
    start: last.end,
    end: last.end,
    newText: items.map((item) => `, ${item}`).join(''),
  };
}

/** Inserts `item` before element `index` of the sequence. */
export function insertElement(
  text: string,
  span: Span,
  index: number,
  item: string,
  layoutOf: LayoutOf = sequenceLayout,
): TextEdit | undefined {
  const layout = layoutOf(text, span);
  const before = layout?.elements[index];
  if (!layout || !before) return appendElements(text, span, [item], layoutOf);
  const newText = layout.multiline ? `${item},\n${layout.indent}` : `${item}, `;
  return { file: span.file, start: before.start, end: before.start, newText };
}

/** Removes element `index` with its comma (and its line, when elements sit on their own lines). */
export function removeElement(
  text: string,
  span: Span,
  index: number,
  layoutOf: LayoutOf = sequenceLayout,
): TextEdit | undefined {
  const layout = layoutOf(text, span);
  const element = layout?.elements[index];
  if (!layout || !element) return undefined;
  const next = layout.elements[index + 1];
  const previous = layout.elements[index - 1];
  if (layout.multiline) {
    // Drop the element's whole line (with its comma and comment) and the line end before it; a
    // comma before it stays valid. Any line end counts (`\r\n`, `\r`, `\n`).
    const own = lineStartAt(text, element.start);
    const start = own === 0 ? 0 : own - (text.startsWith('\r\n', own - 2) ? 2 : 1);
    const lineEnd = lineEndAt(text, element.end);
    const stop = lineEnd > layout.close ? layout.close : lineEnd;
    return { file: span.file, start, end: stop, newText: '' };
  }
  if (next) return { file: span.file, start: element.start, end: next.start, newText: '' };
  if (previous)
    return {
      file: span.file,
      start: previous.end,
      end: layout.trailingComma ? text.indexOf(',', element.end) + 1 : element.end,
      newText: layout.trailingComma ? ',' : '',
    };
  return { file: span.file, start: layout.open + 1, end: layout.close, newText: '' };
}

/** The index of the element that holds `offset`, if any. */
export function elementAt(
  text: string,
  span: Span,
  offset: number,
  layoutOf: LayoutOf = sequenceLayout,
): number {
  const layout = layoutOf(text, span);
  return layout ? layout.elements.findIndex((e) => e.start <= offset && offset < e.end) : -1;
}

/** Whether `span` is a string literal whose whole text is exactly `value` (so a fix may replace it). */
export function isOwnLiteral(text: string, span: Span, value: string): boolean {
  const literal = text.slice(span.start, span.end);
  const match = literal.match(/^([rRuU]?)(['"])(.*)\2$/s);
  if (!match) return false;
  const [, prefix, , body] = match;
  if (/r/i.test(prefix)) return body === value;
  const escapes: Record<string, string> = {
    '\\': '\\',
    "'": "'",
    '"': '"',
    n: '\n',
    t: '\t',
    r: '\r',
  };
  // Python keeps unknown escapes such as `\.` as written.
  return body.replace(/\\(.)/g, (all, c: string) => escapes[c] ?? all) === value;
}

/** An edit writing `value` in place of a string literal that holds exactly `old` (keeping its prefix and quotes). */
export function replaceStringLiteral(
  text: string,
  span: Span,
  old: string,
  value: string,
): TextEdit[] | undefined {
  if (!isOwnLiteral(text, span, old)) return undefined;
  return [
    { ...span, newText: stringLike(text.slice(span.start, span.end), value, preferredQuote(text)) },
  ];
}
