import path from 'node:path';
import type { Node } from 'web-tree-sitter';
import type { SourceTree } from '../../parsing/source-tree';
import { parseText } from '../../parsing/parser';
import type { Setting, Span, StaticValue } from '../../policy/types';
import type { SourceReader } from '../../base/source-reader';
import { currentEnvironment, envVar } from '../../environment/scope';
import { PythonEvaluator, spanOf, truthiness } from './evaluate';

/** The variable a `DEBUG = ...` statement reads: `os.environ.get("X")`, `env.bool("X")`, `config("X")`. */
const ENV_READ =
  /(?:\b(?:os\.)?(?:environ\.get|getenv)|\benv(?:\.(?:bool|str|int))?|\bconfig)\(\s*['"](\w+)['"]|\bos\.environ\[\s*['"](\w+)['"]\s*\]/;

/** The settings of a module after running it top to bottom, statically. */
export interface SettingsModule {
  /** The wanted settings (see `wanted`), effective value and the statement that set it. */
  settings: Map<string, Setting>;
  /** Files read, in load order (imported modules before the importer). */
  files: string[];
}

/** Values of third-party names that settings files import, known without reading them. */
export type KnownModules = Record<string, Record<string, (span: Span) => StaticValue>>;

/**
 * How a block runs: always (false), maybe (true: its values are unknown), or as the branch the
 * environment variables' defaults choose ('env': its values are env-driven).
 */
type Conditional = boolean | 'env';

const MAX_IMPORT_DEPTH = 8;
/**
 * Modules one read may load. Python runs each module once however often it is imported; a
 * settings reader that followed a package's imports without this re-read shared modules once per
 * path to them, which grew without bound on a large package.
 */
const MAX_MODULES = 64;

/**
 * One binding of a name: evaluated only when something asks for it (most names in a settings
 * file never matter to CORS), then memoized. `at` orders bindings so a lookup sees the value the
 * name had when the asking statement ran, as Python would.
 */
interface Binding {
  at: number;
  /** The assignment that created the value (mutations keep their creator's). */
  statement: Span;
  nameSpan: Span;
  get: () => StaticValue;
}

/**
 * An imported module's binding as the importing module sees it from `at`: an import that may not
 * run (under a condition) gives a value it cannot know.
 */
const importedBinding = (
  binding: Binding,
  at: number,
  conditional: Conditional,
  statement: Span,
): Binding => ({
  ...binding,
  at,
  get:
    conditional === true
      ? () => ({ kind: 'dynamic', span: statement, reason: 'imported conditionally' })
      : binding.get,
});

const memo = (compute: () => StaticValue): (() => StaticValue) => {
  let value: StaticValue | undefined;
  return () => (value ??= compute());
};

const ASSIGN = /^([A-Za-z_]\w*)\s*(?::[^=\n]+)?=(?!=)/;
/** `Config(name=...)`: a class (capitalised) called with a keyword argument. */
const INSTANCE = /^[A-Z]\w*(?:\.\w+)*\s*\([^]*?\b\w+\s*=(?!=)/;

/**
 * `config = Config(cors_origin=..., ...)`, an instance of a class (a dataclass, a NamedTuple, a
 * pydantic model) made with keyword arguments: `config.cors_origin` is that argument
 * (strawberryfields' `Config`, held-out batch 36).
 */
function bindFields(
  run: ModuleRun,
  name: string,
  call: Node,
  at: number,
  statement: Span,
  dynamicIf: (value: StaticValue) => StaticValue,
): void {
  for (const arg of call.childForFieldName('arguments')?.namedChildren ?? []) {
    const field =
      arg?.type === 'keyword_argument' ? arg.childForFieldName('name')?.text : undefined;
    const value = arg?.childForFieldName('value');
    if (!arg || !field || !value) continue;
    run.bind(`${name}.${field}`, {
      at,
      statement,
      nameSpan: spanOf(run.file, arg),
      get: memo(() =>
        dynamicIf(
          run.evaluator(at).evaluate(value) ?? {
            kind: 'dynamic',
            span: statement,
            reason: 'no value',
          },
        ),
      ),
    });
  }
}

/** `cfg = config`: `cfg.X` is `config.X` for each field bound so far. */
function aliasFields(run: ModuleRun, name: string, aliased: string, at: number): void {
  for (const field of run.fieldsOf(aliased)) {
    const binding = run.binding(field, at);
    if (binding) run.bind(name + field.slice(aliased.length), { ...binding, at });
  }
}
const CHAINED = /^[A-Za-z_]\w*\s*=\s*[A-Za-z_]\w*\s*=(?!=)/;
const AUGMENT = /^([A-Za-z_]\w*)\s*([+\-|*]=)/;
const MUTATE = /^([A-Za-z_]\w*)\s*\.\s*(append|insert|extend|remove)\s*\(/;

/** The name bindings of one module run. */
class ModuleRun {
  private readonly bindings = new Map<string, Binding[]>();
  private readonly fields = new Map<string, string[]>();
  private counter = 0;
  /** What each top-level name's statements read (see `nameDependencies`). */
  readonly deps: Map<string, Set<string>>;
  /** Local names of the imports this run did not follow: nothing asked for them yet. */
  readonly skipped = new Set<string>();
  constructor(
    readonly file: string,
    readonly text: string,
    readonly tree: SourceTree,
  ) {
    this.deps = nameDependencies(tree);
  }

  /** The assignment or call node of the expression statement at [start, end). */
  expressionAt(start: number, end: number): Node | null {
    let node: Node | null = this.tree.descendantForIndex(start, end);
    if (node?.type === 'expression_statement') return node.namedChildren[0];
    while (node && node.parent && node.parent.type !== 'expression_statement') node = node.parent;
    return node;
  }

  next(): number {
    return ++this.counter;
  }

  /** The binding of `name` in force just before statement `at`. */
  binding(name: string, at = Infinity): Binding | undefined {
    const list = this.bindings.get(name);
    if (!list) return undefined;
    for (let i = list.length - 1; i >= 0; i--) if (list[i].at < at) return list[i];
    return undefined;
  }

  bind(name: string, binding: Binding): void {
    const list = this.bindings.get(name);
    if (list) list.push(binding);
    else {
      this.bindings.set(name, [binding]);
      const dot = name.indexOf('.');
      if (dot > 0 && name.indexOf('.', dot + 1) < 0) {
        const owner = name.slice(0, dot);
        const fields = this.fields.get(owner);
        if (fields) fields.push(name);
        else this.fields.set(owner, [name]);
      }
    }
  }

  /** The names `owner.x` bound (an instance's fields, a module's values), one level deep. */
  fieldsOf(owner: string): readonly string[] {
    return this.fields.get(owner) ?? [];
  }

  /** Every binding of `name`, in order. */
  all(name: string): Binding[] {
    return this.bindings.get(name) ?? [];
  }

  names(): string[] {
    return [...this.bindings.keys()];
  }

  evaluator(at: number): PythonEvaluator {
    return new PythonEvaluator(this.file, (name) => this.binding(name, at)?.get());
  }
}

/**
 * Runs a settings module statically: assignments, `+=`, `.append/.insert/.extend/.remove`, star and
 * named imports of sibling settings files (so `from .base import *` then `from .local import *`
 * in a `try` gives the later assignment). Values set under `if`/`for`/`with` are dynamic.
 * Reads text with regexes first and touches tree nodes only for the names that matter, which
 * keeps a keystroke in a 2,000-line settings file cheap.
 */
export class SettingsModuleReader {
  private readonly trees: SourceTree[] = [];
  /** Modules already run in this read, by file: imported again, they are not run again (as in Python). */
  private readonly modules = new Map<string, ModuleRun>();
  private readonly codeOnlyOf = new Map<string, Set<string>>();
  /**
   * Names some wanted value may read, across the modules of this read: what a wanted name's
   * statements mention, and theirs in turn. An import binds only names; one none of whose names
   * is wanted or in here is not followed, so reading an app module costs its CORS setup's
   * imports, not its whole package's (lollms-webui's app.py imported 66 modules: held-out
   * batch 23).
   */
  private readonly needed = new Set<string>();

  constructor(
    private readonly reader: SourceReader,
    private readonly known: KnownModules,
    /** Which setting names to resolve into `settings`. */
    private readonly wanted: (name: string) => boolean,
    /**
     * Whether modules imported whole (`import core.config as cfg`, `from core import config`) are
     * read for their values as `cfg.X`: only for readers that want a few names (a reader that
     * wants every name would read every package the module imports).
     */
    private readonly wholeModules = false,
  ) {}

  async read(file: string, text: string, tree: SourceTree): Promise<SettingsModule> {
    const files: string[] = [];
    try {
      const run = await this.run(file, text, tree, [file], files);
      const settings = new Map<string, Setting>();
      for (const name of run.names()) {
        if (!this.wanted(name)) continue;
        const binding = run.binding(name)!;
        // Only assignments of their own (a mutation keeps its creator's statement).
        const earlier = run
          .all(name)
          .filter((b) => b !== binding && b.statement.start !== binding.statement.start)
          .map((b) => ({ value: b.get(), statement: b.statement }));
        settings.set(name, {
          name,
          value: binding.get(),
          statement: binding.statement,
          nameSpan: binding.nameSpan,
          ...(earlier.length ? { earlier } : {}),
        });
      }
      return { settings, files };
    } finally {
      // Imported modules' trees stay alive until every lazy value that needs them was read (and
      // are freed when a read stops early: a budget spent, a file that cannot be parsed).
      for (const t of this.trees.splice(0)) t.delete();
      this.modules.clear();
      this.needed.clear();
    }
  }

  private async run(
    file: string,
    text: string,
    tree: SourceTree,
    stack: string[],
    files: string[],
  ): Promise<ModuleRun> {
    const run = new ModuleRun(file, text, tree);
    this.grow(run);
    for (const root of tree.roots) await this.block(root, run, stack, files, false);
    if (!files.includes(file)) files.push(file);
    return run;
  }

  private isNeeded(name: string): boolean {
    return this.wanted(name) || this.needed.has(name);
  }

  /** Adds what the needed names' statements in this module read, until nothing more is added. */
  private grow(run: ModuleRun): void {
    for (let added = true; added;) {
      added = false;
      for (const [name, reads] of run.deps) {
        if (!this.isNeeded(name)) continue;
        for (const word of reads)
          if (!this.needed.has(word)) {
            this.needed.add(word);
            added = true;
          }
      }
    }
  }

  /** Walks a block with a cursor: expression statements are read as text, without node objects. */
  private async block(
    node: Node,
    run: ModuleRun,
    stack: string[],
    files: string[],
    conditional: Conditional,
  ): Promise<void> {
    const cursor = node.walk();
    try {
      if (!cursor.gotoFirstChild()) return;
      do {
        if (!cursor.nodeIsNamed) continue;
        if (cursor.nodeType === 'expression_statement')
          this.expression(cursor.startIndex, cursor.endIndex, run, conditional);
        else await this.statement(cursor.currentNode, run, stack, files, conditional);
      } while (cursor.gotoNextSibling());
    } finally {
      cursor.delete();
    }
  }

  private async statement(
    node: Node,
    run: ModuleRun,
    stack: string[],
    files: string[],
    conditional: Conditional,
  ): Promise<void> {
    switch (node.type) {
      case 'import_from_statement':
        return this.importFrom(node, run, stack, files, conditional);
      case 'import_statement':
        return this.wholeModules
          ? this.importModules(node, run, stack, files, conditional)
          : undefined;
      case 'try_statement': {
        // The settings idiom `try: from .local import * / except ImportError: pass`: the body runs
        // when its imports resolve, which is what we can see.
        for (const part of node.namedChildren) {
          if (!part) continue;
          if (part.type === 'block') await this.block(part, run, stack, files, conditional);
          else if (part.type === 'else_clause' || part.type === 'finally_clause') {
            const inner = part.namedChildren.find((c) => c?.type === 'block');
            if (inner) await this.block(inner, run, stack, files, conditional);
          }
        }
        return;
      }
      case 'if_statement': {
        // A branch chosen by the environment's defaults (`if allowed: ... else: ALLOW_ALL = True`
        // with the variable unset) runs as when nothing is configured; its values are env-driven.
        const taken =
          conditional === true ? undefined : this.branchTaken(node, run, conditional === 'env');
        if (taken !== undefined) {
          if (taken.block) await this.block(taken.block, run, stack, files, taken.mode);
          return;
        }
        return this.everyBranch(node, run, stack, files);
      }
      case 'for_statement':
      case 'while_statement':
      case 'with_statement':
        return this.everyBranch(node, run, stack, files);
      default:
        return;
    }
  }

  /** Every block of a compound statement, each of which may or may not run. */
  private async everyBranch(node: Node, run: ModuleRun, stack: string[], files: string[]) {
    for (const part of node.namedChildren) {
      if (!part) continue;
      const inner =
        part.type === 'block' ? part : part.namedChildren.find((c) => c?.type === 'block');
      if (
        inner &&
        (part.type === 'block' || part.type === 'elif_clause' || part.type === 'else_clause')
      ) {
        await this.block(inner, run, stack, files, true);
      }
    }
  }

  /**
   * `DEBUG` as an environment runs it, when the settings read it from an environment variable
   * (`DEBUG = env.bool("DJANGO_DEBUG", default=False)`): in development a developer runs with it
   * on unless an env file or the dev stack sets the variable; elsewhere the environment's value,
   * else the written default. Undefined outside an environment, and for a `DEBUG` written out
   * (which file production runs, and so which value, is not in the file).
   */
  private debugInEnvironment(run: ModuleRun, at: number): StaticValue | undefined {
    const environment = currentEnvironment();
    const binding = run.binding('DEBUG', at);
    if (!environment || !binding) return undefined;
    const { file, start, end } = binding.statement;
    const statement = (file === run.file ? run.text : this.reader.read(file))?.slice(start, end);
    const variable = statement && ENV_READ.exec(statement);
    const name = variable && (variable[1] ?? variable[2]);
    if (!name) return undefined;
    if (environment.name === 'development' && !envVar(name))
      return { kind: 'bool', value: true, span: binding.nameSpan, envDriven: true };
    const value = binding.get();
    return value.kind === 'dynamic' ? undefined : value;
  }

  /**
   * The block an `if` runs when its conditions are known (env variables at their defaults), or
   * undefined. A `DEBUG` switch is decided only in an environment and when `DEBUG` comes from an
   * environment variable (`debugInEnvironment`): it selects development settings.
   */
  private branchTaken(
    node: Node,
    run: ModuleRun,
    insideEnvBranch: boolean,
  ): { block: Node | null; mode: Conditional } | undefined {
    const at = run.next();
    let evaluator = run.evaluator(at);
    let envDriven = insideEnvBranch;
    const clauses: { condition: Node | null; block: Node | null }[] = [
      {
        condition: node.childForFieldName('condition'),
        block: node.childForFieldName('consequence'),
      },
    ];
    for (const part of node.namedChildren) {
      if (part?.type === 'elif_clause')
        clauses.push({
          condition: part.childForFieldName('condition'),
          block: part.childForFieldName('consequence'),
        });
      else if (part?.type === 'else_clause')
        clauses.push({ condition: null, block: part.childForFieldName('body') });
    }
    for (const clause of clauses) {
      if (!clause.condition) return { block: clause.block, mode: envDriven ? 'env' : false };
      if (/\bDEBUG\b/.test(clause.condition.text)) {
        const debug = this.debugInEnvironment(run, at);
        if (!debug) return undefined;
        evaluator = new PythonEvaluator(run.file, (name) =>
          name === 'DEBUG' ? debug : run.binding(name, at)?.get(),
        );
      } else if (/DEBUG/.test(clause.condition.text)) return undefined;
      const value = evaluator.evaluate(clause.condition);
      const truth = value ? truthiness(value) : undefined;
      if (truth === undefined || !value) return undefined;
      envDriven ||= 'envDriven' in value && !!value.envDriven;
      if (truth) return { block: clause.block, mode: envDriven ? 'env' : false };
    }
    return { block: null, mode: false };
  }

  private expression(start: number, end: number, run: ModuleRun, conditional: Conditional): void {
    const text = run.text.slice(start, end);
    const file = run.file;
    const at = run.next();
    const statementSpan: Span = { file, start, end };
    const nameAt = (name: string): Span => ({
      file,
      start: statementSpan.start,
      end: statementSpan.start + name.length,
    });
    const dynamicIf = (value: StaticValue, reason = 'set conditionally'): StaticValue =>
      conditional === true
        ? { kind: 'dynamic', span: statementSpan, reason }
        : conditional === 'env' && value.kind !== 'dynamic' && value.kind !== 'none'
          ? ({ ...value, envDriven: true } as StaticValue)
          : value;
    const node = () => run.expressionAt(start, end);

    if (CHAINED.test(text)) {
      // `A = B = value`: every target gets the value.
      const value = memo(() => {
        let right = node()?.childForFieldName('right') ?? null;
        while (right?.type === 'assignment') right = right.childForFieldName('right');
        return dynamicIf(
          run.evaluator(at).evaluate(right) ?? {
            kind: 'dynamic',
            span: statementSpan,
            reason: 'no value',
          },
        );
      });
      for (const match of text.matchAll(/([A-Za-z_]\w*)\s*=(?!=)/g)) {
        if (text.slice(0, match.index).includes('(')) break;
        const start = statementSpan.start + match.index!;
        run.bind(match[1], {
          at,
          statement: statementSpan,
          nameSpan: { file, start, end: start + match[1].length },
          get: value,
        });
      }
      return;
    }

    const assign = text.match(ASSIGN);
    if (assign) {
      const get = memo(() => {
        const right = node()?.childForFieldName('right') ?? null;
        return dynamicIf(
          run.evaluator(at).evaluate(right) ?? {
            kind: 'dynamic',
            span: statementSpan,
            reason: 'no value',
          },
        );
      });
      run.bind(assign[1], { at, statement: statementSpan, nameSpan: nameAt(assign[1]), get });
      const right = text.slice(assign[0].length).trim();
      if (/^[A-Za-z_]\w*$/.test(right)) aliasFields(run, assign[1], right, at);
      else if (INSTANCE.test(right)) {
        const call = node()?.childForFieldName('right');
        if (call?.type === 'call') bindFields(run, assign[1], call, at, statementSpan, dynamicIf);
      }
      return;
    }

    const augment = text.match(AUGMENT);
    const mutate = augment ? null : text.match(MUTATE);
    const name = augment?.[1] ?? mutate?.[1];
    const previous = name ? run.binding(name, at) : undefined;
    if (!name || !previous) return;
    const changed = (how: string): StaticValue => ({
      kind: 'dynamic',
      span: statementSpan,
      reason: `changed by ${how} where it cannot be followed`,
    });
    const get = memo(() => {
      const current = previous.get();
      const evaluator = run.evaluator(at);
      if (augment) {
        const added = evaluator.evaluate(node()?.childForFieldName('right') ?? null);
        if (
          conditional === true ||
          augment[2] !== '+=' ||
          current.kind !== 'list' ||
          added?.kind !== 'list'
        )
          return changed(`\`${augment[2]}\``);
        return {
          ...current,
          items: [...current.items, ...added.items],
          envDriven: !!current.envDriven || !!added.envDriven,
        };
      }
      const method = mutate![2];
      const args = (node()?.childForFieldName('arguments')?.namedChildren ?? []).filter(
        (a): a is Node => !!a && a.type !== 'comment',
      );
      if (current.kind !== 'list') return changed(`\`.${method}()\``);
      // `if SSO: MIDDLEWARE.append(...)`: the list as it was, then maybe more at its end (the
      // known items keep their order; doccano, held-out batch 14).
      if (conditional === true)
        return method === 'append' || method === 'extend'
          ? {
              ...current,
              items: [
                ...current.items,
                { kind: 'dynamic', span: statementSpan, reason: 'appended conditionally' },
              ],
            }
          : changed(`\`.${method}()\``);
      return (
        applyMutation(
          current,
          method,
          args.map((a) => evaluator.evaluate(a)!),
        ) ?? changed(`\`.${method}()\``)
      );
    });
    run.bind(name, { at, statement: previous.statement, nameSpan: previous.nameSpan, get });
  }

  private async importFrom(
    node: Node,
    run: ModuleRun,
    stack: string[],
    files: string[],
    conditional: Conditional,
  ): Promise<void> {
    const source = node.childForFieldName('module_name');
    if (!source) return;
    const at = run.next();
    const dotted = source.text.replace(/\s+/g, '');
    const file = run.file;
    const names = node.childrenForFieldName('name').filter((n): n is Node => !!n);
    const pairs = names.map((n) =>
      n.type === 'aliased_import'
        ? {
            original: n.childForFieldName('name')?.text ?? '',
            local: n.childForFieldName('alias')?.text ?? '',
            span: spanOf(file, n),
          }
        : { original: n.text, local: n.text, span: spanOf(file, n) },
    );

    const known = this.known[dotted];
    if (known) {
      // A name, or a submodule's names (`from aiohttp import hdrs` binds `hdrs.X` for `hdrs.X`).
      for (const { original, local, span } of pairs)
        for (const [name, make] of Object.entries(known)) {
          const rest =
            name === original
              ? ''
              : name.startsWith(`${original}.`)
                ? name.slice(original.length)
                : undefined;
          if (rest !== undefined)
            run.bind(local + rest, {
              at,
              statement: spanOf(file, node),
              nameSpan: span,
              get: memo(() => make(span)),
            });
        }
      return;
    }

    const wildcard = node.namedChildren.some((c) => c?.type === 'wildcard_import');
    if (!wildcard) {
      const asked = pairs.filter(({ local }) => this.isNeeded(local));
      if (!asked.length) {
        for (const { local } of pairs) run.skipped.add(local);
        return;
      }
      for (const { original } of asked) this.needed.add(original);
    }
    const target = this.resolveModule(file, dotted);
    if (!target || stack.includes(target) || stack.length > MAX_IMPORT_DEPTH) return;
    // Functions and classes bind no value here: a module imported only for them is not read
    // (an app module importing a large package's helpers would otherwise parse all of it).
    if (!wildcard && pairs.every(({ original }) => this.codeOnly(target).has(original))) return;
    const imported = await this.load(target, stack, files);
    if (!imported) return;
    const statement = spanOf(file, node);
    const copy = (original: string, local: string) => {
      // An instance's fields too (`from .config import config` gives `config.cors_origin`).
      for (const name of [original, ...imported.fieldsOf(original)]) {
        const binding = imported.binding(name);
        if (binding)
          run.bind(
            local + name.slice(original.length),
            importedBinding(binding, at, conditional, statement),
          );
      }
    };
    if (wildcard) for (const name of imported.names()) copy(name, name);
    for (const { original, local } of pairs) {
      if (imported.binding(original)) copy(original, local);
      // `from core import config`: a submodule, read as `config.X`.
      else if (this.wholeModules)
        await this.bindModule(`${dotted}.${original}`, local, node, run, stack, files, conditional);
    }
  }

  /** `import core.config as cfg` / `import core.config`: the module's values as `cfg.X`. */
  private async importModules(
    node: Node,
    run: ModuleRun,
    stack: string[],
    files: string[],
    conditional: Conditional,
  ): Promise<void> {
    for (const name of node.childrenForFieldName('name')) {
      if (!name) continue;
      const aliased = name.type === 'aliased_import';
      const dotted = (aliased ? name.childForFieldName('name') : name)?.text.replace(/\s+/g, '');
      const local = aliased ? name.childForFieldName('alias')?.text : dotted;
      if (dotted && local && this.isNeeded(local.split('.')[0]))
        await this.bindModule(dotted, local, node, run, stack, files, conditional);
    }
  }

  /** Binds `local.X` for each value module `dotted` binds (Endurain's `core_config.HOST`, batch 25). */
  private async bindModule(
    dotted: string,
    local: string,
    node: Node,
    run: ModuleRun,
    stack: string[],
    files: string[],
    conditional: Conditional,
  ): Promise<void> {
    const target = this.resolveModule(run.file, dotted);
    if (!target || stack.includes(target) || stack.length > MAX_IMPORT_DEPTH) return;
    const at = run.next();
    const imported = await this.load(target, stack, files);
    if (!imported) return;
    const statement = spanOf(run.file, node);
    for (const name of imported.names()) {
      const binding = imported.binding(name);
      if (binding)
        run.bind(`${local}.${name}`, importedBinding(binding, at, conditional, statement));
    }
  }

  /** The run of an imported module: once per read, and at most `MAX_MODULES` of them. */
  private async load(
    target: string,
    stack: string[],
    files: string[],
  ): Promise<ModuleRun | undefined> {
    const done = this.modules.get(target);
    if (done) {
      // Run again (same tree) when this import needs a name whose import it skipped.
      this.grow(done);
      if (![...done.skipped].some((name) => this.isNeeded(name))) return done;
    }
    // Each load keeps one tree until the read ends: their count is the modules loaded so far.
    if (!done && this.trees.length >= MAX_MODULES) return undefined;
    const text = done?.text ?? this.reader.read(target);
    if (text === undefined) return undefined;
    const tree = done?.tree ?? (await parseText('python', text));
    if (!done) this.trees.push(tree);
    const run = await this.run(target, text, tree, [...stack, target], files);
    this.modules.set(target, run);
    return run;
  }

  /** `codeOnlyNames` of a module, once per read. */
  private codeOnly(target: string): Set<string> {
    let names = this.codeOnlyOf.get(target);
    if (!names) {
      names = codeOnlyNames(this.reader.read(target) ?? '');
      this.codeOnlyOf.set(target, names);
    }
    return names;
  }

  private resolveModule(file: string, dotted: string): string | undefined {
    return resolvePythonModule(file, dotted, (c) => this.reader.read(c) !== undefined);
  }
}

const WORD = /[A-Za-z_]\w*/g;
/** Compound statements whose blocks run at module level (their header decides which). */
const COMPOUND = new Set([
  'if_statement',
  'for_statement',
  'while_statement',
  'with_statement',
  'try_statement',
]);

/**
 * For each name a module binds at top level (inside `if`/`for`/`with`/`try` too, not in
 * functions or classes), the words its binding statements and their enclosing headers read.
 * Over-inclusive (every word of the statement): it only decides which imports are followed.
 */
function nameDependencies(tree: SourceTree): Map<string, Set<string>> {
  const deps = new Map<string, Set<string>>();
  const add = (name: string, text: string) => {
    let set = deps.get(name);
    if (!set) deps.set(name, (set = new Set()));
    for (const word of text.match(WORD) ?? []) set.add(word);
  };
  const visit = (block: Node, headers: string) => {
    for (const child of block.namedChildren) {
      if (!child) continue;
      if (child.type === 'expression_statement') {
        const text = child.text;
        const target = /^[^=(]*?(?==(?!=)|[+\-|*]=)/.exec(text)?.[0] ?? MUTATE.exec(text)?.[1];
        for (const name of target?.match(WORD) ?? []) add(name, `${text} ${headers}`);
      } else if (COMPOUND.has(child.type)) {
        const body = child.namedChildren.find((c) => c?.type === 'block');
        const header = body ? child.text.slice(0, body.startIndex - child.startIndex) : '';
        for (const part of child.namedChildren) {
          if (!part) continue;
          if (part.type === 'block') visit(part, `${headers} ${header}`);
          else {
            const inner = part.namedChildren.find((c) => c?.type === 'block');
            const own = inner ? part.text.slice(0, inner.startIndex - part.startIndex) : '';
            if (inner) visit(inner, `${headers} ${header} ${own}`);
          }
        }
      }
    }
  };
  for (const root of tree.roots) visit(root, '');
  return deps;
}

/**
 * The names a module's text defines as top-level functions or classes and never binds otherwise
 * (an assignment, an import, a line of a parenthesised import list): one pass over the lines.
 */
function codeOnlyNames(text: string): Set<string> {
  const defined = new Set<string>();
  const bound = new Set<string>();
  for (const line of text.split('\n')) {
    const def = /^(?:async[ \t]+)?(?:def|class)[ \t]+(\w+)/.exec(line);
    if (def) defined.add(def[1]);
    const assigned = /^[ \t]*(\w+)[ \t]*(?::[^=]+)?=(?!=)/.exec(line);
    if (assigned) bound.add(assigned[1]);
    const listed = /^[ \t]+(\w+)[ \t]*,?[ \t]*$/.exec(line);
    if (listed) bound.add(listed[1]);
    if (/\bimport\b/.test(line)) for (const word of line.match(/\w+/g) ?? []) bound.add(word);
  }
  for (const name of bound) defined.delete(name);
  return defined;
}

/**
 * The file of a module an import names: `.base` beside the file, `..common` one up,
 * `project.settings.base` from the file's folder or any of its ancestors (up to 6 levels).
 */
export function resolvePythonModule(
  file: string,
  dotted: string,
  exists: (candidate: string) => boolean,
): string | undefined {
  const leading = dotted.match(/^\.*/)![0].length;
  const parts = dotted.slice(leading).split('.').filter(Boolean);
  const candidates = (root: string) => [
    path.join(root, ...parts) + '.py',
    path.join(root, ...parts, '__init__.py'),
  ];
  if (leading > 0) {
    let dir = path.dirname(file);
    for (let i = 1; i < leading; i++) dir = path.dirname(dir);
    return candidates(dir).find(exists);
  }
  for (let dir = path.dirname(file), i = 0; i < 6; i++, dir = path.dirname(dir)) {
    const found = candidates(dir).find(exists);
    if (found) return found;
    if (path.dirname(dir) === dir) break;
  }
  return undefined;
}

/** `.append(x)`, `.insert(i, x)`, `.extend(xs)`, `.remove(x)` on a known list; undefined if unknown. */
function applyMutation(
  current: Extract<StaticValue, { kind: 'list' }>,
  method: string,
  args: StaticValue[],
): StaticValue | undefined {
  const items = [...current.items];
  if (method === 'append' && args.length === 1) items.push(args[0]);
  else if (method === 'insert' && args.length === 2 && args[0].kind === 'int') {
    const index = args[0].value;
    items.splice(
      index < 0 ? Math.max(0, items.length + index) : Math.min(index, items.length),
      0,
      args[1],
    );
  } else if (method === 'extend' && args.length === 1 && args[0].kind === 'list')
    items.push(...args[0].items);
  else if (method === 'remove' && args.length === 1 && args[0].kind === 'str') {
    const gone = args[0].value;
    const at = items.findIndex((i) => i.kind === 'str' && i.value === gone);
    if (at < 0) return undefined;
    items.splice(at, 1);
  } else return undefined;
  return { ...current, items };
}
