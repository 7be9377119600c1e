import { Edit, type Parser, type Point, type Tree } from 'web-tree-sitter';
import { createParser, type GrammarId } from './parser';

interface Entry {
  grammar: GrammarId;
  text: string;
  tree: Tree;
}

/** The row/column (UTF-16 units, as web-tree-sitter counts JS strings) of an offset. */
function pointAt(text: string, offset: number): Point {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

/**
 * One tree per open document. A new full text is diffed against the old one (common prefix and
 * suffix) and applied with `tree.edit`, so tree-sitter reparses only what changed: LSP full sync
 * costs one string compare, not a full parse.
 */
export class DocumentTrees {
  private readonly entries = new Map<string, Entry>();
  private readonly parsers = new Map<GrammarId, Parser>();

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
      this.entries.set(uri, { grammar, text, tree });
      return tree;
    }
    old?.tree.delete();
    const tree = parser.parse(text);
    if (!tree) throw new Error(`tree-sitter could not parse ${uri}`);
    this.entries.set(uri, { grammar, text, tree });
    return tree;
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
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let oldEnd = before.length;
  let newEnd = after.length;
  while (oldEnd > start && newEnd > start && before.charCodeAt(oldEnd - 1) === after.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  return new Edit({
    startIndex: start,
    oldEndIndex: oldEnd,
    newEndIndex: newEnd,
    startPosition: pointAt(before, start),
    oldEndPosition: pointAt(before, oldEnd),
    newEndPosition: pointAt(after, newEnd),
  });
}
