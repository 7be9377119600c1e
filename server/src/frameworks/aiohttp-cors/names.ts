/** How a module names aiohttp_cors's `setup` and `ResourceOptions`, by its imports. */
import type { Node } from 'web-tree-sitter';
import type { SourceTree } from '../../parsing/source-tree';
import { compact } from '../../lang/python/evaluate';

export interface AiohttpCorsNames {
  /** Expressions (whitespace removed) that are `aiohttp_cors.setup`. */
  setup: Set<string>;
  /** Expressions that are `aiohttp_cors.ResourceOptions`. */
  options: Set<string>;
}

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

/** The right-hand side of the last `name = ...` before an offset in the module (any scope), if any. */
export type Definitions = (name: string, offset: number) => Node | undefined;

/**
 * The module's `name = ...` assignments, indexed once: every lookup used to walk every assignment
 * of the module, which a module of thousands of setups and routes made quadratic.
 */
export function definitions(roots: Node[]): Definitions {
  const byName = new Map<string, { start: number; right: Node }[]>();
  for (const assignment of roots.flatMap((root) => root.descendantsOfType('assignment'))) {
    const left = assignment?.childForFieldName('left');
    const right = assignment?.childForFieldName('right');
    if (left?.type !== 'identifier' || !right) continue;
    const list = byName.get(left.text) ?? [];
    list.push({ start: assignment!.startIndex, right });
    byName.set(left.text, list);
  }
  return (name, offset) => {
    const list = byName.get(name);
    if (!list) return undefined;
    // In document order: the last one starting before `offset`.
    let low = 0;
    let high = list.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (list[middle].start < offset) low = middle + 1;
      else high = middle;
    }
    return low > 0 ? list[low - 1].right : undefined;
  };
}
