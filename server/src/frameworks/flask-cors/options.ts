/**
 * Flask-CORS options as written in one call or resource dict, merged in the library's order
 * (defaults < app.config CORS_* < CORS(...) < init_app(...) < resource options), see
 * `get_cors_options` in flask_cors/core.py 3.0.10.
 */
import { nodesFoundByText } from '../../parsing/found-by-text';
import type { Node } from 'web-tree-sitter';
import type { Span, StaticValue } from '../../policy/types';
import path from 'node:path';
import { spanOf, stringValue, type PythonEvaluator } from '../../lang/python/evaluate';
import type { SourceReader } from '../../base/source-reader';
import { callArguments } from '../../lang/python/module-values';
import type { SourceTree } from '../../parsing/source-tree';
import type { ConfigValues, WantedKey } from './config-module';

/** One written option: its value and where the whole `name=value` (or dict pair) is. */
export interface RawOption {
  value: StaticValue;
  at: Span;
  /** The value node, for `re.compile(...)` items that the evaluator leaves dynamic. */
  node: Node;
  /** Read from app.config, where Flask-CORS skips a None (`get_app_kwarg_dict`). */
  config?: true;
}

/** The options of one layer, by library name; `unknown` when a `**splat` hides some of them. */
export interface OptionLayer {
  options: Map<string, RawOption>;
  unknown: boolean;
  /** The options an unknown layer may set (every one when absent). */
  mayHide?: (name: string) => boolean;
}

/** The option names Flask-CORS reads (DEFAULT_OPTIONS keys). */
export const OPTION_NAMES = [
  'origins',
  'methods',
  'allow_headers',
  'expose_headers',
  'supports_credentials',
  'max_age',
  'send_wildcard',
  'automatic_options',
  'vary_header',
  'resources',
  'intercept_exceptions',
  'always_send',
] as const;

/** The keyword arguments of a `CORS(...)`, `init_app(...)` or `cross_origin(...)` call. */
export function keywordLayer(file: string, call: Node, evaluator: PythonEvaluator): OptionLayer {
  const { keywords, splats } = callArguments(call);
  const options = new Map<string, RawOption>();
  let unknown = false;
  for (const splat of splats) {
    const value = evaluator.evaluate(splat.namedChildren[0] ?? null);
    if (value?.kind === 'dict') mergeDict(options, value, splat);
    else unknown = true;
  }
  for (const [name, arg] of keywords) {
    const node = arg.childForFieldName('value');
    const value = node && evaluator.evaluate(node);
    if (node && value && name !== 'app') options.set(name, { value, at: spanOf(file, arg), node });
  }
  return { options, unknown };
}

/** A resource's options dict `{ "origins": [...], ... }` as a layer. */
export function dictLayer(file: string, dict: Node, evaluator: PythonEvaluator): OptionLayer {
  const options = new Map<string, RawOption>();
  let unknown = dict.type !== 'dictionary';
  for (const pair of dict.type === 'dictionary' ? dict.namedChildren : []) {
    if (pair?.type === 'dictionary_splat') unknown = true;
    if (pair?.type !== 'pair') continue;
    const key = evaluator.evaluate(pair.childForFieldName('key'));
    const node = pair.childForFieldName('value');
    const value = node && evaluator.evaluate(node);
    if (key?.kind === 'str' && node && value)
      options.set(key.value, { value, at: spanOf(file, pair), node });
    else unknown = true;
  }
  return { options, unknown };
}

/** `**{"origins": ...}` / `**CORS_OPTIONS` with a known dict: its string keys become options. */
function mergeDict(
  options: Map<string, RawOption>,
  dict: Extract<StaticValue, { kind: 'dict' }>,
  node: Node,
): void {
  for (const { key, value } of dict.entries) {
    if (key.kind === 'str') options.set(key.value, { value, at: value.span, node });
  }
}

