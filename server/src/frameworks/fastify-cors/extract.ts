/**
 * Fastify + `@fastify/cors`: one policy per `X.register(cors, options)` (the plugin imported,
 * required, or `require('@fastify/cors')` in place), with the scope it is registered in and the
 * module's routes. Options are read inline, from a module `const`, or from another module; a
 * delegate that hands options on per request gives one policy per options object (the branches
 * of a delegate answer different requests, so each is checked as the app runs it for some).
 */
import { escapeRegex } from '../../base/regex';
import type { Node } from 'web-tree-sitter';
import type { SourceReader } from '../../base/source-reader';
import {
  JsEvaluator,
  jsStringValue,
  spanOf,
  unwrap,
  argumentsOf,
} from '../../lang/javascript/evaluate';
import { memberCalls } from '../../lang/javascript/member-calls';
import { defaultImportNames, isRequireOf, namedImportNames } from '../../lang/javascript/modules';
import {
  delegatedOptions,
  isFunctionNode,
  optionEntries,
  parameterNames,
  readOptionsArgument,
  returnedExpression,
} from '../../lang/javascript/options-object';
import { type RouteCall, routeCalls } from '../../lang/javascript/route-calls';
import type { SourceTree } from '../../parsing/source-tree';
import type { Policy } from '../../policy/types';
import type { FastifyRoute, FastifyScope } from './facts';
import { type FastifyOptionFields, readFastifyOptions } from './options';
import { packageVersion } from '../../workspace/npm-version';

const MODULE = '@fastify/cors';

/**
 * The encapsulated plugin function a call sits in: a function passed to `X.register(fn, opts)`
 * (not through `fp(...)`, whose hooks reach the whole app), with its `prefix`.
 */
function scopeOf(js: JsEvaluator, call: Node): { scope: FastifyScope; fn?: Node } {
  for (let node = call.parent; node; node = node.parent) {
    if (!isFunctionNode(node)) continue;
    const args = node.parent;
    const outer = args?.type === 'arguments' ? args.parent : null;
    const callee = outer?.childForFieldName('function');
    if (
      callee?.type !== 'member_expression' ||
      callee.childForFieldName('property')?.text !== 'register'
    )
      return { scope: { kind: 'global' } };
    const options = outer ? argumentsOf(outer)[1] : undefined;
    const prefix = options ? optionEntries(js, options)?.get('prefix')?.value : undefined;
    return {
      scope: {
        kind: 'scoped',
        prefix: prefix?.kind === 'str' ? prefix.value.replace(/\/$/, '') : '',
      },
      fn: node,
    };
  }
  return { scope: { kind: 'global' } };
}

/** `import('@fastify/cors')` in place: Fastify's `register` awaits the module's default export. */
function isDynamicImportOf(node: Node, module: string): boolean {
  if (node.type !== 'call_expression' || node.childForFieldName('function')?.type !== 'import')
    return false;
  const arg = argumentsOf(node)[0];
  return !!arg && jsStringValue(arg) === module;
}

/** A path of the first in-scope route with a literal path (`:id` filled in). */
function samplePathOf(routes: FastifyRoute[]): string | undefined {
  for (const route of routes)
    if (route.inScope && route.path.kind === 'string')
      return route.path.value.replace(/:[\w$]+/g, 'x').replace(/\*/g, 'x');
  return undefined;
}

