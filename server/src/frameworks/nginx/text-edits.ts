/** Text helpers for edits in nginx files: indentation, whole-line removal, tokens in the file's quote style. */
import { perText } from '../../base/per-text';
import type { Span } from '../../policy/types';
import type { TextEdit } from '../../policy/edits';
import { decodeToken } from './config';

/** The whitespace that starts the line holding `offset`. */
export function indentAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return text.slice(lineStart).match(/^[ \t]*/)![0];
}

/** One indentation step of the file (the first indented line's), four spaces when none is. */
export function indentUnit(text: string): string {
  return text.match(/^([ \t]+)\S/m)?.[1] ?? '    ';
}

/** The quote the file uses most (double when tied). */
export const preferredQuote = perText((text: string): '"' | "'" =>
  (text.match(/'/g)?.length ?? 0) > (text.match(/"/g)?.length ?? 0) ? "'" : '"',
);

/** A value as an nginx token: bare when nginx reads it back unchanged, else quoted. */
export function nginxToken(value: string, quote: '"' | "'", forceQuote = false): string {
  if (!forceQuote && value !== '' && /^[^\s;{}"'#\\$]+$/.test(value)) return value;
  return `${quote}${value.replace(/\\/g, '\\\\').replace(new RegExp(quote, 'g'), `\\${quote}`)}${quote}`;
}

/** Whether the text at `span` is a token (quoted or not) whose value is exactly `value`. */
export function isToken(text: string, span: Span, value: string): boolean {
  return decodeToken(text.slice(span.start, span.end)).value === value;
}

/** An edit removing a directive with its whole line when it is alone there, else just the directive. */
export function removeDirective(text: string, span: Span): TextEdit {
  const lineStart = text.lastIndexOf('\n', span.start - 1) + 1;
  const eol = text.indexOf('\n', span.end);
  const lineEnd = eol < 0 ? text.length : eol + 1;
  const alone =
    /^[ \t]*$/.test(text.slice(lineStart, span.start)) &&
    /^[ \t]*(#.*)?\r?\n?$/.test(text.slice(span.end, lineEnd));
  return alone
    ? { file: span.file, start: lineStart, end: lineEnd, newText: '' }
    : { file: span.file, start: span.start, end: span.end, newText: '' };
}

/**
 * An edit inserting `lines` (already indented, each ending in a newline) on new lines after the
 * line holding `offset`.
 */
export function insertLinesAfter(
  text: string,
  file: string,
  offset: number,
  lines: string,
): TextEdit {
  const eol = text.indexOf('\n', offset);
  const at = eol < 0 ? text.length : eol + 1;
  return { file, start: at, end: at, newText: eol < 0 ? `\n${lines}` : lines };
}

/** An edit inserting `lines` before the line holding `offset`. */
export function insertLinesBefore(
  text: string,
  file: string,
  offset: number,
  lines: string,
): TextEdit {
  const at = text.lastIndexOf('\n', offset - 1) + 1;
  return { file, start: at, end: at, newText: lines };
}
