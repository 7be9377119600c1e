import type { Node } from 'web-tree-sitter';
import type { SourceTree } from '../../parsing/source-tree';
import type { Policy, StaticValue } from '../../policy/types';
import { PythonEvaluator, spanOf } from '../../lang/python/evaluate';
import { scopedLookup } from '../../lang/python/local-scope';
import { SettingsModuleReader } from '../../lang/python/settings-module';
import { pydanticSettingsValues } from '../../lang/python/pydantic-settings';
import { nearbyReaders } from '../../lang/python/nearby-files';
import type { SourceReader } from '../../base/source-reader';
import { findCorsSetups, type CorsSetup } from './calls';
import { reexportedNames, starletteNames } from './imports';
import { PARAMETERS, setupPolicy, type ResolvedArgument } from './build-policy';

/** Identifiers a setup's arguments mention: the module names worth resolving. */
function mentionedNames(setups: CorsSetup[]): Set<string> {
  const names = new Set<string>();
  for (const call of setups.flatMap((s) => (s.via ? [s.call, s.via] : [s.call]))) {
    // Inside an app factory the arguments may name locals whose values name module constants.
    let scope: Node = call;
    while (scope.parent && scope.type !== 'function_definition') scope = scope.parent;
    if (scope.type !== 'function_definition') scope = call;
    for (const id of scope.descendantsOfType('identifier')) if (id) names.add(id.text);
  }
  return names;
}

/**
 * `object.member` expressions the setups' arguments read (`settings.cors_origins`,
 * `get_settings().origins`), by expression as written (whitespace removed), with the member name.
 */
function attributesRead(setups: CorsSetup[]): Map<string, string> {
  const wanted = new Map<string, string>();
  const add = (node: Node | null) => {
    const text = node?.text.replace(/\s+/g, '') ?? '';
    const member = /^[\w.]+(?:\(\))?\.(\w+)$/.exec(text);
    if (member) wanted.set(text, member[1]);
  };
  for (const call of setups.flatMap((s) => (s.via ? [s.call, s.via] : [s.call]))) {
    const args = call.childForFieldName('arguments');
    for (const node of args?.descendantsOfType('attribute') ?? []) add(node);
    // `allowed = settings.cors_origins` before `allow_origins=allowed` in the same function
    // (docling-serve, held-out batch 24).
    const names = new Set((args?.descendantsOfType('identifier') ?? []).map((id) => id?.text));
    let scope: Node = call;
    while (scope.parent && scope.type !== 'function_definition') scope = scope.parent;
    for (const assignment of scope.descendantsOfType('assignment')) {
      const left = assignment?.childForFieldName('left');
      if (left?.type !== 'identifier' || !names.has(left.text)) continue;
      for (const node of assignment!.childForFieldName('right')?.descendantsOfType('attribute') ??
        [])
        add(node);
    }
  }
  return wanted;
}

/**
 * The arguments of one setup, resolved (each where it is written: a subclass's `__init__` or the
 * call); `hidden` when a `**options` could set any of them.
 */
function resolveArguments(
  file: string,
  setup: CorsSetup,
  evaluate: (node: Node | null) => StaticValue | undefined,
): { arguments: Map<string, ResolvedArgument>; hidden: boolean } {
  const resolved = new Map<string, ResolvedArgument>();
  let hidden = false;
  setup.positional.forEach((node, i) => {
    const name = PARAMETERS[i];
    if (name)
      resolved.set(name, {
        value: evaluate(node)!,
        written: { at: spanOf(file, node), value: spanOf(file, node) },
      });
  });
  for (const splat of setup.splats) {
    // `**{"allow_origins": [...]}` or `**CORS_OPTIONS` with a statically known dict.
    const value: StaticValue | undefined =
      splat.type === 'dictionary_splat' ? evaluate(splat.namedChildren[0] ?? null) : undefined;
    // NOTE: the evaluator reads an attribute (`settings.cors`) as an empty dict: empty is unknown.
    if (
      value?.kind !== 'dict' ||
      value.entries.length === 0 ||
      value.entries.some((e) => e.key.kind !== 'str')
    ) {
      hidden = true;
      continue;
    }
    for (const { key, value: v } of value.entries) {
      if (key.kind === 'str')
        resolved.set(key.value, {
          value: v,
          written: { at: { ...key.span, end: v.span.end }, value: v.span },
        });
    }
  }
  for (const [name, node] of setup.keywords) {
    const valueNode = node.childForFieldName('value');
    if (!valueNode) continue;
    resolved.set(name, {
      value: evaluate(valueNode)!,
      written: { at: spanOf(file, node), value: spanOf(file, valueNode) },
    });
  }
  return { arguments: resolved, hidden };
}

