import { Edit, type Parser, type Point, type Tree } from 'web-tree-sitter';
import { createParser, type GrammarId } from './parser';

interface Entry {
  grammar: GrammarId;
  text: string;
  tree: Tree;
}

/** The row/column (UTF-16 units, as web-tree-sitter counts JS strings) of `offset`, counting from a known point. */
function pointFrom(text: string, from: { offset: number; point: Point }, offset: number): Point {
  let { row, column } = from.point;
  let lineStart = from.offset - column;
  for (let i = text.indexOf('\n', from.offset); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
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
  while (n + CHUNK <= max && a.slice(a.length - n - CHUNK, a.length - n) === b.slice(b.length - n - CHUNK, b.length - n)) n += CHUNK;
  while (n < max && a.charCodeAt(a.length - 1 - n) === b.charCodeAt(b.length - 1 - n)) n++;
  return n;
}

/**
 * Trees of the documents being edited. A new full text is diffed against the old one (common
 * prefix and suffix) and applied with `tree.edit`, so tree-sitter reparses only what changed: LSP
 * full sync costs one string compare, not a full parse. Only the `capacity` most recently updated
 * documents keep their tree (an evicted one is parsed whole on its next change): trees live in
 * wasm memory, which grows to the most it ever held and never shrinks, and a workspace may have
 * hundreds of files open that nobody types in.
 */
export class DocumentTrees {
  private readonly entries = new Map<string, Entry>();
  private readonly parsers = new Map<GrammarId, Parser>();

  constructor(private readonly capacity = 16) {}

  /** How many trees are held. */
  get size(): number {
    return this.entries.size;
  }

  private async parser(grammar: GrammarId): Promise<Parser> {
    let parser = this.parsers.get(grammar);
    if (!parser) {
      parser = await createParser(grammar);
      this.parsers.set(grammar, parser);
    }
    return parser;
  }

  /** Sets a document's text and returns its up-to-date tree (owned by this cache). */
  async update(uri: string, grammar: GrammarId, text: string): Promise<Tree> {
    const parser = await this.parser(grammar);
    const old = this.entries.get(uri);
    if (old && old.grammar === grammar) {
      if (old.text === text) return old.tree;
      const edit = diffEdit(old.text, text);
      old.tree.edit(edit);
      const tree = parser.parse(text, old.tree);
      if (!tree) throw new Error(`tree-sitter could not parse ${uri}`);
      old.tree.delete();
      this.keep(uri, { grammar, text, tree });
      return tree;
    }
    old?.tree.delete();
    const tree = parser.parse(text);
    if (!tree) throw new Error(`tree-sitter could not parse ${uri}`);
    this.keep(uri, { grammar, text, tree });
    return tree;
  }

  /** Stores a document's entry as the most recent one, evicting the least recent beyond capacity. */
  private keep(uri: string, entry: Entry): void {
    this.entries.delete(uri);
    this.entries.set(uri, entry);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.capacity) break;
      this.close(oldest);
    }
  }

  close(uri: string): void {
    this.entries.get(uri)?.tree.delete();
    this.entries.delete(uri);
  }

  dispose(): void {
    for (const uri of [...this.entries.keys()]) this.close(uri);
    for (const parser of this.parsers.values()) parser.delete();
    this.parsers.clear();
  }
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
