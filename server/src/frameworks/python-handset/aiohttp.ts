/**
 * What aiohttp makes of a module's functions: the routes it registers (and which function answers
 * each), the functions appended to `on_response_prepare` (run on every response), and the
 * middlewares (`@web.middleware`, or the older factory `async def m(app, handler)` returning an
 * inner function that awaits `handler(request)`).
 */
import type { Node } from 'web-tree-sitter';
import { compact } from '../../lang/python/evaluate';
import { callArguments } from '../../lang/python/module-values';
import { outerParameters } from '../../lang/python/local-scope';
import {
  pathRegex,
  registrationOf,
  routeTables,
  samplePath,
  type Registration,
} from '../../lang/python/aiohttp-routes';
import type { SourceTree } from '../../parsing/source-tree';
import type { AiohttpRoute, HandsetHandler } from './facts';

export interface AiohttpRoles {
  /** Routes by the name of the function that answers them (`handle`, `self.handle` as `handle`). */
  routesOf: Map<string, NonNullable<HandsetHandler['route']>[]>;
  /** Every route the module registers; undefined when it registers none or one it cannot read. */
  routes: AiohttpRoute[] | undefined;
  /** Functions appended to `app.on_response_prepare`. */
  prepare: Set<string>;
}

/** The last part of a handler's name: `self.get_items` answers as `get_items`. */
const lastName = (node: Node | undefined): string | undefined =>
  node && /^(identifier|attribute)$/.test(node.type) ? compact(node).split('.').pop() : undefined;

const PREPARE = /\.on_response_prepare\.append$/;

export function aiohttpRoles(tree: SourceTree): AiohttpRoles {
  const tables = routeTables(tree.roots);
  const routesOf = new Map<string, NonNullable<HandsetHandler['route']>[]>();
  const registered: Registration[] = [];
  const prepare = new Set<string>();
  const answer = (name: string | undefined, r: Registration) => {
    if (!name || r.path === undefined || !r.methods) return;
    const route = { regex: pathRegex(r.path), methods: r.methods, sample: samplePath(r.path) };
    routesOf.set(name, [...(routesOf.get(name) ?? []), route]);
  };
  for (const call of tree.descendantsOfType('call')) {
    const fn = call.childForFieldName('function');
    // The attribute first: a chain's whole text is read only for an `.append(...)`.
    if (fn?.childForFieldName('attribute')?.text === 'append' && PREPARE.test(compact(fn))) {
      const name = lastName(callArguments(call).positional[0]);
      if (name) prepare.add(name);
      continue;
    }
    const registration = registrationOf(call, tables);
    if (!registration || registration.resourceOnly) continue;
    const { positional } = callArguments(call);
    registered.push(registration);
    if (call.parent?.type === 'decorator') {
      const definition = call.parent.parent?.namedChildren.find(
        (c) => c?.type === 'function_definition',
      );
      answer(definition?.childForFieldName('name')?.text, registration);
    } else answer(lastName(positional[positional.length - 1]), registration);
  }
  const readable =
    registered.length > 0 && registered.every((r) => r.path !== undefined && r.methods);
  return {
    routesOf,
    prepare,
    routes: readable
      ? registered.map((r) => ({
          regex: pathRegex(r.path!),
          methods: r.methods!,
          sample: samplePath(r.path!),
        }))
      : undefined,
  };
}

/**
 * Whether `fn` is an aiohttp middleware: decorated `@web.middleware` (`@middleware`,
 * `@aiohttp.web.middlewares.middleware`), or the inner function of an old-style factory that
 * awaits the factory's `handler` parameter.
 */
export function isAiohttpMiddleware(fn: Node, decorators: Node[]): boolean {
  if (decorators.some((d) => /(^|\.)middleware$/.test(compact(d.namedChildren[0])))) return true;
  return outerParameters(fn).some((name) => new RegExp(`\\bawait\\s+${name}\\s*\\(`).test(fn.text));
}
