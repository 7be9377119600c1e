import type { Node, Tree } from 'web-tree-sitter';

/**
 * A file's syntax as extractors read it. A file is one tree, except a long Python module, which is
 * parsed as several trees over runs of whole top-level statements (see `segmented-parse.ts`): its
 * roots, in order, hold the module's statements, each one where a parse of the whole file puts it.
 */
export class SourceTree {
  // Read once: each `rootNode` is a call into the parser's memory, and a 2 MB module has
  // thousands of segments, asked for once per node an extractor looks up.
  private rootNodes?: readonly Node[];

  constructor(private readonly trees: readonly Tree[]) {}

  private get cachedRoots(): readonly Node[] {
    return (this.rootNodes ??= this.trees.map((tree) => tree.rootNode));
  }

  /** The roots of the file's trees, in document order. */
  get roots(): Node[] {
    return [...this.cachedRoots];
  }

  /** The root of a file parsed as one tree: every grammar's files but Python's, whose readers use `roots`. */
  get root(): Node {
    if (this.trees.length !== 1)
      throw new Error(`this file was parsed in ${this.trees.length} segments: read its roots`);
    return this.trees[0].rootNode;
  }

  get hasError(): boolean {
    return this.trees.some((tree) => tree.rootNode.hasError);
  }

  /** The top-level nodes of the file (a module's statements, comments included), in order. */
  topLevel(): Node[] {
    return this.roots.flatMap((root) =>
      root.children.filter((child): child is Node => child !== null),
    );
  }

  /** Every node of `type`, in document order. */
  descendantsOfType(type: string | string[]): Node[] {
    return this.roots.flatMap((root) =>
      root.descendantsOfType(type).filter((node): node is Node => node !== null),
    );
  }

  /** The smallest node that spans [start, end), from the tree that holds `start`. */
  descendantForIndex(start: number, end = start): Node | null {
    // The last root starting at or before `start` (the first root when none does).
    const roots = this.cachedRoots;
    let low = 0;
    let high = roots.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (roots[middle].startIndex <= start) low = middle;
      else high = middle - 1;
    }
    return roots[low].descendantForIndex(start, end);
  }

  /** Frees the trees (only for a tree the caller owns, as `parseText` gives). */
  delete(): void {
    for (const tree of this.trees) tree.delete();
  }
}
