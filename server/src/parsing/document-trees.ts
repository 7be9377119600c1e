import type { Parser } from 'web-tree-sitter';
import { createParser, type GrammarId } from './parser';
import { SegmentedParse } from './segmented-parse';
import type { SourceTree } from './source-tree';

interface Entry {
  grammar: GrammarId;
  parse: SegmentedParse;
}

/**
 * Trees of the documents being edited. A new full text is diffed against the old one (common
 * prefix and suffix) and applied as an edit, so tree-sitter reparses only what changed (see
 * `SegmentedParse`): LSP full sync costs one string compare, not a full parse. Only the `capacity`
 * most recently updated
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
  async update(uri: string, grammar: GrammarId, text: string): Promise<SourceTree> {
    const parser = await this.parser(grammar);
    const old = this.entries.get(uri);
    if (old && old.grammar === grammar) {
      old.parse.update(parser, text);
      this.keep(uri, old);
      return old.parse.tree;
    }
    old?.parse.delete();
    const parse = SegmentedParse.parse(parser, grammar, text);
    this.keep(uri, { grammar, parse });
    return parse.tree;
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
    this.entries.get(uri)?.parse.delete();
    this.entries.delete(uri);
  }

  dispose(): void {
    for (const uri of [...this.entries.keys()]) this.close(uri);
    for (const parser of this.parsers.values()) parser.delete();
    this.parsers.clear();
  }
}
