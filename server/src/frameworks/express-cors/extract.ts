/**
 * Express + npm `cors`: one policy per `cors(...)` options value (calls with the same options
 * object or `const` share one policy, so `app.options(p, cors(o))` + `app.put(p, cors(o), h)`
 * is one setup), with its mounts and the app's routes in registration order.
 */
import type { Node } from 'web-tree-sitter';
import type { SourceTree } from '../../parsing/source-tree';
import type { ExpressLayer } from './facts';
import type { Policy } from '../../policy/types';
import { JsEvaluator, spanOf, unwrap } from '../../lang/javascript/evaluate';
import { defaultImportNames } from '../../lang/javascript/modules';
import type { SourceReader } from '../../base/source-reader';
import { type AppCall, appCalls } from './app-calls';
import { readCorsOptions } from '../../lang/javascript/cors-package/options';

/** The `cors(...)` call a handler argument is, if it is one (directly or via a `const` bound to it). */
function corsCall(handler: Node, corsNames: Set<string>, js: JsEvaluator): Node | undefined {
  const inner = js.resolveNode(handler);
  if (inner.type !== 'call_expression') return undefined;
  return corsNames.has(inner.childForFieldName('function')?.text ?? '') ? inner : undefined;
}

/** Which options a `cors(...)` call uses: same key, same policy. */
function optionsKey(call: Node): string {
  const arg = call
    .childForFieldName('arguments')
    ?.namedChildren.find((a) => a && a.type !== 'comment');
  if (!arg) return 'defaults';
  const inner = unwrap(arg);
  return inner.type === 'identifier' ? `name:${inner.text}` : `at:${inner.startIndex}`;
}

const routeMethods = (call: AppCall): string[] | 'all' =>
  call.method === 'all' || call.method === 'use' ? 'all' : [call.method.toUpperCase()];

/** The layer `call` adds to the stack. */
const layerOf = (call: AppCall, kind: ExpressLayer['kind'], prefix: boolean): ExpressLayer => ({
  kind,
  prefix,
  methods: routeMethods(call),
  path: call.path,
  span: call.span,
  statement: call.statement,
});

/** A layer with its place in registration order (a call's `cors()` handlers run before its route). */
interface Placed {
  at: number;
  layer: ExpressLayer;
}

/** One app's layers, read once per file and shared by every policy mounted on it. */
interface AppLayers {
  /** Routes that answer; a repeat of an earlier route (same methods and path) is left out. */
  routes: Placed[];
  /** Each options value's `cors()` layers. */
  mounts: Map<string, Placed[]>;
}

/**
 * Every app's layers, each handler classified once. Reading them per policy made a file that
 * repeats one app (thousands of `cors()` policies over thousands of routes) quadratic in time
 * and memory. A repeated route can be left out: the earlier copy matches the same requests and
 * always answers first, and it adds no method to router's OPTIONS reply.
 */
function appLayers(
  calls: AppCall[],
  corsNames: Set<string>,
  js: JsEvaluator,
): Map<string, AppLayers> {
  const apps = new Map<string, AppLayers>();
  const seenRoutes = new Set<string>();
  calls.forEach((call, index) => {
    let app = apps.get(call.receiver);
    if (!app) apps.set(call.receiver, (app = { routes: [], mounts: new Map() }));
    let answers = false;
    for (const handler of call.handlers) {
      const cors = corsCall(handler, corsNames, js);
      if (cors) {
        const key = optionsKey(cors);
        const own = app.mounts.get(key) ?? [];
        own.push({ at: 2 * index, layer: layerOf(call, 'cors', call.method === 'use') });
        app.mounts.set(key, own);
      } else if (call.method !== 'use') answers = true;
    }
    if (!answers) return;
    const route = layerOf(call, 'route', false);
    const same = `${call.receiver}|${JSON.stringify([route.methods, route.path])}`;
    if (seenRoutes.has(same)) return;
    seenRoutes.add(same);
    app.routes.push({ at: 2 * index + 1, layer: route });
  });
  return apps;
}

/** The layers of one options value's mounts and of the app's routes, in registration order. */
function stackFor(app: AppLayers, key: string): ExpressLayer[] {
  const own = app.mounts.get(key) ?? [];
  const stack: ExpressLayer[] = [];
  let r = 0;
  for (const mount of own) {
    while (r < app.routes.length && app.routes[r].at < mount.at) stack.push(app.routes[r++].layer);
    stack.push(mount.layer);
  }
  while (r < app.routes.length) stack.push(app.routes[r++].layer);
  return stack;
}

/** The Express `cors` policies of a module (none when it does not import `cors`). */
export async function extractExpress(
  file: string,
  text: string,
  tree: SourceTree,
  _reader: SourceReader,
): Promise<Policy[]> {
  const root = tree.root;
  const corsNames = defaultImportNames(root, 'cors');
  if (!corsNames.size) return [];
  const js = new JsEvaluator(file, root);
  const calls = appCalls(root, text, js);
  const apps = appLayers(calls, corsNames, js);
  const seen = new Set<string>();
  const policies: Policy[] = [];
  for (const call of calls) {
    for (const handler of call.handlers) {
      const cors = corsCall(handler, corsNames, js);
      if (!cors) continue;
      const key = `${call.receiver}|${optionsKey(cors)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const optionsNode =
        cors.childForFieldName('arguments')?.namedChildren.find((a) => a && a.type !== 'comment') ??
        undefined;
      const fields = readCorsOptions(js, optionsNode, spanOf(file, cors));
      if (!fields) continue;
      const app = apps.get(call.receiver);
      const stack = app ? stackFor(app, optionsKey(cors)) : [];
      const mounts = stack.filter((l) => l.kind === 'cors');
      policies.push({
        framework: 'express-cors',
        file,
        files: [file],
        at: spanOf(file, cors),
        configured: true,
        ...fields.policy,
        urlRegex: urlRegexOf(mounts),
        allowPrivateNetwork: false,
        facts: { ...fields.facts, stack },
      });
    }
  }
  return policies;
}

/** The paths the mounts cover, as a regex matched from the start (null: every path). */
export function urlRegexOf(
  mounts: Pick<ExpressLayer, 'path' | 'prefix'>[],
): string | null | 'dynamic' {
  if (mounts.some((m) => m.path.kind === 'all')) return null;
  if (mounts.some((m) => m.path.kind !== 'string')) return 'dynamic';
  const escape = (p: string) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\/+$/, '');
  const parts = mounts.map((m) => {
    const value = m.path.kind === 'string' ? m.path.value : '';
    // Parameters and wildcards: any segment text.
    const literal = escape(value)
      .replace(/:\w+/g, '[^/]+')
      .replace(/\\\*\w+/g, '.+');
    return m.prefix ? `${literal}(?:/|$)` : `${literal}/?$`;
  });
  return parts.length === 1 ? parts[0] : `(?:${parts.join('|')})`;
}
