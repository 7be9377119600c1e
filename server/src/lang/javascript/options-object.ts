/**
 * The options object a JS CORS middleware is called with (`cors({...})`, `register(cors, {...})`),
 * read key by key: inline, bound to a module `const`, or exported by another module of the
 * workspace (`import { corsOptions } from './config/cors'`). Shared by the frameworks whose options
 * are one object literal (Fastify, Koa, Hono).
 */
import path from 'node:path';
import type { Node } from 'web-tree-sitter';
import type { SourceReader } from '../../base/source-reader';
import { grammarFor } from '../../parsing/languages';
import { parseText } from '../../parsing/parser';
import type { OriginPolicy, Span, StaticValue } from '../../policy/types';
import { JsEvaluator, jsStringValue, spanOf, unwrap } from './evaluate';
import { assignedValue, exportsOf } from './exports';
import { namedDescendants } from '../../parsing/descendants';

/** Whether a function body decides anything (an `if`, `?:`, `switch`, `try` or a binary operator). */
export const bodyBranches = (body: Node): boolean =>
  [
    'if_statement',
    'ternary_expression',
    'switch_statement',
    'try_statement',
    'binary_expression',
  ].some((t) => body.descendantsOfType(t).length > 0);

/** The first argument of a call, comments aside. */
export const firstArgument = (call: Node): Node | undefined =>
  call.childForFieldName('arguments')?.namedChildren.find((a) => a && a.type !== 'comment') ??
  undefined;

/** One option as written: its value, the value's node, and the whole `key: value` entry. */
export interface JsOption {
  value: StaticValue;
  node?: Node;
  pair: Span;
  /** The key as written (inside its quotes), for an entry written as `key: value`. */
  key?: Span;
}

/** The object literal's entries by key; undefined when the node is not a readable object literal. */
export function optionEntries(
  js: JsEvaluator,
  node: Node | undefined,
): Map<string, JsOption> | undefined {
  if (!node) return new Map();
  const resolved = js.resolveNode(node);
  if (resolved.type !== 'object' || resolved.hasError) return undefined;
  const out = new Map<string, JsOption>();
  for (const child of resolved.namedChildren) {
    if (!child) continue;
    if (child.type === 'pair' || child.type === 'method_definition') {
      const keyNode = child.childForFieldName(child.type === 'pair' ? 'key' : 'name');
      const key = keyNode && (keyNode.type === 'string' ? jsStringValue(keyNode) : keyNode.text);
      const valueNode =
        child.type === 'pair' ? (child.childForFieldName('value') ?? undefined) : child;
      if (key && valueNode)
        out.set(key, {
          value:
            child.type === 'pair'
              ? js.evaluate(valueNode)
              : { kind: 'dynamic', span: spanOf(js.file, child), reason: 'a method' },
          node: valueNode,
          pair: spanOf(js.file, child),
          key: spanOf(
            js.file,
            keyNode.type === 'string'
              ? (keyNode.namedChildren.find((c) => c?.type === 'string_fragment') ?? keyNode)
              : keyNode,
          ),
        });
    } else if (child.type === 'shorthand_property_identifier') {
      // A module-level name, else one of the function around it (`const origin = ...` in a delegate).
      const local = js.resolveNode(child);
      const bound = js.declaration(child.text) ?? (local.id === child.id ? undefined : local);
      out.set(child.text, { value: js.evaluate(child), node: bound, pair: spanOf(js.file, child) });
    } else if (child.type === 'spread_element') {
      const spreadNode = child.namedChildren[0] ?? child;
      const spread = js.evaluate(spreadNode);
      if (spread.kind === 'dict') {
        for (const entry of spread.entries)
          if (entry.key.kind === 'str')
            out.set(entry.key.value, { value: entry.value, pair: entry.value.span });
        continue;
      }
      // `...(cond && { allowedHeaders })`: those keys may or may not be set.
      const keys = conditionalKeys(spreadNode);
      if (!keys) return undefined;
      const pair = spanOf(js.file, child);
      for (const key of keys)
        out.set(key, {
          value: { kind: 'dynamic', span: pair, reason: 'set by a conditional spread' },
          pair,
        });
    }
  }
  return out;
}

