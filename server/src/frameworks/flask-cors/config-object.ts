/**
 * `app.config.from_object(...)` followed to the project's own code: a dotted string
 * (`"pkg.config.ProdConfig"`, `"config"`, read as Flask's `import_string` does: the module before
 * the last dot and its attribute, else the whole path as a module) or a name the module imports
 * (`from pkg.config import ProdConfig`, `from .config import ProdConfig`). A class gives its
 * wanted attributes after its bases' (defined in the same module or imported from another one of
 * the project's); a module its top-level keys. Files outside the project are never read: what
 * they set stays unknown.
 */
import type { Node } from 'web-tree-sitter';
import type { SourceReader } from '../../base/source-reader';
import { insideProject, projectRootOf } from '../../base/project-root';
import { spanOf, type PythonEvaluator } from '../../lang/python/evaluate';
import { callArguments, readModuleValues } from '../../lang/python/module-values';
import { resolvePythonModule } from '../../lang/python/settings-module';
import { parseText } from '../../parsing/parser';
import type { SourceTree } from '../../parsing/source-tree';
import { classAssignments, topLevelClasses } from '../../lang/python/classes';
import { configModuleValues, type ConfigValues, type WantedKey } from './config-module';

/** One `from_object` call: the keys it sets, or undefined when it could not be followed. */
export interface ConfigObject {
  call: Node;
  values?: ConfigValues;
  files: string[];
}

/** The module and name an `import_from_statement` binds to `local`, when it does. */
function importedAs(node: Node, local: string): string | undefined {
  const module = node.childForFieldName('module_name')?.text;
  for (const name of node.childrenForFieldName('name')) {
    const bound = name?.type === 'aliased_import' ? name.childForFieldName('alias') : name;
    const original = name?.type === 'aliased_import' ? name.childForFieldName('name') : name;
    if (module && bound?.text === local && original) return `${module}.${original.text}`;
  }
  return undefined;
}

/** What a `from_object` argument names: a dotted path, or an imported name's module and name. */
function target(tree: SourceTree, arg: Node, evaluator: PythonEvaluator): string | undefined {
  const value = evaluator.evaluate(arg);
  // `import_string` takes absolute paths only.
  if (value?.kind === 'str') return value.value.startsWith('.') ? undefined : value.value;
  if (arg.type !== 'identifier') return undefined;
  // Imports inside the app factory count too (`from .config import ProdConfig` in create_app).
  for (const node of tree.descendantsOfType('import_from_statement')) {
    const found = importedAs(node, arg.text);
    if (found) return found;
  }
  return undefined;
}

/** The value a module's top level assigns to `name` (`config_by_name = {...}`). */
function topLevelValue(tree: SourceTree, name: string): Node | undefined {
  for (const node of tree.topLevel()) {
    const assignment = node?.type === 'expression_statement' ? node.namedChildren[0] : null;
    if (assignment?.type !== 'assignment' || assignment.childForFieldName('left')?.text !== name)
      continue;
    return assignment.childForFieldName('right') ?? undefined;
  }
  return undefined;
}

/** The top-level class `name` of a module. */
const classNamed = (tree: SourceTree, name: string): Node | undefined =>
  topLevelClasses(tree).get(name);

/** A module of the project read once: its tree and an evaluator of its top-level names. */
interface ConfigModule {
  file: string;
  tree: SourceTree;
  evaluator: PythonEvaluator;
  files: string[];
}

/** Reads the project's config modules and classes that `from_object` names. */
class ConfigReader {
  private readonly modules = new Map<string, ConfigModule>();
  private readonly exists: (candidate: string) => boolean;

  constructor(
    private readonly file: string,
    private readonly reader: SourceReader,
    private readonly trees: SourceTree[],
    private readonly wanted: WantedKey,
  ) {
    const root = projectRootOf(file, reader.scopes);
    this.exists = (candidate) =>
      insideProject(root, candidate) && reader.read(candidate) !== undefined;
  }

  /** The project's module `dotted` as imported from `from`. */
  private resolve(from: string, dotted: string): string | undefined {
    return resolvePythonModule(from, dotted, this.exists);
  }

  /** The text and tree of the project's file `file` (kept until the caller is done). */
  private async parse(file: string): Promise<{ text: string; tree: SourceTree }> {
    const text = this.reader.read(file)!;
    const tree = await parseText('python', text);
    this.trees.push(tree);
    return { text, tree };
  }

  private async module(file: string): Promise<ConfigModule> {
    const known = this.modules.get(file);
    if (known) return known;
    const { text, tree } = await this.parse(file);
    // Every top-level name: a wanted key may be set from any of them.
    const values = await readModuleValues(file, text, tree, this.reader, () => true);
    const module = { file, tree, evaluator: values.evaluator, files: values.files };
    this.modules.set(file, module);
    return module;
  }

  /** `dotted` (`pkg.config.ProdConfig`) as a class of the project, imported from `from`. */
  private async classAt(
    from: string,
    dotted: string,
  ): Promise<{ module: ConfigModule; cls: Node } | undefined> {
    const cut = dotted.lastIndexOf('.');
    const owner = cut > 0 ? this.resolve(from, dotted.slice(0, cut)) : undefined;
    if (!owner) return undefined;
    const module = await this.module(owner);
    const cls = classNamed(module.tree, dotted.slice(cut + 1));
    return cls && { module, cls };
  }

  /**
   * A base class named in `module`: defined there, or imported at its top level from another of
   * the project's modules (`from config.base import BaseConfig`).
   */
  private async base(
    module: ConfigModule,
    name: string,
  ): Promise<{ module: ConfigModule; cls: Node } | undefined> {
    const own = classNamed(module.tree, name);
    if (own) return { module, cls: own };
    for (const node of module.tree.topLevel()) {
      if (node?.type !== 'import_from_statement') continue;
      const dotted = importedAs(node, name);
      if (dotted) return this.classAt(module.file, dotted);
    }
    return undefined;
  }

