import path from 'node:path';
import type { Node, Tree } from 'web-tree-sitter';
import { parseText } from '../../parsing/parser';
import type { Setting, StaticValue } from '../../policy/types';
import type { SourceReader } from '../source-reader';
import { PythonEvaluator, spanOf, type Scope } from './evaluate';

/** The module-level names of a settings module after running it top to bottom, statically. */
export interface SettingsModule {
  /** Upper-case names (Django settings), effective value and the statement that set it last. */
  settings: Map<string, Setting>;
  /** Every name bound, for resolving later expressions. */
  scope: Scope;
  /** Files read, in load order (imported modules before the importer). */
  files: string[];
  /** Dotted modules imported by name (`from corsheaders.defaults import default_headers`). */
  imports: Set<string>;
}

/** Values of third-party names that settings files import, known without reading them. */
export type KnownModules = Record<string, Record<string, (span: Setting['nameSpan']) => StaticValue>>;

const isSettingName = (name: string) => /^[A-Z][A-Z0-9_]*$/.test(name);
const MAX_IMPORT_DEPTH = 8;

interface Load {
  file: string;
  text: string;
  tree: Tree;
}

/**
 * Runs a settings module statically: assignments, `+=`, `.append/.insert/.extend`, star and named
 * imports of sibling settings files (so `from .base import *` then `from .local import *` in a
 * `try` gives the later assignment). Values set under `if`/`for`/`with` are marked dynamic.
 */
export class SettingsModuleReader {
  constructor(
    private readonly reader: SourceReader,
    private readonly known: KnownModules,
  ) {}

  async read(file: string, text: string, tree: Tree): Promise<SettingsModule> {
    const module: SettingsModule = { settings: new Map(), scope: new Map(), files: [], imports: new Set() };
    await this.run({ file, text, tree }, module, [file]);
    return module;
  }

  private async run(load: Load, module: SettingsModule, stack: string[]): Promise<void> {
    await this.block(load.tree.rootNode, load.file, module, stack, false);
    module.files.push(load.file);
  }

  private async block(node: Node, file: string, module: SettingsModule, stack: string[], conditional: boolean): Promise<void> {
    for (const statement of node.namedChildren) {
      if (statement) await this.statement(statement, file, module, stack, conditional);
    }
  }

  private async statement(node: Node, file: string, module: SettingsModule, stack: string[], conditional: boolean): Promise<void> {
    switch (node.type) {
      case 'expression_statement':
        for (const child of node.namedChildren) if (child) this.expression(child, node, file, module, conditional);
        return;
      case 'import_from_statement':
        return this.importFrom(node, file, module, stack, conditional);
      case 'try_statement': {
        // The settings idiom `try: from .local import * / except ImportError: pass`: the body runs
        // when its imports resolve, which is what we can see.
        const body = node.childForFieldName('body');
        if (body) await this.block(body, file, module, stack, conditional);
        for (const clause of node.namedChildren) {
          if (clause?.type === 'else_clause' || clause?.type === 'finally_clause') {
            const inner = clause.childForFieldName('body') ?? clause.namedChildren.find((c) => c?.type === 'block') ?? null;
            if (inner) await this.block(inner, file, module, stack, conditional);
          }
        }
        return;
      }
      case 'if_statement':
      case 'for_statement':
      case 'while_statement':
      case 'with_statement':
        for (const child of node.namedChildren) {
          if (!child) continue;
          if (child.type === 'block') await this.block(child, file, module, stack, true);
          else if (child.type === 'elif_clause' || child.type === 'else_clause') {
            const inner = child.namedChildren.find((c) => c?.type === 'block');
            if (inner) await this.block(inner, file, module, stack, true);
          }
        }
        return;
      default:
        return;
    }
  }

  private expression(node: Node, statement: Node, file: string, module: SettingsModule, conditional: boolean): void {
    const evaluator = new PythonEvaluator(file, module.scope);
    if (node.type === 'assignment') {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (!left || !right) return;
      // `A = B = value` nests assignments on the right.
      let value = right.type === 'assignment' ? undefined : evaluator.evaluate(right);
      if (right.type === 'assignment') this.expression(right, statement, file, module, conditional);
      if (left.type !== 'identifier') return;
      value ??= module.scope.get(right.childForFieldName('left')?.text ?? '');
      if (!value) return;
      this.bind(left, conditional ? this.conditional(value, statement, file) : value, statement, file, module);
      return;
    }
    if (node.type === 'augmented_assignment') {
      const left = node.childForFieldName('left');
      const operator = node.childForFieldName('operator')?.text;
      const current = left ? module.scope.get(left.text) : undefined;
      const added = evaluator.evaluate(node.childForFieldName('right'));
      if (!left || left.type !== 'identifier' || !current || !added) return;
      const value =
        operator === '+=' && current.kind === 'list' && added.kind === 'list' && !conditional
          ? { ...current, items: [...current.items, ...added.items], envDriven: !!current.envDriven || !!added.envDriven }
          : this.conditional(current, statement, file, `changed by \`${operator}\``);
      this.update(left.text, value, module);
      return;
    }
    if (node.type === 'call') this.mutatingCall(node, statement, file, module, evaluator, conditional);
  }

