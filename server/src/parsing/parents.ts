import type { Node, Tree } from 'web-tree-sitter';
import { checkAmbientBudget } from '../base/budget';

/**
 * A node's parent without web-tree-sitter's `node.parent`, which is no stored pointer: each call
 * searches down from the root (`ts_node_parent`), so it costs the node's depth, and a walk up the
 * tree (`for (p = node.parent; p; p = p.parent)`) or a parent asked for each of thousands of
 * nested nodes costs the depth squared: 4,000 nested calls took seconds.
 *
 * Parents are remembered per tree, keyed by node id (unique within a tree), and learnt in
 * regions: the first question about a node descends from the root with the same steps
 * `ts_node_parent` takes (`childWithDescendant`), remembering each parent on the way, until it
 * reaches a subtree of at most {@link REGION_NODES} nodes or {@link REGION_DEPTH} levels down;
 * that subtree is then indexed whole by one cursor walk. Later questions about any node of an
 * indexed region, or of a path already descended, are one map lookup. An ordinary file indexes
 * only the small subtrees it asks about; a deeply nested one indexes its deep subtree once, so the
 * cost stays linear in the file. A tree nobody asks about costs nothing.
 */
const REGION_NODES = 256;
const REGION_DEPTH = 32;

interface Parents {
  /** The parent of each node learnt so far (null: the root). */
  readonly of: Map<number, Node | null>;
}

const byTree = new WeakMap<Tree, Parents>();

function parentsOf(tree: Tree): Parents {
  let parents = byTree.get(tree);
  if (!parents) {
    parents = { of: new Map([[tree.rootNode.id, null]]) };
    byTree.set(tree, parents);
  }
  return parents;
}

/** The parent of every node below `top` (a cursor walk: no recursion, no search from the root). */
function indexRegion(top: Node, into: Map<number, Node | null>): void {
  const found = new Map<number, Node>();
  const cursor = top.walk();
  const above: Node[] = [];
  try {
    for (;;) {
      checkAmbientBudget();
      if (cursor.gotoFirstChild()) {
        // Only nodes with children are parents: make a node object for those alone.
        cursor.gotoParent();
        above.push(cursor.currentNode);
        cursor.gotoFirstChild();
      } else {
        while (!cursor.gotoNextSibling()) {
          if (above.length <= 1) {
            // Back at `top`'s last child: done. Committed whole or not at all, so a walk
            // stopped at the budget leaves no half region.
            for (const [id, parent] of found) into.set(id, parent);
            return;
          }
          cursor.gotoParent();
          above.pop();
        }
      }
      found.set(cursor.nodeId, above[above.length - 1]);
    }
  } finally {
    cursor.delete();
  }
}

/** `node`'s parent (null for the root), as `node.parent` gives it, in constant time once learnt. */
export function parentOf(node: Node): Node | null {
  const { of } = parentsOf(node.tree);
  const known = of.get(node.id);
  if (known !== undefined) return known;
  let at = node.tree.rootNode;
  for (let level = 0; ; level++) {
    if (at.descendantCount <= REGION_NODES || level >= REGION_DEPTH) {
      indexRegion(at, of);
      const parent = of.get(node.id);
      // A node the walk did not meet (none known): ask tree-sitter as before.
      return parent !== undefined ? parent : node.parent;
    }
    const next = at.childWithDescendant(node);
    // Where the search finds no child holding the node, `ts_node_parent` answers where it is.
    if (!next) return at;
    of.set(next.id, at);
    if (next.id === node.id) return at;
    at = next;
  }
}

/** `node`'s ancestors, nearest first (its parent, then the parent's parent, up to the root). */
export function* ancestors(node: Node): Generator<Node> {
  for (let up = parentOf(node); up; up = parentOf(up)) yield up;
}

/** The nearest ancestor of `node` that passes `test`, or null. */
export function closest(node: Node, test: (ancestor: Node) => boolean): Node | null {
  for (const up of ancestors(node)) if (test(up)) return up;
  return null;
}

/**
 * Forgets what was learnt of `tree`: call it before `tree.edit(...)`, which moves the tree's
 * nodes while the remembered parents keep their old positions.
 */
export function forgetParents(tree: Tree): void {
  byTree.delete(tree);
}
