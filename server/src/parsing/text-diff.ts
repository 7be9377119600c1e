import { Edit, type Point } from 'web-tree-sitter';

/** The row/column (UTF-16 units, as web-tree-sitter counts JS strings) of `offset`, counting from a known point. */
export function pointFrom(
  text: string,
  from: { offset: number; point: Point },
  offset: number,
): Point {
  let { row, column } = from.point;
  let lineStart = from.offset - column;
  for (
    let i = text.indexOf('\n', from.offset);
    i !== -1 && i < offset;
    i = text.indexOf('\n', i + 1)
  ) {
    row++;
    lineStart = i + 1;
  }
  column = offset - lineStart;
  return { row, column };
}

const CHUNK = 256;

/** Length of the common prefix of two strings (native slice compares first, then by character). */
function commonPrefix(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let n = 0;
  while (n + CHUNK <= max && a.slice(n, n + CHUNK) === b.slice(n, n + CHUNK)) n += CHUNK;
  while (n < max && a.charCodeAt(n) === b.charCodeAt(n)) n++;
  return n;
}

/** Length of the common suffix of two strings that does not reach into the first `floor` characters. */
function commonSuffix(a: string, b: string, floor: number): number {
  const max = Math.min(a.length, b.length) - floor;
  let n = 0;
  while (
    n + CHUNK <= max &&
    a.slice(a.length - n - CHUNK, a.length - n) === b.slice(b.length - n - CHUNK, b.length - n)
  )
    n += CHUNK;
  while (n < max && a.charCodeAt(a.length - 1 - n) === b.charCodeAt(b.length - 1 - n)) n++;
  return n;
}

/** The single edit that turns `before` into `after`: common prefix and suffix kept. */
export function diffEdit(before: string, after: string): Edit {
  const start = commonPrefix(before, after);
  const suffix = commonSuffix(before, after, start);
  const oldEnd = before.length - suffix;
  const newEnd = after.length - suffix;
  // One pass over the text before the edit serves all three points.
  const startPosition = pointFrom(before, { offset: 0, point: { row: 0, column: 0 } }, start);
  const at = { offset: start, point: startPosition };
  return new Edit({
    startIndex: start,
    oldEndIndex: oldEnd,
    newEndIndex: newEnd,
    startPosition,
    oldEndPosition: pointFrom(before, at, oldEnd),
    newEndPosition: pointFrom(after, at, newEnd),
  });
}