/**
 * The keys a spread may set when it is `cond && { ... }` or `cond ? { ... } : { ... }` (object
 * literals, `{}`, `null`, `undefined`); undefined when it spreads something else.
 */
function conditionalKeys(spread: Node): string[] | undefined {
  const node = unwrap(spread);
  const branches =
    node.type === 'binary_expression' && node.childForFieldName('operator')?.text === '&&'
      ? [node.childForFieldName('right')]
      : node.type === 'ternary_expression'
        ? [node.childForFieldName('consequence'), node.childForFieldName('alternative')]
        : undefined;
  if (!branches) return undefined;
  const keys: string[] = [];
  for (const branch of branches) {
    const inner = branch && unwrap(branch);
    if (inner && ['null', 'undefined'].includes(inner.type)) continue;
    if (inner?.type !== 'object') return undefined;
    for (const child of inner.namedChildren) {
      if (child?.type === 'shorthand_property_identifier') keys.push(child.text);
      else if (child?.type === 'pair') {
        const key = child.childForFieldName('key');
        const name = key && (key.type === 'string' ? jsStringValue(key) : key.text);
        if (!name) return undefined;
        keys.push(name);
      } else if (child && child.type !== 'comment') return undefined;
    }
  }
  return keys;
}

const EXTENSIONS = ['.ts', '.js', '.mjs', '.cjs', '.mts', '.cts', '.tsx', '.jsx'];

/** The files a relative module specifier may name (`./config/cors` → `config/cors.ts`, `.../index.js`). */
function candidates(from: string, spec: string, aliasRoot?: string): string[] {
  // `@/lib/cors` and `~/lib/cors`: the `paths` alias Next.js and Vite projects set to `src/` or
  // the project root.
  const alias = /^[@~]\//.test(spec) && aliasRoot;
  if (alias)
    return [path.join(aliasRoot, 'src'), aliasRoot].flatMap((dir) =>
      candidates(path.join(dir, 'x'), `./${spec.slice(2)}`),
    );
  const base = path.resolve(path.dirname(from), spec);
  // `./cors.js` in TypeScript ESM names `./cors.ts`.
  const stem = base.replace(/\.(m|c)?js$/, '');
  return [
    base,
    ...EXTENSIONS.map((e) => stem + e),
    ...EXTENSIONS.map((e) => path.join(base, `index${e}`)),
  ];
}

/** The first file a module specifier names that the reader can read, with its text and grammar. */
export function readModule(
  from: string,
  spec: string,
  reader: SourceReader,
  aliasRoot?: string,
): { file: string; grammar: NonNullable<ReturnType<typeof grammarFor>>; text: string } | undefined {
  for (const file of candidates(from, spec, aliasRoot)) {
    const grammar = grammarFor(file);
    const text = grammar && reader.read(file);
    if (grammar && text !== undefined) return { file, grammar, text };
  }
  return undefined;
}

/** A module-level name bound to another module, and the name it takes from there (`default`). */
export interface ModuleBinding {
  local: string;
  spec: string;
  exported: string;
}

/**
 * The module-level names bound to a relative module (and to `@/`/`~/` aliases when `aliased`):
 * `import x, { y as z } from './m'`, `const x = require('./m')`, `const { y } = require('./m')`.
 */