/** The `@fastify/cors` policies of a module. */
export async function extractFastify(
  file: string,
  text: string,
  tree: SourceTree,
  reader: SourceReader,
): Promise<Policy[]> {
  if (!text.includes(MODULE)) return [];
  const root = tree.root;
  const names = new Set([
    ...defaultImportNames(root, MODULE),
    ...namedImportNames(root, MODULE, 'fastifyCors'),
    ...namedImportNames(root, MODULE, 'default'),
  ]);
  const js = new JsEvaluator(file, root);
  const isCors = (node: Node) => {
    const inner = unwrap(node);
    return (
      (inner.type === 'identifier' && names.has(inner.text)) ||
      isRequireOf(inner, MODULE) ||
      isDynamicImportOf(inner, MODULE)
    );
  };
  const routes = routeCalls(root, text, js);
  const policies: Policy[] = [];
  let major: { value?: number } | undefined;
  const pluginMajor = () =>
    (major ??= { value: packageVersion(file, MODULE, (f) => reader.read(f)).major }).value;
  for (const call of memberCalls(root, text, ['register'])) {
    const [plugin, optionsNode] = argumentsOf(call);
    if (!plugin || !isCors(plugin) || call.hasError) continue;
    const callSpan = spanOf(file, call);
    const { nodes, perRequest } = optionsNodes(js, optionsNode);
    for (const node of nodes) {
      const found = await readOptionsArgument(js, root, reader, node, (js, entries, object) =>
        readFastifyOptions(js, entries, object, callSpan, pluginMajor()),
      );
      if (found) policies.push(policyOf(js, call, routes, found, perRequest));
    }
  }
  return policies;
}

/**
 * The options objects a `register(cors, argument)` stands for. Fastify calls a function argument
 * with the instance and hands what it returns to the plugin; the plugin asks a delegate (that
 * result, or `delegator`) for options on every request, so each options object a delegate hands
 * on is a policy of its own (`perRequest`).
 */
function optionsNodes(
  js: JsEvaluator,
  argument: Node | undefined,
): { nodes: (Node | undefined)[]; perRequest: boolean } {
  const resolved = argument && js.resolveNode(argument);
  const returned = resolved && isFunctionNode(resolved) ? returnedExpression(resolved) : undefined;
  if (returned && isFunctionNode(returned))
    return { nodes: delegatedOptions(returned), perRequest: true };
  if (returned) return { nodes: [returned], perRequest: false };
  const delegator = argument && optionEntries(js, argument)?.get('delegator')?.node;
  const delegate = delegator && js.resolveNode(delegator);
  if (delegate && isFunctionNode(delegate))
    return { nodes: delegatedOptions(delegate), perRequest: true };
  return { nodes: [argument], perRequest: false };
}

/** The policy of one options object read for `call`. */
function policyOf(
  js: JsEvaluator,
  call: Node,
  routes: RouteCall[],
  { read, files }: { read: FastifyOptionFields; files: string[] },
  perRequest: boolean,
): Policy {
  const { file } = js;
  const callSpan = spanOf(file, call);
  const { scope, fn } = scopeOf(js, call);
  const instance = fn ? parameterNames(fn)[0] : undefined;
  const inScope = (r: (typeof routes)[number]) =>
    !fn ||
    (r.call.startIndex >= fn.startIndex &&
      r.call.endIndex <= fn.endIndex &&
      r.receiver === instance);
  const prefix = scope.kind === 'scoped' ? scope.prefix : '';
  const appRoutes: FastifyRoute[] = routes.map((r) => ({
    methods: r.methods,
    // Routes of a scope are served under its prefix.
    path:
      inScope(r) && prefix && r.path.kind === 'string'
        ? { kind: 'string', value: prefix + r.path.value }
        : r.path,
    inScope: inScope(r),
  }));
  const escaped = escapeRegex(prefix);
  return {
    framework: 'fastify-cors',
    file,
    files,
    at: callSpan,
    configured: true,
    ...read.policy,
    urlRegex: prefix ? `${escaped}(?:/|$)` : null,
    allowPrivateNetwork: false,
    // A path the hook runs for: a scoped hook misses the 404s of paths without a route.
    samplePath: samplePathOf(appRoutes) ?? (prefix ? `${prefix}/` : undefined),
    facts: {
      ...read.facts,
      perRequest: perRequest || undefined,
      scope,
      routes: appRoutes.length ? appRoutes : undefined,
    },
  };
}