/** A module that defines pydantic settings (`class Settings(BaseSettings)`). */
const SETTINGS_CLASS = /\bBaseSettings\b/;

/**
 * For a module of pydantic settings: the setups of the nearest app modules that read a value
 * from it (`allow_origins=settings.cors_origins`), so that what the app's policy finds at a
 * field's default (`cors_origins: str = "*"`) is reported where it is written.
 */
function settingsReaders(file: string, reader: SourceReader): Promise<Policy[]> {
  return nearbyReaders(
    file,
    reader,
    (text) => text.includes('CORSMiddleware'),
    (candidate, text, tree) => extractStarlette(candidate, text, tree, reader),
    (policy) => policy.files.includes(file),
  );
}

/**
 * The Starlette/FastAPI CORSMiddleware setups of a module, one policy each: keyword arguments of
 * `add_middleware(CORSMiddleware, ...)`, `Middleware(CORSMiddleware, ...)` or
 * `CORSMiddleware(app, ...)`, with module constants, app-factory locals, sibling-module imports
 * and environment defaults resolved; anything else is dynamic.
 */
export async function extractStarlette(
  file: string,
  text: string,
  tree: SourceTree,
  reader: SourceReader,
): Promise<Policy[]> {
  // Cheap exit for the many Python files that never mention the middleware.
  if (!text.includes('CORSMiddleware'))
    return SETTINGS_CLASS.test(text) ? settingsReaders(file, reader) : [];
  const names = starletteNames(tree);
  if (names.cors.size === 0) reexportedNames(file, tree, reader, names);
  if (names.cors.size === 0) return [];
  const setups = findCorsSetups(tree, text, names);
  if (setups.length === 0) return [];
  const wanted = mentionedNames(setups);
  // `cfg.HOST` of `import core.config as cfg` is wanted when `cfg` is mentioned.
  const module = await new SettingsModuleReader(
    reader,
    {},
    (name) => wanted.has(name.split('.')[0]),
    true,
  ).read(file, text, tree);
  const pydantic = await pydanticSettingsValues(file, reader, attributesRead(setups));
  // What the module's own imports bind under the name (`config.cors_origin` of a dataclass
  // instance made in the imported module) before a settings class found by searching the project.
  const moduleLookup = (name: string) => {
    const bound = module.settings.get(name)?.value;
    return (
      (name.includes('.') && bound?.kind !== 'dynamic' && bound) ||
      pydantic.values.get(name) ||
      bound
    );
  };
  const evaluate = (node: Node | null) =>
    node
      ? new PythonEvaluator(file, scopedLookup(file, node, moduleLookup)).evaluate(node)
      : undefined;
  return setups.map((setup) => {
    const args = setup.call.childForFieldName('arguments')!;
    return setupPolicy({
      file,
      files: [...new Set([...pydantic.files, ...module.files])],
      text,
      call: spanOf(file, setup.call),
      argumentList: spanOf(file, args),
      reportedIn: pydantic.files,
      ...resolveArguments(file, setup, evaluate),
    });
  });
}
