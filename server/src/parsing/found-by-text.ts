import type { Node } from 'web-tree-sitter';
import type { SourceTree } from './source-tree';
import { matchesWithinBudget } from '../base/budget';

/**
 * The nodes of `types` that hold a match of `pattern` (a global regex), in document order: for
 * each match, the smallest node around it, then its nearest ancestor of one of the types. An
 * extractor looking for a few statements (an import of one module, calls of one name) finds them
 * in the text and asks the tree only there: walking every node of a 1,500-line module costs a
 * keystroke milliseconds. The caller still checks each node (a match inside a string or comment
 * climbs to whatever holds it).
 */
export function nodesFoundByText(
  tree: SourceTree,
  text: string,
  pattern: RegExp,
  types: readonly string[],
): Node[] {
  const found = new Map<string, Node>();
  for (const match of matchesWithinBudget(text, pattern)) {
    const end = match.index + match[0].length;
    // The innermost node of the types around the whole match.
    const node = tree
      .ancestorsAt(match.index)
      .reverse()
      .find((n) => n.endIndex >= end && types.includes(n.type));
    if (node) found.set(`${node.startIndex}:${node.endIndex}:${node.type}`, node);
  }
  // Document order, an outer node before the nodes inside it (as a tree walk yields them).
  return [...found.values()].sort((a, b) => a.startIndex - b.startIndex || b.endIndex - a.endIndex);
}
