/** How a module names aiohttp_cors's `setup` and `ResourceOptions`, by its imports. */
import type { Node } from 'web-tree-sitter';
import type { SourceTree } from '../../parsing/source-tree';

export interface AiohttpCorsNames {
  /** Expressions (whitespace removed) that are `aiohttp_cors.setup`. */
  setup: Set<string>;
  /** Expressions that are `aiohttp_cors.ResourceOptions`. */
  options: Set<string>;
}

export const compact = (node: Node | null | undefined): string =>
  node?.text.replace(/\s+/g, '') ?? '';

/** `import aiohttp_cors [as x]`, `from aiohttp_cors import setup [as y], ResourceOptions`, anywhere in the module. */
export function aiohttpCorsNames(tree: SourceTree): AiohttpCorsNames {
  const names: AiohttpCorsNames = { setup: new Set(), options: new Set() };
  for (const statement of tree.descendantsOfType(['import_statement', 'import_from_statement'])) {
    const from =
      statement.type === 'import_from_statement'
        ? compact(statement.childForFieldName('module_name'))
        : undefined;
    for (const name of statement.childrenForFieldName('name')) {
      if (!name) continue;
      const original = compact(
        name.type === 'aliased_import' ? name.childForFieldName('name') : name,
      );
      const local =
        name.type === 'aliased_import' ? compact(name.childForFieldName('alias')) : original;
      if (from === 'aiohttp_cors') {
        if (original === 'setup') names.setup.add(local);
        if (original === 'ResourceOptions') names.options.add(local);
      } else if (from === undefined && original === 'aiohttp_cors') {
        names.setup.add(`${local}.setup`);
        names.options.add(`${local}.ResourceOptions`);
      }
    }
  }
  return names;
}

/** The right-hand side of the last `name = ...` before `offset` in the module (any scope), if any. */
export function definitionOf(roots: Node[], name: string, offset: number): Node | undefined {
  let found: Node | undefined;
  for (const assignment of roots.flatMap((root) => root.descendantsOfType('assignment'))) {
    if (!assignment || assignment.startIndex >= offset) continue;
    const left = assignment.childForFieldName('left');
    const right = assignment.childForFieldName('right');
    if (left?.type === 'identifier' && left.text === name && right) found = right;
  }
  return found;
}
