import type { Node, Parser, Point, Range, Tree } from 'web-tree-sitter';
import type { GrammarId } from './parser';
import { SourceTree } from './source-tree';
import { maskJinjaPython, maskTemplates } from './template-mask';
import { diffEdit, pointFrom } from './text-diff';
import { lineFeeds } from '../base/positions';

// The grammars see `lineFeeds(text)`: tree-sitter-ruby (like Ruby itself) takes a lone `\r` for
// a space, so a CR-only file read as one line would lose every finding.

/**
 * What a grammar is given of a text: nginx and Python files may be templates (see
 * `maskTemplates`, `maskJinjaPython`).
 */
const viewFor = (grammar: GrammarId): ((text: string) => string) =>
  grammar === 'nginx'
    ? (text) => maskTemplates(lineFeeds(text))
    : grammar === 'python'
      ? (text) => maskJinjaPython(lineFeeds(text))
      : lineFeeds;

/** A run of the text parsed as its own tree: from `start` to the next segment's start, or the end. */
interface Segment {
  start: number;
  point: Point;
  tree?: Tree;
  /** Its length when it was formed: it is split again only once it has doubled. */
  size: number;
}

/** Lines per segment, about: a keystroke reparses one segment, ~0.5 ms for 150 one-line settings. */
const SEGMENT_LINES = 150;
/** A segment is split again only once longer than twice this (UTF-16 units) and twice its size when formed. */
const MIN_SPLIT_SIZE = SEGMENT_LINES * 40;

/** Joins one parse or edit may make before the whole text is parsed as one tree instead. */
const MAX_JOINS = 8;

const STATEMENT_HEAD = /[A-Za-z_@]/y;
const CONTINUATION = /(?:else|elif|except|finally)\b/y;

/**
 * Whether the line at `at` starts a Python top-level statement that cannot belong to the one
 * before it: at column 0, a name, keyword or decorator, and not `else:`/`elif`/`except`/`finally`.
 * A line inside brackets or a string can look like one; the segment before it then ends in a
 * syntax error and absorbs the next (see `settle`).
 */
function startsPythonStatement(text: string, at: number): boolean {
  STATEMENT_HEAD.lastIndex = at;
  if (!STATEMENT_HEAD.test(text)) return false;
  CONTINUATION.lastIndex = at;
  return !CONTINUATION.test(text);
}

/** Whether the last top-level node (extras such as comments aside) of a segment's tree has a syntax error. */
function endsInError(root: Node): boolean {
  const children = root.children;
  for (let i = children.length - 1; i >= 0; i--) {
    const child = children[i];
    if (child && (!child.isExtra || child.hasError)) return child.hasError || child.isMissing;
  }
  return false;
}

/**
 * A text's parse, kept up to date edit by edit. Python modules are parsed in segments of whole
 * top-level statements, one tree each: tree-sitter-python cannot reuse a module's statement list
 * (its repeat nodes are built while the parser is split between an assignment and an expression,
 * and marked fragile), so an incremental reparse of a 2,000-line settings file walks all 2,000
 * statements (~6 ms a keystroke); one segment of ~150 lines costs ~0.5 ms. Every other grammar
 * reuses its trees well and is one segment.
 *
 * A segment with a syntax error joins the next one when its last top-level node has the error (an
 * unclosed bracket or string runs into the next one), and joins any neighbour that has an error
 * too (the construct's other end); one whose first line stops starting a statement joins the one
 * before. So when the whole text parses
 * without error, so does every segment, and the segments' statements are the whole parse's; when
 * it does not, a segment has an error too (tested against whole parses over random edits and on
 * every Python fixture).
 */
export class SegmentedParse {
  private segments: Segment[] = [];
  /** Joins left to the current parse or edit. */
  private joins = MAX_JOINS;

  private constructor(
    private text: string,
    private readonly splitsAt: ((text: string, at: number) => boolean) | undefined,
    private readonly view: (text: string) => string,
  ) {}

  /** Parses a whole text. */
  static parse(parser: Parser, grammar: GrammarId, input: string): SegmentedParse {
    const view = viewFor(grammar);
    const text = view(input);
    const parsed = new SegmentedParse(
      text,
      grammar === 'python' ? startsPythonStatement : undefined,
      view,
    );
    parsed.segments = parsed.pieces(0, { row: 0, column: 0 }, text.length);
    parsed.parsePending(parser, 0);
    return parsed;
  }

  /** The trees as extractors read them (owned by this parse). */
  get tree(): SourceTree {
    return new SourceTree(this.segments.map((segment) => segment.tree!));
  }

  /** How many segments (trees) the text is parsed in. */
  get count(): number {
    return this.segments.length;
  }