  /** A class's wanted attributes, after those of its bases (the files read with them). */
  private async classValues(
    module: ConfigModule,
    cls: Node,
    seen = new Set<number>(),
  ): Promise<{ values: ConfigValues; files: string[] }> {
    const values: ConfigValues = new Map();
    const files: string[] = [];
    // The same class reached twice (a diamond, or a cycle through imports) adds nothing new.
    if (seen.has(cls.id)) return { values, files };
    seen.add(cls.id);
    // In Python's MRO an earlier base wins over a later one: read the later ones first.
    const bases = cls.childForFieldName('superclasses')?.namedChildren ?? [];
    for (const name of [...bases].reverse()) {
      const parent = name?.type === 'identifier' ? await this.base(module, name.text) : undefined;
      if (!parent) continue;
      const inherited = await this.classValues(parent.module, parent.cls, seen);
      for (const [k, v] of inherited.values) values.set(k, v);
      files.push(...inherited.files);
    }
    for (const { name, assignment, right } of classAssignments(cls))
      if (this.wanted(name))
        values.set(name, {
          value: module.evaluator.evaluate(right)!,
          at: spanOf(module.file, assignment),
          node: right,
        });
    return { values, files: [...new Set([...files, ...module.files])] };
  }

  /**
   * A class a name gives in `module`: defined or imported there (`DevConfig`), or an entry of a
   * dict of classes there (`config_by_name["dev"]`, `{"dev": DevConfig, ...}`).
   */
  private async classNamedIn(
    module: ConfigModule,
    arg: Node,
  ): Promise<{ module: ConfigModule; cls: Node } | undefined> {
    if (arg.type === 'identifier') return this.base(module, arg.text);
    if (arg.type !== 'subscript') return undefined;
    const dict = arg.childForFieldName('value');
    const key = arg.childForFieldName('subscript');
    const wanted = key && module.evaluator.evaluate(key);
    if (dict?.type !== 'identifier' || wanted?.kind !== 'str') return undefined;
    const owner = await this.dictOwner(module, dict.text);
    const literal = owner && topLevelValue(owner.tree, dict.text);
    if (!owner || literal?.type !== 'dictionary') return undefined;
    for (const pair of literal.namedChildren) {
      if (pair?.type !== 'pair') continue;
      const k = pair.childForFieldName('key');
      const v = pair.childForFieldName('value');
      if (k && v?.type === 'identifier' && owner.evaluator.evaluate(k)?.kind === 'str') {
        const found = owner.evaluator.evaluate(k);
        if (found?.kind === 'str' && found.value === wanted.value) return this.base(owner, v.text);
      }
    }
    return undefined;
  }

  /** The module whose top level binds `name`: `module` itself, or the project module it imports it from. */
  private async dictOwner(module: ConfigModule, name: string): Promise<ConfigModule | undefined> {
    if (topLevelValue(module.tree, name)) return module;
    for (const node of module.tree.topLevel()) {
      if (node?.type !== 'import_from_statement') continue;
      const dotted = importedAs(node, name);
      if (!dotted) continue;
      const cut = dotted.lastIndexOf('.');
      const file = cut > 0 ? this.resolve(module.file, dotted.slice(0, cut)) : undefined;
      return file ? this.module(file) : undefined;
    }
    return undefined;
  }

  /** What one `from_object` argument sets, when it names the project's own code. */
  async follow(tree: SourceTree, written: Node, evaluator: PythonEvaluator) {
    // An instance made without arguments (`Config()`: jnhxlas, held-out batch 56): Flask reads
    // its attributes, the class's unless an `__init__` of it sets others.
    const instance =
      written.type === 'call' && !written.childForFieldName('arguments')?.namedChildren.length;
    const arg = (instance && written.childForFieldName('function')) || written;
    const dotted = instance ? undefined : target(tree, arg, evaluator);
    // A class of this module, or an entry of a dict of classes (`config_by_name[env]` aside).
    if (!dotted && (arg.type === 'identifier' || arg.type === 'subscript')) {
      const found = await this.classNamedIn(await this.module(this.file), arg);
      if (instance && found && /\bdef\s+__init__\b/.test(found.cls.text)) return undefined;
      return found && this.classValues(found.module, found.cls);
    }
    if (!dotted) return undefined;
    const found = await this.classAt(this.file, dotted);
    if (found) return this.classValues(found.module, found.cls);
    const file = this.resolve(this.file, dotted);
    if (!file) return undefined;
    const { text, tree: moduleTree } = await this.parse(file);
    return configModuleValues(file, text, moduleTree, this.reader, this.wanted);
  }
}

/**
 * Every `from_object` call of a module, followed where it names the project's own code. The trees
 * read are kept in `trees` (option nodes point into them): the caller deletes them when done.
 */
export async function configObjects(
  file: string,
  tree: SourceTree,
  evaluator: PythonEvaluator,
  reader: SourceReader,
  trees: SourceTree[],
  wanted: WantedKey,
): Promise<ConfigObject[]> {
  const configs = new ConfigReader(file, reader, trees, wanted);
  const out: ConfigObject[] = [];
  for (const call of tree.descendantsOfType('call')) {
    if (!/\.config\.from_object$/.test(call.childForFieldName('function')?.text ?? '')) continue;
    const [arg] = callArguments(call).positional;
    const followed = arg && (await configs.follow(tree, arg, evaluator));
    out.push(followed ? { call, ...followed } : { call, files: [] });
  }
  return out;
}
