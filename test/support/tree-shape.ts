import type { Node } from 'web-tree-sitter';
import type { SourceTree } from '../../server/src/parsing/source-tree';

/** What a parse says of each top-level node: kind, place (UTF-16 and row/column) and shape. */
export function statements(nodes: Node[]): string[] {
  return nodes.map(
    (n) =>
      `${n.type} ${n.startIndex}-${n.endIndex} ${n.startPosition.row}:${n.startPosition.column} ${n.toString()}`,
  );
}

/**
 * What two parses of the same text must agree on, however each was segmented: whether the text
 * has a syntax error and, when it has none, every top-level node.
 */
export function parseOutcome(tree: SourceTree): { hasError: boolean; statements?: string[] } {
  return tree.hasError
    ? { hasError: true }
    : { hasError: false, statements: statements(tree.topLevel()) };
}