  /** `NAME.append(x)`, `NAME.insert(i, x)`, `NAME.extend([...])` on a known list. */
  private mutatingCall(node: Node, statement: Node, file: string, module: SettingsModule, evaluator: PythonEvaluator, conditional: boolean): void {
    const fn = node.childForFieldName('function');
    if (fn?.type !== 'attribute') return;
    const target = fn.childForFieldName('object');
    const method = fn.childForFieldName('attribute')?.text;
    const current = target?.type === 'identifier' ? module.scope.get(target.text) : undefined;
    if (!target || !current || !method || !['append', 'insert', 'extend', 'remove'].includes(method)) return;
    const args = (node.childForFieldName('arguments')?.namedChildren ?? []).filter((a): a is Node => !!a && a.type !== 'comment');
    if (current.kind !== 'list' || conditional) {
      this.update(target.text, this.conditional(current, statement, file, `changed by \`.${method}()\``), module);
      return;
    }
    const items = [...current.items];
    if (method === 'append' && args.length === 1) items.push(evaluator.evaluate(args[0])!);
    else if (method === 'insert' && args.length === 2) {
      const index = evaluator.evaluate(args[0]);
      const value = evaluator.evaluate(args[1])!;
      if (index?.kind !== 'int') return this.update(target.text, this.conditional(current, statement, file), module);
      const at = index.value < 0 ? Math.max(0, items.length + index.value) : Math.min(index.value, items.length);
      items.splice(at, 0, value);
    } else if (method === 'extend' && args.length === 1) {
      const more = evaluator.evaluate(args[0]);
      if (more?.kind !== 'list') return this.update(target.text, this.conditional(current, statement, file), module);
      items.push(...more.items);
    } else if (method === 'remove' && args.length === 1) {
      const gone = evaluator.evaluate(args[0]);
      const at = items.findIndex((i) => i.kind === 'str' && gone?.kind === 'str' && i.value === gone.value);
      if (at >= 0) items.splice(at, 1);
    } else return;
    this.update(target.text, { ...current, items }, module);
  }

  private conditional(value: StaticValue, statement: Node, file: string, reason = 'set conditionally'): StaticValue {
    return { kind: 'dynamic', span: spanOf(file, statement), reason: `${reason}: ${value.kind === 'dynamic' ? value.reason : 'the value depends on run time'}` };
  }

  private bind(name: Node, value: StaticValue, statement: Node, file: string, module: SettingsModule): void {
    module.scope.set(name.text, value);
    if (!isSettingName(name.text)) return;
    module.settings.set(name.text, { name: name.text, value, statement: spanOf(file, statement), nameSpan: spanOf(file, name) });
  }

  /** A later mutation changes the value but keeps the assignment that created it. */
  private update(name: string, value: StaticValue, module: SettingsModule): void {
    module.scope.set(name, value);
    const setting = module.settings.get(name);
    if (setting) module.settings.set(name, { ...setting, value });
  }

  private async importFrom(node: Node, file: string, module: SettingsModule, stack: string[], conditional: boolean): Promise<void> {
    const source = node.childForFieldName('module_name');
    if (!source) return;
    const dotted = source.text.replace(/\s+/g, '');
    const names = node.childrenForFieldName('name').filter((n): n is Node => !!n);
    const wildcard = node.namedChildren.some((c) => c?.type === 'wildcard_import');

    const known = this.known[dotted];
    if (known) {
      module.imports.add(dotted);
      for (const name of names) {
        const imported = name.type === 'aliased_import' ? name.childForFieldName('name') : name;
        const local = name.type === 'aliased_import' ? name.childForFieldName('alias') : name;
        const make = imported && known[imported.text];
        if (make && local) module.scope.set(local.text, make(spanOf(file, name)));
      }
      return;
    }

    const target = this.resolveModule(file, dotted);
    if (!target || stack.includes(target) || stack.length > MAX_IMPORT_DEPTH) return;
    const text = this.reader.read(target);
    if (text === undefined) return;
    const tree = await parseText('python', text);
    try {
      const imported: SettingsModule = { settings: new Map(), scope: new Map(), files: [], imports: new Set() };
      await this.run({ file: target, text, tree }, imported, [...stack, target]);
      for (const f of imported.files) if (!module.files.includes(f)) module.files.push(f);
      for (const i of imported.imports) module.imports.add(i);
      const pick = (name: string, local: Node | null) => {
        const value = imported.scope.get(name);
        if (!value) return;
        const setting = imported.settings.get(name);
        const bound = conditional ? this.conditional(value, node, file) : value;
        module.scope.set(local?.text ?? name, bound);
        if (setting && (!local || local.text === name)) module.settings.set(name, { ...setting, value: bound });
      };
      if (wildcard) for (const name of imported.scope.keys()) pick(name, null);
      for (const name of names) {
        const original = name.type === 'aliased_import' ? name.childForFieldName('name') : name;
        if (original) pick(original.text, name.type === 'aliased_import' ? name.childForFieldName('alias') : null);
      }
    } finally {
      tree.delete();
    }
  }

  /** `.base` beside the file, `..common` one up, `project.settings.base` from any ancestor. */
  private resolveModule(file: string, dotted: string): string | undefined {
    const leading = dotted.match(/^\.*/)![0].length;
    const parts = dotted.slice(leading).split('.').filter(Boolean);
    const candidates = (root: string) => [path.join(root, ...parts) + '.py', path.join(root, ...parts, '__init__.py')];
    if (leading > 0) {
      let dir = path.dirname(file);
      for (let i = 1; i < leading; i++) dir = path.dirname(dir);
      return candidates(dir).find((c) => this.reader.read(c) !== undefined);
    }
    for (let dir = path.dirname(file), i = 0; i < 6; i++, dir = path.dirname(dir)) {
      const found = candidates(dir).find((c) => this.reader.read(c) !== undefined);
      if (found) return found;
      if (path.dirname(dir) === dir) break;
    }
    return undefined;
  }
}
