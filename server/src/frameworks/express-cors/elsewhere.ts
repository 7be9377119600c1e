/**
 * `cors` setups split across modules, as real Express projects write them: options imported from
 * a config module (`app.use(cors(corsOptions))`), a middleware built by `cors(...)` in one module
 * and mounted in another (`module.exports = cors({...})` + `app.use(corsMiddleware)`), and the
 * exporting module itself. Only modules a relative import names are read, through the
 * project-bounded reader.
 */
import path from 'node:path';
import { giveImportedValues } from '../../lang/javascript/imported-values';
import type { Node } from 'web-tree-sitter';
import type { SourceReader } from '../../base/source-reader';
import { type JsEvaluator, spanOf, unwrap } from '../../lang/javascript/evaluate';
import { defaultImportNames } from '../../lang/javascript/modules';
import {
  delegatedOptions,
  firstArgument,
  importOf,
  isFunctionNode,
  parameterNames,
  parsedModule,
  readModule,
  reportAtArgument,
  withImported,
} from '../../lang/javascript/options-object';
import { functionReturns } from '../../lang/javascript/returns';
import { objectEntries, topLevelDeclarations } from '../../lang/javascript/exports';
import { type CorsOptionFields, readCorsOptions } from '../../lang/javascript/cors-package/options';
import type { Policy, Span } from '../../policy/types';
import type { AppCall } from './app-calls';
import type { ExpressCorsFacts, ExpressLayer } from './facts';
import { hasOriginKey } from './options-module';
import { ExpressRoutes, routesOf } from './routes';

/** A name the module imports rather than declares (the only names worth following). */
const importedName = (js: JsEvaluator, node: Node | undefined): string | undefined => {
  const inner = node && unwrap(node);
  if (inner?.type !== 'identifier') return undefined;
  const bound = js.declaration(inner.text);
  const required =
    bound?.type === 'call_expression' && bound.childForFieldName('function')?.text === 'require';
  return !bound || required ? inner.text : undefined;
};

/**
 * Options imported from another module, read there: a value (`cors(corsOptions)`), or what an
 * imported builder returns (`cors(buildCorsOptions())`, one set per `return`). What lets every
 * origin in is reported at the argument naming them (a finding belongs in the file that shows
 * it); the options span is left unset, so no fix edits an object this file does not hold.
 */
export async function importedOptions(
  js: JsEvaluator,
  root: Node,
  optionsNode: Node | undefined,
  callSpan: Span,
  reader: SourceReader,
): Promise<{ fields: CorsOptionFields; file: string; given: string[] }[]> {
  const inner = optionsNode && unwrap(optionsNode);
  const call = inner?.type === 'call_expression' ? inner : undefined;
  // `cors(config.corsOptions)`: an entry of what the imported module exports.
  const member = inner?.type === 'member_expression' ? inner : undefined;
  const property = member?.childForFieldName('property')?.text;
  const named = call
    ? call.childForFieldName('function')
    : (member?.childForFieldName('object') ?? inner);
  const name = importedName(js, named ?? undefined);
  if (!name || !optionsNode) return [];
  const given = new Set<string>();
  const prepare = async (other: JsEvaluator, otherRoot: Node, node: Node) => {
    await giveImportedValues(other, otherRoot, reader, other.resolveNode(node).text);
    for (const file of other.givenFiles) given.add(file);
  };
  const imported = await withImported(
    js.file,
    root,
    name,
    reader,
    (other, node) => {
      if (member) {
        const value = other.resolveNode(node);
        const entry = value.type === 'object' ? objectEntries(other, value) : [];
        return entry
          .filter((e) => e.name === property)
          .map((e) => readCorsOptions(other, e.node, callSpan));
      }
      const fn = other.resolveNode(node);
      // An options delegate (`(req, callback) => callback(null, options)`): one set per call.
      if (!call && isFunctionNode(fn) && parameterNames(fn).length === 2)
        return delegatedOptions(fn).map((handed) => readCorsOptions(other, handed, callSpan));
      if (!call) return [readCorsOptions(other, node, callSpan)];
      return isFunctionNode(fn)
        ? (functionReturns(fn) ?? []).map((returned) => readCorsOptions(other, returned, callSpan))
        : [];
    },
    { prepare },
  );
  const empty = !imported && !call && !member && (await requiredEmpty(js, root, name, reader));
  if (empty) {
    const fields = readCorsOptions(js, undefined, callSpan)!;
    if (empty.options) fields.policy.unusedOptionsAt = empty.options;
    return [
      { fields: movedToArgument(js, fields, optionsNode, name), file: empty.file, given: [] },
    ];
  }
  return (imported?.result ?? [])
    .filter((fields): fields is CorsOptionFields => !!fields)
    .map((fields) => ({
      fields: movedToArgument(js, fields, optionsNode, name),
      file: imported!.file,
      given: [...given],
    }));
}