  /** Applies a new full text: the segments the change touches are reparsed, the others moved. */
  update(parser: Parser, input: string): void {
    const text = this.view(input);
    if (text === this.text) return;
    const edit = diffEdit(this.text, text);
    this.text = text;
    this.joins = MAX_JOINS;
    let first = this.segmentAt(edit.startIndex);
    const last = this.segmentAt(edit.oldEndIndex);
    const delta = edit.newEndIndex - edit.oldEndIndex;
    const rows = edit.newEndPosition.row - edit.oldEndPosition.row;
    for (const segment of this.segments.slice(last + 1)) {
      segment.tree!.edit(edit);
      segment.start += delta;
      segment.point = { row: segment.point.row + rows, column: 0 };
    }
    if (first > 0 && !this.splitsAt?.(text, this.segments[first].start)) first--;
    const segment = this.segments[first];
    if (first === last) {
      const old = segment.tree!;
      old.edit(edit);
      segment.tree = this.parseSegment(parser, first, old);
      old.delete();
    } else {
      for (const merged of this.segments.splice(first + 1, last - first)) merged.tree!.delete();
      segment.tree!.delete();
      segment.tree = this.parseSegment(parser, first);
    }
    this.resplit(parser, this.settle(parser, first));
  }

  delete(): void {
    for (const segment of this.segments) segment.tree?.delete();
    this.segments = [];
  }

  /** The last segment that starts at or before `offset`. */
  private segmentAt(offset: number): number {
    let low = 0;
    let high = this.segments.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.segments[mid].start <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  private end(k: number): number {
    return this.segments[k + 1]?.start ?? this.text.length;
  }

  private parseSegment(parser: Parser, k: number, old?: Tree): Tree {
    const { start, point } = this.segments[k];
    const end = this.end(k);
    const whole = start === 0 && end === this.text.length;
    const range: Range = {
      startIndex: start,
      endIndex: end,
      startPosition: point,
      endPosition:
        this.segments[k + 1]?.point ?? pointFrom(this.text, { offset: start, point }, end),
    };
    const tree = parser.parse(
      this.text,
      old ?? null,
      whole ? undefined : { includedRanges: [range] },
    );
    if (!tree) throw new Error('tree-sitter could not parse the text');
    return tree;
  }

  /** Parses the segments from `k` on that have no tree yet, each settled before the next. */
  private parsePending(parser: Parser, k: number): void {
    for (; k < this.segments.length && !this.segments[k].tree; k++) {
      this.segments[k].tree = this.parseSegment(parser, k);
      k = this.settle(parser, k);
      this.segments[k].size ||= this.end(k) - this.segments[k].start;
    }
  }

  /**
   * Joins segment `k` with its neighbours while its syntax error may come from a cut: it ends in
   * the error (an unclosed bracket or string runs into the next segment), or a neighbour has an
   * error too (the construct's other end). An error inside a statement (an unclosed string on its
   * line, typing mid-list) stays in its segment. Returns where segment `k` now is.
   */
  private settle(parser: Parser, k: number): number {
    for (;;) {
      const root = this.segments[k].tree!.rootNode;
      if (!root.hasError) return k;
      const next = this.segments[k + 1]?.tree?.rootNode;
      const forward = k + 1 < this.segments.length && (endsInError(root) || !!next?.hasError);
      if (!forward && !this.segments[k - 1]?.tree?.rootNode.hasError) return k;
      // Each join parses the joined segment again: a text broken everywhere (another language
      // saved as .py) would cost a parse per segment, each longer. It is parsed whole instead.
      if (this.joins-- === 0) return this.whole(parser);
      if (forward) this.join(parser, k);
      else this.join(parser, --k);
    }
  }

  /** Makes the whole text one segment, parsed once; it is split again once it parses clean. */
  private whole(parser: Parser): number {
    for (const segment of this.segments) segment.tree?.delete();
    this.segments = [{ start: 0, point: { row: 0, column: 0 }, size: MIN_SPLIT_SIZE }];
    this.segments[0].tree = this.parseSegment(parser, 0);
    return 0;
  }

  /** Makes segments `k` and `k + 1` one, parsed anew. */
  private join(parser: Parser, k: number): void {
    const [next] = this.segments.splice(k + 1, 1);
    next.tree?.delete();
    this.segments[k].tree?.delete();
    this.segments[k].tree = this.parseSegment(parser, k);
  }

  /** Splits segment `k` again once it parses clean and has doubled (it absorbed others, or grew). */
  private resplit(parser: Parser, k: number): void {
    const segment = this.segments[k];
    const length = this.end(k) - segment.start;
    if (
      !this.splitsAt ||
      segment.tree!.rootNode.hasError ||
      length <= 2 * Math.max(segment.size, MIN_SPLIT_SIZE)
    )
      return;
    const pieces = this.pieces(segment.start, segment.point, this.end(k));
    segment.size = length;
    if (pieces.length === 1) return;
    segment.tree!.delete();
    this.segments.splice(k, 1, ...pieces);
    this.parsePending(parser, k);
  }

  /** [from, to) cut into segments of about SEGMENT_LINES lines, each starting a statement. */
  private pieces(from: number, point: Point, to: number): Segment[] {
    const pieces: Segment[] = [{ start: from, point, size: 0 }];
    if (!this.splitsAt) return pieces;
    let row = point.row;
    let lines = 0;
    for (
      let i = this.text.indexOf('\n', from);
      i !== -1 && i + 1 < to;
      i = this.text.indexOf('\n', i + 1)
    ) {
      row++;
      if (++lines >= SEGMENT_LINES && this.splitsAt(this.text, i + 1)) {
        pieces.push({ start: i + 1, point: { row, column: 0 }, size: 0 });
        lines = 0;
      }
    }
    return pieces;
  }
}
