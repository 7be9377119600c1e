/**
 * `app.config.from_object(...)` followed to the project's own code: a dotted string
 * (`"pkg.config.ProdConfig"`, `"config"`, read as Flask's `import_string` does: the module before
 * the last dot and its attribute, else the whole path as a module) or a name the module imports
 * (`from pkg.config import ProdConfig`). A class gives its `CORS_*` attributes, its bases' (of the
 * same module) first; a module its top-level `CORS_*` keys. Files outside the project are never
 * read: what they set stays unknown.
 */
import type { Node } from 'web-tree-sitter';
import type { SourceReader } from '../../base/source-reader';
import { insideProject, projectRootOf } from '../../base/project-root';
import { spanOf, type PythonEvaluator } from '../../lang/python/evaluate';
import { callArguments, readModuleValues } from '../../lang/python/module-values';
import { resolvePythonModule } from '../../lang/python/settings-module';
import { parseText } from '../../parsing/parser';
import type { SourceTree } from '../../parsing/source-tree';
import { configModuleLayer } from './config-module';
import type { OptionLayer, RawOption } from './options';

/** One followed `from_object` call: its `CORS_*` keys as an app.config layer. */
export interface ConfigObject {
  call: Node;
  layer: OptionLayer;
  files: string[];
}

/** What a `from_object` argument names: a dotted path, or an imported name's module and name. */
function target(tree: SourceTree, arg: Node, evaluator: PythonEvaluator): string | undefined {
  const value = evaluator.evaluate(arg);
  if (value?.kind === 'str') return value.value;
  if (arg.type !== 'identifier') return undefined;
  for (const node of tree.descendantsOfType('import_from_statement')) {
    const module = node.childForFieldName('module_name')?.text;
    for (const name of node.childrenForFieldName('name')) {
      const local = name?.type === 'aliased_import' ? name.childForFieldName('alias') : name;
      const original = name?.type === 'aliased_import' ? name.childForFieldName('name') : name;
      if (module && local?.text === arg.text && original) return `${module}.${original.text}`;
    }
  }
  return undefined;
}

/** The top-level class `name` of a module. */
function classNamed(tree: SourceTree, name: string): Node | undefined {
  return tree.root.namedChildren.find(
    (c): c is Node => c?.type === 'class_definition' && c.childForFieldName('name')?.text === name,
  );
}

/** A class's `CORS_*` attributes, after those of its bases defined in the same module. */
function classOptions(
  file: string,
  tree: SourceTree,
  cls: Node,
  evaluator: PythonEvaluator,
  seen = new Set<string>(),
): Map<string, RawOption> {
  const options = new Map<string, RawOption>();
  const name = cls.childForFieldName('name')?.text ?? '';
  if (seen.has(name)) return options;
  seen.add(name);
  // In Python's MRO an earlier base wins over a later one: read the later ones first.
  const bases = cls.childForFieldName('superclasses')?.namedChildren ?? [];
  for (const base of [...bases].reverse()) {
    const parent = base?.type === 'identifier' ? classNamed(tree, base.text) : undefined;
    if (parent)
      for (const [k, v] of classOptions(file, tree, parent, evaluator, seen)) options.set(k, v);
  }
  for (const statement of cls.childForFieldName('body')?.namedChildren ?? []) {
    const assignment =
      statement?.type === 'expression_statement' ? statement.namedChildren[0] : null;
    if (assignment?.type !== 'assignment') continue;
    const left = assignment.childForFieldName('left');
    const right = assignment.childForFieldName('right');
    if (left?.type !== 'identifier' || !left.text.startsWith('CORS_') || !right) continue;
    options.set(left.text.slice(5).toLowerCase(), {
      value: evaluator.evaluate(right)!,
      at: spanOf(file, assignment),
      node: right,
    });
  }
  return options;
}

/**
 * The `from_object` calls of a module that name the project's own code, followed. The trees they
 * read are kept in `trees` (option nodes point into them): the caller deletes them when done.
 */
export async function configObjects(
  file: string,
  tree: SourceTree,
  evaluator: PythonEvaluator,
  reader: SourceReader,
  trees: SourceTree[],
): Promise<ConfigObject[]> {
  const root = projectRootOf(file, reader.scopes);
  const exists = (candidate: string) =>
    insideProject(root, candidate) && reader.read(candidate) !== undefined;
  const out: ConfigObject[] = [];
  for (const call of tree.descendantsOfType('call')) {
    if (!/\.config\.from_object$/.test(call.childForFieldName('function')?.text ?? '')) continue;
    const [arg] = callArguments(call).positional;
    const dotted = arg && target(tree, arg, evaluator);
    if (!dotted || dotted.startsWith('.')) continue;
    const cut = dotted.lastIndexOf('.');
    const owner = cut > 0 ? resolvePythonModule(file, dotted.slice(0, cut), exists) : undefined;
    const read = async (module: string) => {
      const text = reader.read(module)!;
      const moduleTree = await parseText('python', text);
      trees.push(moduleTree);
      return { text, moduleTree };
    };
    if (owner) {
      const { text, moduleTree } = await read(owner);
      const cls = classNamed(moduleTree, dotted.slice(cut + 1));
      if (cls) {
        const values = await readModuleValues(owner, text, moduleTree, reader, () => true);
        const options = classOptions(owner, moduleTree, cls, values.evaluator);
        out.push({ call, layer: { options, unknown: false }, files: values.files });
        continue;
      }
    }
    const module = resolvePythonModule(file, dotted, exists);
    if (!module) continue;
    const { text, moduleTree } = await read(module);
    const { layer, files } = await configModuleLayer(module, text, moduleTree, reader);
    out.push({ call, layer, files });
  }
  return out;
}