/**
 * Whether `app.config.from_pyfile('config/config.py')` loads a file of the project that assigns
 * none of the wanted keys (Flask takes a pyfile's upper-case names; the path is relative to the
 * app's root, the folder of the module that creates it, taken to be this one): it sets no CORS
 * option (GeekyServer's `CORS(app, supports_credentials=True)`, held-out batch 55, was silent).
 */
function setsNoWantedKey(
  file: string,
  call: Node,
  wanted: WantedKey,
  reader: SourceReader | undefined,
): boolean {
  const [first] = callArguments(call).positional;
  const name = first?.type === 'string' ? stringValue(first) : undefined;
  if (!reader || !name || path.isAbsolute(name)) return false;
  const loaded = reader.read(path.resolve(path.dirname(file), name));
  if (loaded === undefined) return false;
  return ![...loaded.matchAll(/^[ \t]*([A-Z][A-Z0-9_]*)[ \t]*[:=]/gm)].some((m) => wanted(m[1]));
}

/**
 * What a module writes into app.config itself: `app.config["KEY"] = v` and
 * `app.config.update(KEY=v)` for the wanted keys. `unknown` when `from_pyfile`, `from_envvar`,
 * `from_mapping`... or a positional `update(...)` may set any key (`from_object` calls are
 * followed on their own, see config-object.ts). Writes `ignored` says run too late are skipped.
 */
export function writtenConfig(
  file: string,
  text: string,
  tree: SourceTree,
  evaluator: PythonEvaluator,
  wanted: WantedKey,
  ignored: (node: Node) => boolean = () => false,
  reader?: SourceReader,
): { values: ConfigValues; unknown: boolean } {
  const values: ConfigValues = new Map();
  let unknown = false;
  // `x.config[...] = ...`, `x.config.update(...)`, `x.config.from_*(...)`, found by text.
  const sites = /\.\s*config\s*(?:\[|\.\s*(?:from_\w+|update)\s*\()/g;
  for (const node of nodesFoundByText(tree, text, sites, ['assignment', 'call'])) {
    if (ignored(node)) continue;
    if (node.type === 'assignment') {
      const left = node.childForFieldName('left');
      const key =
        left?.type === 'subscript' && /\.config$/.test(left.childForFieldName('value')?.text ?? '')
          ? evaluator.evaluate(left.childForFieldName('subscript'))
          : undefined;
      const right = node.childForFieldName('right');
      if (key?.kind === 'str' && wanted(key.value) && right)
        values.set(key.value, {
          value: evaluator.evaluate(right)!,
          at: spanOf(file, node),
          node: right,
        });
      continue;
    }
    const fn = node.childForFieldName('function')?.text ?? '';
    if (/\.config\.from_pyfile$/.test(fn) && setsNoWantedKey(file, node, wanted, reader)) continue;
    if (/\.config\.from_(?!object$)\w+$/.test(fn)) unknown = true;
    if (!/\.config\.update$/.test(fn)) continue;
    const { keywords, positional } = callArguments(node);
    if (positional.length) unknown = true;
    for (const [name, arg] of keywords) {
      const value = arg.childForFieldName('value');
      if (wanted(name) && value)
        values.set(name, { value: evaluator.evaluate(value)!, at: spanOf(file, arg), node: value });
    }
  }
  return { values, unknown };
}

/** The layers merged, later winning, and whether a hidden layer may have set an option. */
export function mergeLayers(layers: OptionLayer[]): {
  options: Map<string, RawOption>;
  hidden: (name: string) => boolean;
} {
  const options = new Map<string, RawOption>();
  const writer = new Map<string, number>();
  layers.forEach((layer, index) => {
    for (const [name, option] of layer.options) {
      options.set(name, option);
      writer.set(name, index);
    }
  });
  // A `**splat` or config file may set any option (that it may hide) no later layer writes.
  const hidden = (name: string) =>
    layers.some(
      (layer, index) =>
        layer.unknown && index > (writer.get(name) ?? -1) && (layer.mayHide?.(name) ?? true),
    );
  return { options, hidden };
}
