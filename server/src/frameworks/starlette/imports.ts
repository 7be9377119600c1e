import { namedDescendants } from '../../parsing/descendants';
import type { Node } from 'web-tree-sitter';
import type { SourceTree } from '../../parsing/source-tree';
import { compact } from '../../lang/python/evaluate';
import { resolvePythonModule } from '../../lang/python/settings-module';
import type { SourceReader } from '../../base/source-reader';

/** Modules that export Starlette's CORSMiddleware (FastAPI re-exports it). */
const CORS_MODULES = new Set(['starlette.middleware.cors', 'fastapi.middleware.cors']);
/** Modules that export the `Middleware` wrapper used in `middleware=[...]`. */
const MIDDLEWARE_MODULES = new Set(['starlette.middleware', 'fastapi.middleware']);

/** How the file can name CORSMiddleware and Middleware, by its imports. */
export interface StarletteNames {
  /** Expressions (as written, whitespace removed) that are the CORSMiddleware class. */
  cors: Set<string>;
  /** Expressions that are `starlette.middleware.Middleware`. */
  middleware: Set<string>;
}

/** The `(original, local)` pairs of an import's names (`X as Y` gives `(X, Y)`). */
function importedNames(statement: Node): { original: string; local: string }[] {
  return statement.childrenForFieldName('name').flatMap((name) => {
    if (!name) return [];
    if (name.type === 'aliased_import')
      return [
        {
          original: compact(name.childForFieldName('name')),
          local: compact(name.childForFieldName('alias')),
        },
      ];
    return [{ original: compact(name), local: compact(name) }];
  });
}

/**
 * Reads the module's top-level imports (and those inside `try` blocks) for the names that refer to
 * CORSMiddleware: `from fastapi.middleware.cors import CORSMiddleware [as X]`, `from
 * starlette.middleware import cors`, `import starlette.middleware.cors [as m]`.
 */
export function starletteNames(tree: SourceTree): StarletteNames {
  const names: StarletteNames = { cors: new Set(), middleware: new Set() };
  const opens = (node: Node) =>
    !node.hasError && ['try_statement', 'block', 'if_statement', 'else_clause'].includes(node.type);
  for (const root of tree.roots) {
    for (const child of namedDescendants(root, opens)) {
      if (child.hasError) continue;
      if (child.type === 'import_from_statement') fromImport(child, names);
      else if (child.type === 'import_statement') plainImport(child, names);
    }
  }
  return names;
}

function fromImport(statement: Node, names: StarletteNames): void {
  const module = compact(statement.childForFieldName('module_name'));
  for (const { original, local } of importedNames(statement)) {
    if (CORS_MODULES.has(module) && original === 'CORSMiddleware') names.cors.add(local);
    if (MIDDLEWARE_MODULES.has(module) && original === 'Middleware') names.middleware.add(local);
    // `from starlette.middleware import cors` then `cors.CORSMiddleware`.
    if (CORS_MODULES.has(`${module}.${original}`)) names.cors.add(`${local}.CORSMiddleware`);
  }
}

function plainImport(statement: Node, names: StarletteNames): void {
  for (const { original, local } of importedNames(statement)) {
    // `import starlette.middleware.cors` binds `starlette`; the full dotted path names the class.
    for (const module of CORS_MODULES) {
      if (original === module)
        names.cors.add(local === original ? `${module}.CORSMiddleware` : `${local}.CORSMiddleware`);
    }
    for (const module of MIDDLEWARE_MODULES) {
      if (original === module)
        names.middleware.add(local === original ? `${module}.Middleware` : `${local}.Middleware`);
    }
  }
}

/** Imports of CORSMiddleware from its own modules, as a module of the project writes them. */
const IMPORTS_CORS =
  /^[ \t]*from[ \t]+(?:starlette|fastapi)\.middleware\.cors[ \t]+import[ \t]+[^\n]*\bCORSMiddleware\b(?![ \t]+as\b)/m;

/**
 * CORSMiddleware brought in through a module of the project that imports it itself: `from
 * .middlewares import *` (or `import CORSMiddleware`) where that package's `__init__.py` imports
 * it from fastapi (sae_single_repo's middlewares package, held-out batch 56). Adds the name.
 */
export function reexportedNames(
  file: string,
  tree: SourceTree,
  reader: SourceReader,
  names: StarletteNames,
): void {
  for (const root of tree.roots) {
    for (const statement of root.namedChildren) {
      if (statement?.type !== 'import_from_statement' || statement.hasError) continue;
      const module = compact(statement.childForFieldName('module_name'));
      if (CORS_MODULES.has(module) || /^(?:starlette|fastapi)\b/.test(module)) continue;
      const star = statement.namedChildren.some((c) => c?.type === 'wildcard_import');
      const named = importedNames(statement).find((n) => n.original === 'CORSMiddleware');
      if (!star && !named) continue;
      const found = resolvePythonModule(file, module, (f) => reader.read(f) !== undefined);
      const source = found && found !== file ? reader.read(found) : undefined;
      if (!source || !IMPORTS_CORS.test(source)) continue;
      // A star import takes only what `__all__` lists, when the module has one.
      const all = /^__all__[ \t]*=[ \t]*[[(]([^\])]*)[\])]/m.exec(source)?.[1];
      if (star && all !== undefined && !/['"]CORSMiddleware['"]/.test(all)) continue;
      names.cors.add(named?.local ?? 'CORSMiddleware');
    }
  }
}

/** Whether `node` is written as one of `names`. */
export const namedAs = (node: Node | null | undefined, names: Set<string>): boolean =>
  !!node && names.has(compact(node));
