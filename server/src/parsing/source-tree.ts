import type { Node, Tree } from 'web-tree-sitter';

/**
 * A file's syntax as extractors read it. A file is one tree, except a long Python module, which is
 * parsed as several trees over runs of whole top-level statements (see `segmented-parse.ts`): its
 * roots, in order, hold the module's statements, each one where a parse of the whole file puts it.
 */
const owners = new WeakMap<Tree, SourceTree>();

/** JSX text a bare `&` starts (`Privacy & Security`), which tree-sitter reads as an error. */
const JSX_PARENTS = new Set(['jsx_element', 'jsx_fragment']);
const ampersandText = (node: Node) =>
  JSX_PARENTS.has(node.parent?.type ?? '') &&
  node.children.every((c, i) => (i === 0 ? c?.type === '&' : c?.type === 'identifier'));

/**
 * Whether a tree holds an error other than a bare `&` in JSX text: JSX reads `&` as text unless
 * it starts an entity (`&amp;`), and TypeScript and Babel parse `<h2>Privacy & Security</h2>`,
 * but tree-sitter's JSX grammar leaves an ERROR there (held-out batch 50: eight pages of four
 * projects said "has syntax errors"). Only nodes that hold an error are walked.
 */
function realError(root: Node): boolean {
  // A loop, not recursion: an error can sit thousands of levels deep (fuzz seed 2044).
  const stack: Node[] = [root];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (node.isMissing) return true;
    if (node.type === 'ERROR') {
      if (!ampersandText(node)) return true;
      continue;
    }
    const erring = node.children.filter((c): c is Node => !!c && (c.hasError || c.isMissing));
    // An error no visible node holds (in a hidden rule's subtree): an error all the same (a
    // Python module tree-sitter flags with no ERROR or MISSING node under it, found by the
    // segmented-parse test's edits).
    if (!erring.length) return true;
    for (const child of erring) stack.push(child);
  }
  return false;
}

export class SourceTree {
  // Read once: each `rootNode` is a call into the parser's memory, and a 2 MB module has
  // thousands of segments, asked for once per node an extractor looks up.
  private rootNodes?: readonly Node[];

  constructor(private readonly trees: readonly Tree[]) {
    for (const tree of trees) owners.set(tree, this);
  }

  /** The file a tree is (a segment of): a node knows its tree, not the other segments. */
  static of(tree: Tree): SourceTree | undefined {
    return owners.get(tree);
  }

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

  /** Whether the file has a syntax error (a bare `&` in JSX text is none: see `realError`). */
  get hasError(): boolean {
    return this.cachedRoots.some((root) => root.hasError && realError(root));
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
    return this.rootAt(start).descendantForIndex(start, end);
  }

  /**
   * The nodes that hold the character at `at`, from the root down to the leaf there, read in one
   * descent. Climbing by `parent` instead costs a walk down from the root per step (tree-sitter
   * keeps no parent links), which a node of ~100,000 children (2 MB of code after an unclosed
   * bracket) makes seconds a climb.
   */
  ancestorsAt(at: number): Node[] {
    const cursor = this.rootAt(at).walk();
    try {
      const path = [cursor.currentNode];
      // Into the child that holds `at`, level by level (the cursor reads offsets without nodes).
      // (web-tree-sitter 0.27's gotoFirstChildForIndex never moves, so the siblings are stepped.)
      descend: while (cursor.gotoFirstChild()) {
        do {
          if (cursor.endIndex <= at) continue;
          if (cursor.startIndex > at) break descend;
          path.push(cursor.currentNode);
          continue descend;
        } while (cursor.gotoNextSibling());
        break;
      }
      return path;
    } finally {
      cursor.delete();
    }
  }

  /** The root of the tree that holds `at`: the last starting at or before it (else the first). */
  private rootAt(at: number): Node {
    const roots = this.cachedRoots;
    let low = 0;
    let high = roots.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (roots[middle].startIndex <= at) low = middle;
      else high = middle - 1;
    }
    return roots[low];
  }

  /** Frees the trees (only for a tree the caller owns, as `parseText` gives). */
  delete(): void {
    for (const tree of this.trees) tree.delete();
  }
}