/**
 * Options read in another module, reported at the argument that names them (`name`); the
 * options span is left unset, so no fix edits an object this file does not hold.
 */
function movedToArgument(
  js: JsEvaluator,
  fields: CorsOptionFields,
  argument: Node,
  name: string,
): CorsOptionFields {
  const moved = reportAtArgument(fields.policy.origins, spanOf(js.file, argument), name);
  return {
    policy: { ...fields.policy, origins: moved.origins },
    facts: { ...fields.facts, options: undefined },
  };
}

/**
 * A required CommonJS module that exports nothing (no `module.exports`, no `exports.x`, no
 * `export`): `require` gives `{}`, so `cors(required)` runs with the defaults, every origin
 * allowed (WAD-Project-Course's and express-mysql-api's `config/` modules, held-out batch 35).
 * The options object it declares, if any, was meant to be exported.
 */
async function requiredEmpty(
  js: JsEvaluator,
  root: Node,
  name: string,
  reader: SourceReader,
): Promise<{ file: string; options?: Policy['unusedOptionsAt'] } | undefined> {
  const binding = importOf(root, name);
  const bound = js.declaration(name);
  if (binding?.exported !== 'default' || bound?.childForFieldName('function')?.text !== 'require')
    return undefined;
  const module = readModule(js.file, binding.spec, reader);
  if (!module || /\bexports?\b/.test(module.text)) return undefined;
  const { file, result } = await parsedModule(module, (other, otherRoot) => {
    for (const [declared, value] of topLevelDeclarations(otherRoot)) {
      const object = other.resolveNode(value);
      if (object.type === 'object' && hasOriginKey(object))
        return { span: spanOf(other.file, object), name: declared };
    }
    return undefined;
  });
  const relative = path.relative(path.dirname(js.file), file).split(path.sep).join('/');
  return {
    file,
    options: result && {
      span: result.span,
      label: `${result.name} (${relative})`,
      pass: name,
      unexported: result.name,
    },
  };
}

/** A handler argument that is a `cors(...)` middleware another module exports, read there. */
export async function importedMiddleware(
  js: JsEvaluator,
  root: Node,
  handler: Node,
  callSpan: Span,
  reader: SourceReader,
): Promise<{ fields: CorsOptionFields; file: string; name: string } | undefined> {
  const name = importedName(js, handler);
  if (!name) return undefined;
  const imported = await withImported(js.file, root, name, reader, (other, node) => {
    const call = other.resolveNode(node);
    const corsNames = defaultImportNames(call.tree.rootNode, 'cors');
    if (call.type !== 'call_expression') return undefined;
    if (!corsNames.has(call.childForFieldName('function')?.text ?? '')) return undefined;
    return readCorsOptions(other, firstArgument(call), callSpan);
  });
  if (!imported?.result) return undefined;
  const fields = imported.result;
  const moved = reportAtArgument(fields.policy.origins, spanOf(js.file, handler), name);
  return {
    fields: {
      policy: { ...fields.policy, origins: moved.origins },
      facts: { ...fields.facts, options: undefined },
    },
    file: imported.file,
    name,
  };
}

/**
 * The layers of a middleware mounted by name (`app.use(corsMiddleware)`) and the routes of the
 * same receiver, in registration order.
 */
export function namedMiddlewareLayers(
  calls: AppCall[],
  receiver: string,
  name: string,
): Pick<ExpressCorsFacts, 'mounts' | 'routes'> {
  const mounts: ExpressLayer[] = [];
  const routes = new ExpressRoutes();
  calls.forEach((call, index) => {
    if (call.receiver !== receiver) return;
    // The same places in registration order as the app's other layers (extract's `layerOf`).
    const layer = (kind: ExpressLayer['kind'], prefix: boolean): ExpressLayer => ({
      kind,
      receiver,
      prefix,
      methods: call.method === 'all' || call.method === 'use' ? 'all' : [call.method.toUpperCase()],
      path: call.path,
      span: call.span,
      statement: call.statement,
      at: 2 * index + (kind === 'route' ? 1 : 0),
    });
    if (call.handlers.some((h) => unwrap(h).text === name))
      mounts.push(layer('cors', call.method === 'use'));
    else if (call.method !== 'use') routes.add(layer('route', false));
  });
  return { mounts, routes };
}

/**
 * The layers of a `cors` middleware this module builds but does not mount (it exports it, or runs
 * it per request in a plain `http` server): `cors` before every route, as where it is used.
 */
export const mountedEverywhere = (span: Span): Pick<ExpressCorsFacts, 'mounts' | 'routes'> => ({
  mounts: [{ kind: 'cors', methods: 'all', path: { kind: 'all' }, prefix: true, span, at: 0 }],
  routes: routesOf([
    { kind: 'route', methods: 'all', path: { kind: 'all' }, prefix: false, span, at: 1 },
  ]),
});