export function* relativeBindings(root: Node, aliased = false): Generator<ModuleBinding> {
  const followed = (spec: string | null | undefined): spec is string =>
    !!spec && (spec.startsWith('.') || (aliased && /^[@~]\//.test(spec)));
  for (const statement of root.namedChildren) {
    if (statement?.type === 'import_statement') {
      const source = statement.childForFieldName('source');
      const spec = source && jsStringValue(source);
      if (!followed(spec)) continue;
      for (const specifier of statement.descendantsOfType('import_specifier')) {
        const name = specifier?.childForFieldName('name')?.text;
        const alias = specifier?.childForFieldName('alias')?.text ?? name;
        if (name && alias) yield { local: alias, spec, exported: name };
      }
      const clause = statement.namedChildren.find((c) => c?.type === 'import_clause');
      const defaultName = clause?.namedChildren.find((c) => c?.type === 'identifier')?.text;
      if (defaultName) yield { local: defaultName, spec, exported: 'default' };
    }
    if (statement?.type === 'lexical_declaration' || statement?.type === 'variable_declaration') {
      for (const declarator of statement.namedChildren) {
        const name = declarator?.childForFieldName('name');
        const value = declarator?.childForFieldName('value');
        const call =
          value?.type === 'call_expression' &&
          value.childForFieldName('function')?.text === 'require'
            ? value
            : undefined;
        const arg = call?.childForFieldName('arguments')?.namedChildren[0];
        const spec = arg ? jsStringValue(arg) : undefined;
        if (!followed(spec) || !name) continue;
        if (name.type === 'identifier') yield { local: name.text, spec, exported: 'default' };
        if (name.type === 'object_pattern')
          for (const part of name.namedChildren)
            if (part?.type === 'shorthand_property_identifier_pattern')
              yield { local: part.text, spec, exported: part.text };
      }
    }
  }
}

/** Where a module-level name is imported from: `import { x as y } from './m'`, `const { x } = require('./m')`. */
export function importOf(root: Node, local: string, aliased = false): ModuleBinding | undefined {
  for (const binding of relativeBindings(root, aliased))
    if (binding.local === local) return binding;
  return undefined;
}

/** What a module exports under a name: `export const x = ...`, `export default ...`, `module.exports = ...`. */
export function exportedNode(js: JsEvaluator, root: Node, exported: string): Node | undefined {
  if (exported !== 'default')
    return js.declaration(exported) ?? exportsOf(js, root).find((e) => e.name === exported)?.node;
  for (const statement of root.namedChildren) {
    if (statement?.type === 'export_statement' && /^export\s+default\b/.test(statement.text))
      return (
        statement.childForFieldName('value') ??
        statement.childForFieldName('declaration') ??
        undefined
      );
    const assignment =
      statement?.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
    if (
      assignment?.type === 'assignment_expression' &&
      assignment.childForFieldName('left')?.text === 'module.exports'
    )
      return assignedValue(assignment.childForFieldName('right')).value ?? undefined;
  }
  return undefined;
}

/** Another module's export, parsed: the caller deletes `tree` once done with its nodes. */
export interface OpenedExport {
  file: string;
  js: JsEvaluator;
  node: Node;
  tree: { delete(): void };
}

/**
 * Opens what another module exports for the imported name `local` (relative specifiers, and
 * `@/`/`~/` aliases under `aliasRoot` when given); undefined when it cannot be read.
 */
export async function openImported(
  file: string,
  root: Node,
  local: string,
  reader: SourceReader,
  aliasRoot?: string,
): Promise<OpenedExport | undefined> {
  const imported = importOf(root, local, !!aliasRoot);
  if (!imported) return undefined;
  const module = readModule(file, imported.spec, reader, aliasRoot);
  if (!module) return undefined;
  const tree = await parseText(module.grammar, module.text);
  const js = new JsEvaluator(module.file, tree.root);
  const node = exportedNode(js, tree.root, imported.exported);
  if (node) return { file: module.file, js, node, tree };
  tree.delete();
  return undefined;
}

/** How `withImported` reads another module. */
export interface ImportOptions<T> {
  /** A module whose text does not match is not parsed (what `read` looks for cannot be there). */
  mentions?: RegExp;
  /** The project root `@/`/`~/` aliases resolve under (`src/`, then the root); none: relative only. */
  aliasRoot?: string;
  /**
   * What `read` gave for a module, by file, kept by the caller: a module whose text is unchanged
   * is not parsed again (an app module's every edit reads the same imports).
   */
  cache?: Map<string, { text: string; result: T }>;
  /** A module longer than this is not parsed (a generated bundle is not where routers are written). */
  maxChars?: number;
  /** Runs before `read`, with the module's tree (gives its evaluator what it imports in turn). */
  prepare?: (js: JsEvaluator, root: Node, node: Node) => Promise<void>;
}

/**
 * Runs `read` on the node another module exports for the imported name `local` (with that module's
 * evaluator); undefined when `local` is not imported from a relative module the reader can read.
 * The other module's tree lives only during `read`: take plain values out, not nodes.
 */
export async function withImported<T>(
  file: string,
  root: Node,
  local: string,
  reader: SourceReader,
  read: (js: JsEvaluator, node: Node) => T,
  options: ImportOptions<T> = {},
): Promise<{ file: string; result: T } | undefined> {
  const imported = importOf(root, local, !!options.aliasRoot);
  return imported && withModule(file, imported, reader, read, options);
}

/** `withImported` for a binding already found (`importOf` in the module that imports it). */
export async function withModule<T>(
  file: string,
  imported: Pick<ModuleBinding, 'spec' | 'exported'>,
  reader: SourceReader,
  read: (js: JsEvaluator, node: Node) => T,
  options: ImportOptions<T> = {},
): Promise<{ file: string; result: T } | undefined> {
  const module = readModule(file, imported.spec, reader, options.aliasRoot);
  if (!module) return undefined;
  const { file: candidate, text } = module;
  if (options.mentions && !options.mentions.test(text)) return undefined;
  if (options.maxChars !== undefined && text.length > options.maxChars) return undefined;
  const cached = options.cache?.get(candidate);
  if (cached?.text === text) return { file: candidate, result: cached.result };
  const opened = await parsedModule(module, async (js, root) => {
    const node = exportedNode(js, root, imported.exported);
    if (node && options.prepare) await options.prepare(js, root, node);
    return node && { read: read(js, node) };
  });
  if (!opened?.result) return undefined;
  options.cache?.set(candidate, { text, result: opened.result.read });
  return { file: candidate, result: opened.result.read };
}

/** Parses a module `readModule` found and reads its whole tree (deleted once `read` returns). */
export async function parsedModule<T>(
  module: NonNullable<ReturnType<typeof readModule>>,
  read: (js: JsEvaluator, root: Node) => T | Promise<T>,
): Promise<{ file: string; result: T }> {
  const tree = await parseText(module.grammar, module.text);
  try {
    return {
      file: module.file,
      result: await read(new JsEvaluator(module.file, tree.root), tree.root),
    };
  } finally {
    tree.delete();
  }
}

const FUNCTION_TYPES = new Set([
  'arrow_function',
  'function_expression',
  'function',
  'function_declaration',
  'method_definition',
]);

/** Whether a node is a function (arrow, expression, declaration, object method). */
export const isFunctionNode = (node: Node): boolean => FUNCTION_TYPES.has(node.type);

/** The parameter names of a function, in order. */
export function parameterNames(fn: Node): string[] {
  const single = fn.childForFieldName('parameter');
  if (single) return [single.text];
  const params = fn.childForFieldName('parameters')?.namedChildren ?? [];
  return params
    .filter((p): p is Node => !!p && p.type !== 'comment')
    .map((p) => (p.childForFieldName('pattern') ?? p).text);
}

/**
 * What a function gives back without branching: the expression body of an arrow, or the one
 * `return` of a body that has no other statement; undefined when it branches or does more.
 */
export function returnedExpression(fn: Node): Node | undefined {
  const body = fn.childForFieldName('body');
  if (!body) return undefined;
  if (body.type !== 'statement_block') return unwrap(body);
  const statements = body.namedChildren.filter((s): s is Node => !!s && s.type !== 'comment');
  if (statements.length !== 1 || statements[0].type !== 'return_statement') return undefined;
  const value = statements[0].namedChildren.find((c) => c && c.type !== 'comment');
  return value ? unwrap(value) : undefined;
}

/**
 * Options imported from another module: what lets every origin in is reported at the argument
 * that names them (findings go where the analysed file can show them), and the entry itself is
 * returned for fixes, which edit the options module.
 */
export function reportAtArgument(
  origins: OriginPolicy,
  argument: Span,
  name: string,
): { origins: OriginPolicy; originEntry?: Span } {
  const at = origins.allowAllAt ?? origins.reflectAny;
  if (!at) return { origins };
  const moved = { span: argument, label: `${at.label} (in ${name})` };
  return {
    origins: {
      ...origins,
      allowAllAt: origins.allowAllAt && moved,
      reflectAny: origins.reflectAny && moved,
    },
    originEntry: at.span,
  };
}

/** What an options reader gives: the policy's origins and the facts' origin entry, at least. */
interface OptionsRead {
  policy: { origins: OriginPolicy };
  facts: { originEntry?: Span };
}

/**
 * The options a call's argument holds (`read` gets the evaluator, the entries of the object
 * literal the argument is or names, and where that object is written), or, when the argument
 * names a binding another module exports (`cors(corsOptions)`), that module's (`files` then
 * starts with it; findings point at the argument, fixes at the entry there). Undefined when
 * neither reads.
 */
export async function readOptionsArgument<R extends OptionsRead>(
  js: JsEvaluator,
  root: Node,
  reader: SourceReader,
  argument: Node | undefined,
  read: (
    js: JsEvaluator,
    entries: Map<string, JsOption> | undefined,
    object: Span | undefined,
  ) => R | undefined,
): Promise<{ read: R; files: string[] } | undefined> {
  const readAt = (js: JsEvaluator, node: Node | undefined) =>
    read(js, optionEntries(js, node), node && spanOf(js.file, js.resolveNode(node)));
  const local = readAt(js, argument);
  if (local) return { read: local, files: [js.file] };
  const named = argument && unwrap(argument);
  // A name declared here is followed only when it is a `require('./m')` of another module.
  if (named?.type !== 'identifier' || (js.declaration(named.text) && !importOf(root, named.text)))
    return undefined;
  const imported = await withImported(js.file, root, named.text, reader, readAt);
  if (!imported?.result || !argument) return undefined;
  const { policy, facts } = imported.result;
  const moved = reportAtArgument(policy.origins, spanOf(js.file, argument), named.text);
  return {
    read: {
      ...imported.result,
      policy: { ...policy, origins: moved.origins },
      facts: { ...facts, originEntry: moved.originEntry },
    },
    files: [imported.file, js.file],
  };
}

/** A read of the request's Origin header: `req.headers.origin`, `req.header('Origin')`, `headers['origin']`. */
const ORIGIN_READ =
  /\bheaders\s*(?:\.\s*origin\b|\[\s*['"`]origin['"`]\s*\])|\b(?:header|get|getHeader)\s*\(\s*['"`]origin['"`]/i;

/**
 * The options objects a per-request options delegate hands on: `(req, callback) => callback(null,
 * options)` (each call's second argument), or `(req) => options` / `async (req) => { return
 * options }` (each `return`). Several when the delegate branches on the request (its path, its
 * method); empty when it hands on none, or when it reads the request's Origin: its branches are
 * then an allowlist (`origin: true` for a listed Origin) that no single branch stands for.
 */
export function delegatedOptions(delegate: Node): Node[] {
  const body = delegate.childForFieldName('body');
  if (!body || ORIGIN_READ.test(body.text)) return [];
  const callback = parameterNames(delegate)[1];
  if (!callback && body.type !== 'statement_block') return [unwrap(body)];
  const found: Node[] = [];
  const kind = callback ? 'call_expression' : 'return_statement';
  // The delegate's own body, not the functions nested in it (walked once, not climbed per node).
  const own = [body, ...namedDescendants(body, (n) => !isFunctionNode(n))];
  for (const node of own) {
    if (node.type !== kind) continue;
    const handed = callback
      ? node.childForFieldName('function')?.text === callback
        ? (node.childForFieldName('arguments')?.namedChildren ?? []).filter(
            (a): a is Node => !!a && a.type !== 'comment',
          )[1]
        : undefined
      : node.namedChildren.find((c) => c && c.type !== 'comment');
    if (handed) found.push(unwrap(handed));
  }
  return found;
}
