import type { TextEdit } from '../../policy/edits';
import type { Span } from '../../policy/types';

/**
 * Inserts one more entry (`name=value` in a call's `(...)`, `"name": value` in a `{...}`) before
 * the closing bracket at `span`, on its own line when the entries are one per line.
 */
export function insertEntry(text: string, span: Span, entry: string): TextEdit {
  const close = span.end - 1;
  let last = close - 1;
  while (last > span.start && /\s/.test(text[last])) last--;
  const empty = last === span.start;
  const comma = empty || text[last] === ',' ? '' : ',';
  const inner = text.slice(span.start + 1, close);
  if (inner.includes('\n') && !empty) {
    const firstLine = inner.split('\n').find((l, i) => i > 0 && l.trim());
    const indent = firstLine?.match(/^\s*/)?.[0] ?? '    ';
    return {
      file: span.file,
      start: last + 1,
      end: last + 1,
      newText: `${comma}\n${indent}${entry}${text[last] === ',' ? ',' : ''}`,
    };
  }
  return {
    file: span.file,
    start: last + 1,
    end: last + 1,
    newText: `${comma}${empty ? '' : ' '}${entry}`,
  };
}
