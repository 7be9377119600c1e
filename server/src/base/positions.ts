/** A 0-based line and UTF-16 column, as in LSP. */
export interface Position {
  line: number;
  character: number;
}

/** A [start, end) stretch of text in lines and columns. */
export interface Range {
  start: Position;
  end: Position;
}

/**
 * The text with every lone `\r` (old Mac line ends, or mixed ones) as `\n`: what editors and LSP
 * count as a line end, in the form line-based readers (grammars, `[^\n]*` patterns) understand.
 * Same length: offsets hold.
 */
export const lineFeeds = (text: string): string =>
  text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;

/** A line terminator as LSP counts them: `\r\n`, `\r` or `\n`. */
const TERMINATOR = /\r\n?|\n/g;

/** The offset where the line holding `offset` starts (after the previous `\n`, `\r` or `\r\n`). */
export function lineStartAt(text: string, offset: number): number {
  for (let i = Math.min(offset, text.length) - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    // A `\r` right before `offset` that a `\n` at `offset` follows is the same terminator.
    if (c === 10 || (c === 13 && !(i + 1 === offset && text.charCodeAt(offset) === 10)))
      return i + 1;
  }
  return 0;
}

/** The offset of the terminator that ends the line holding `offset` (the text's length on the last line). */
export function lineEndAt(text: string, offset: number): number {
  for (let i = Math.max(0, offset); i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i;
  }
  return text.length;
}

/** The terminator that ends the line holding `offset` (`''` on the last line). */
export function terminatorAt(text: string, offset: number): string {
  const end = lineEndAt(text, offset);
  return text.startsWith('\r\n', end) ? '\r\n' : text.slice(end, end + 1);
}

/** The text's lines without their terminators (`\r\n`, `\r`, `\n` all end a line). */
export const splitLines = (text: string): string[] => text.split(/\r\n?|\n/);

/**
 * Maps UTF-16 offsets of one text to lines and columns (binary search over line starts). Lines
 * end at `\n`, `\r` or `\r\n`, as in LSP; an offset inside a terminator (between `\r` and `\n`)
 * is the end of its line.
 */
export class LineIndex {
  private readonly starts: number[] = [0];
  /** Where each line's text ends (its terminator's offset). */
  private readonly ends: number[] = [];

  constructor(text: string) {
    for (const m of text.matchAll(TERMINATOR)) {
      this.ends.push(m.index);
      this.starts.push(m.index + m[0].length);
    }
    this.ends.push(text.length);
  }

  position(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: Math.min(offset, this.ends[lo]) - this.starts[lo] };
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }
}
