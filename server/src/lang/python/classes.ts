/**
 * A Python module's classes as settings readers see them (Flask config classes,
 * django-configurations): the module's top-level classes by name, and the `NAME = value`
 * assignments of a class body.
 */
import type { Node } from 'web-tree-sitter';
import type { SourceTree } from '../../parsing/source-tree';

const read = new WeakMap<SourceTree, Map<string, Node>>();

/**
 * The module's top-level classes (decorated or not) by name; a later one of a name wins, as at
 * run time. Read once per tree: a reader looks classes up once per base of each class it follows.
 */
export function topLevelClasses(tree: SourceTree): Map<string, Node> {
  const known = read.get(tree);
  if (known) return known;
  const classes = new Map<string, Node>();
  read.set(tree, classes);
  for (const node of tree.topLevel()) {
    const cls = node.type === 'decorated_definition' ? node.childForFieldName('definition') : node;
    const name = cls?.type === 'class_definition' ? cls.childForFieldName('name')?.text : undefined;
    if (cls && name) classes.set(name, cls);
  }
  return classes;
}

/** The `name = value` assignments of a class body, in order. */
export function classAssignments(cls: Node): { name: string; assignment: Node; right: Node }[] {
  const out: { name: string; assignment: Node; right: Node }[] = [];
  for (const statement of cls.childForFieldName('body')?.namedChildren ?? []) {
    const assignment =
      statement?.type === 'expression_statement' ? statement.namedChildren[0] : null;
    if (assignment?.type !== 'assignment') continue;
    const left = assignment.childForFieldName('left');
    const right = assignment.childForFieldName('right');
    if (left?.type === 'identifier' && right) out.push({ name: left.text, assignment, right });
  }
  return out;
}
