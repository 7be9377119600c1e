import type { Node } from 'web-tree-sitter';

/**
 * The named nodes below `root` in document order, walked with a worklist rather than recursion
 * so a file nested thousands of levels deep cannot overflow the stack. `enter(node)` says
 * whether to look inside a node (every node is yielded either way).
 */
export function* namedDescendants(
  root: Node,
  enter: (node: Node) => boolean = () => true,
): Generator<Node> {
  const pending: Node[] = [];
  // `namedChildren` reads them in one pass; `namedChild(i)` walks from the first child each time,
  // quadratic in a node with tens of thousands of children (a 2 MB file of comments).
  const pushChildren = (node: Node) => {
    const children = node.namedChildren;
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i];
      if (child) pending.push(child);
    }
  };
  pushChildren(root);
  for (let node = pending.pop(); node; node = pending.pop()) {
    yield node;
    if (enter(node)) pushChildren(node);
  }
}
