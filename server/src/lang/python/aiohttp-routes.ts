/** The routes an aiohttp module registers, as resources (one per path) with their methods. */
import { escapeRegex } from '../../base/regex';
import type { Node } from 'web-tree-sitter';
import { compact, stringValue } from './evaluate';
import { callArguments } from './module-values';

const VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'];

/** One route registration: the call, its path and method (undefined: not literal). */
export interface Registration {
  call: Node;
  path: string | undefined;
  /** Upper-case, as aiohttp stores it; `add_get` also registers HEAD (unless allow_head=False). */
  methods: string[] | undefined;
  /** `add_resource(path)`: a resource without a route yet. */
  resourceOnly?: boolean;
}

/** aiohttp's path syntax as a whole-path regex: `{name}` is one segment, `{name:re}` the regex. */
export function pathRegex(path: string): string {
  let out = '';
  let rest = path;
  while (rest) {
    const open = rest.indexOf('{');
    if (open < 0) {
      out += escapeRegex(rest);
      break;
    }
    out += escapeRegex(rest.slice(0, open));
    // Braces inside `{name:re}` may nest (`{id:\d{2}}`).
    let depth = 0;
    let close = open;
    for (; close < rest.length; close++) {
      if (rest[close] === '{') depth++;
      else if (rest[close] === '}' && --depth === 0) break;
    }
    const inner = rest.slice(open + 1, close);
    const colon = inner.indexOf(':');
    out += colon < 0 ? '[^{}/]+' : `(?:${inner.slice(colon + 1)})`;
    rest = rest.slice(close + 1);
  }
  return `${out}$`;
}

/** A request path the route answers (`{id}` as `1`). */
export const samplePath = (path: string): string => path.replace(/\{[^}]*\}/g, '1');

const literal = (node: Node | undefined): string | undefined =>
  node?.type === 'string' ? stringValue(node) : undefined;

function verbMethods(verb: string, keywords: Map<string, Node>): string[] {
  const upper = verb.toUpperCase();
  const noHead = compact(keywords.get('allow_head')?.childForFieldName('value')) === 'False';
  return upper === 'GET' && !noHead ? ['GET', 'HEAD'] : [upper];
}

/**
 * `router.add_get(path, h)`, `router.add_route(m, path, h)`, `router.add_resource(path)`,
 * `web.get(path, h)`, `@routes.get(path)`.
 */
export function registrationOf(call: Node, tables: Set<string>): Registration | undefined {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute') return undefined;
  const name = fn.childForFieldName('attribute')?.text ?? '';
  // The name first: the object's text (a long call chain's whole text) only for a route call.
  if (!name.startsWith('add_') && name !== 'route' && !VERBS.includes(name)) return undefined;
  const object = compact(fn.childForFieldName('object'));
  const { positional, keywords } = callArguments(call);
  const routerCall = /(^|\.)router$/.test(object) || object === 'router';
  if (routerCall && name.startsWith('add_') && VERBS.includes(name.slice(4))) {
    return { call, path: literal(positional[0]), methods: verbMethods(name.slice(4), keywords) };
  }
  if (routerCall && name === 'add_route') {
    const method = literal(positional[0]);
    return {
      call,
      path: literal(positional[1]),
      methods: method === undefined ? undefined : [method.toUpperCase()],
    };
  }
  if (routerCall && name === 'add_resource')
    return { call, path: literal(positional[0]), methods: [], resourceOnly: true };
  if ((object === 'web' || tables.has(object)) && VERBS.includes(name))
    return { call, path: literal(positional[0]), methods: verbMethods(name, keywords) };
  if ((object === 'web' || tables.has(object)) && name === 'route') {
    const method = literal(positional[0]);
    return {
      call,
      path: literal(positional[1]),
      methods: method === undefined ? undefined : [method.toUpperCase()],
    };
  }
  return undefined;
}

/** Names bound to `web.RouteTableDef()` (their `@routes.get(path)` decorators register routes). */
export function routeTables(roots: Node[]): Set<string> {
  const tables = new Set<string>();
  for (const assignment of roots.flatMap((root) => root.descendantsOfType('assignment'))) {
    const left = assignment?.childForFieldName('left');
    const right = assignment?.childForFieldName('right');
    if (
      left?.type === 'identifier' &&
      right?.type === 'call' &&
      /(^|\.)RouteTableDef$/.test(compact(right.childForFieldName('function')))
    )
      tables.add(left.text);
  }
  return tables;
}

/**
 * `resource.add_route(method, h)` on a resource: `resourceOf` tells which registration the
 * object (a name, a call) stands for, `resource = router.add_resource(path)` and the like.
 */
export function resourceRouteOf(
  call: Node,
  resourceOf: (object: Node) => Registration | undefined,
): Registration | undefined {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'add_route')
    return undefined;
  const object = fn.childForFieldName('object');
  const resource = object ? resourceOf(object) : undefined;
  if (!resource?.resourceOnly) return undefined;
  const method = literal(callArguments(call).positional[0]);
  return {
    call,
    path: resource.path,
    methods: method === undefined ? undefined : [method.toUpperCase()],
  };
}
