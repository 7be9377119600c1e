/**
 * Route registrations of the JS routers other than Express's (Hono, Fastify, @koa/router):
 * `app.get('/path', handler)`, `app.all(...)`, `app.on('GET', '/path', ...)`, with the paths
 * matched the way these routers do (`:param` one segment, `*` anything, a trailing `/*` also the
 * bare prefix). Models use them to tell a route's 200 from the router's 404.
 */
import type { Node } from 'web-tree-sitter';
import { type JsEvaluator, unwrap, argumentsOf } from './evaluate';
import { memberCalls } from './member-calls';

/** A route path; `all` when none is written, `dynamic` when not known statically. */
export type RoutePath = { kind: 'all' } | { kind: 'string'; value: string } | { kind: 'dynamic' };

/** One route registration. */
export interface RouteCall {
  receiver: string;
  /** Upper-case methods; `all` for `.all(...)`. */
  methods: string[] | 'all';
  path: RoutePath;
  call: Node;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'options', 'head', 'all'];

/** A path argument read statically. */
export function routePath(js: JsEvaluator, node: Node | undefined): RoutePath {
  if (!node) return { kind: 'all' };
  const value = js.evaluate(node);
  if (value.kind !== 'str') return { kind: 'dynamic' };
  return value.value === '*' || value.value === '/*'
    ? { kind: 'all' }
    : { kind: 'string', value: value.value };
}

/** Every `recv.METHOD(path, handler...)` and `recv.on(method(s), path, ...)` of the module, in source order. */
export function routeCalls(root: Node, text: string, js: JsEvaluator): RouteCall[] {
  const out: RouteCall[] = [];
  for (const call of memberCalls(root, text, [...METHODS, 'on'])) {
    const fn = call.childForFieldName('function');
    const receiver = fn?.childForFieldName('object');
    const method = fn?.childForFieldName('property')?.text ?? '';
    const args = argumentsOf(call);
    if (receiver?.type !== 'identifier' || call.hasError) continue;
    if (method === 'on') {
      const methods = args[0] ? js.evaluate(args[0]) : undefined;
      const names =
        methods?.kind === 'str'
          ? [methods.value]
          : methods?.kind === 'list'
            ? methods.items.flatMap((i) => (i.kind === 'str' ? [i.value] : []))
            : [];
      if (args.length >= 3 && names.length)
        out.push({
          receiver: receiver.text,
          methods: names.map((m) => m.toUpperCase()),
          path: routePath(js, args[1]),
          call,
        });
      continue;
    }
    // A path first and a handler after it; `app.get('setting')` reads a setting.
    if (
      args.length < 2 ||
      !['string', 'template_string', 'identifier'].includes(unwrap(args[0]).type)
    )
      continue;
    out.push({
      receiver: receiver.text,
      methods: method === 'all' ? 'all' : [method.toUpperCase()],
      path: routePath(js, args[0]),
      call,
    });
  }
  return out.sort((a, b) => a.call.startIndex - b.call.startIndex);
}

/** The RegExp source of a route path: `:name` one segment, `*` anything, a trailing `/*` optional. */
export function routePathSource(path: string): string {
  const escape = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  let body = path;
  let tail = '';
  if (body.endsWith('/*')) {
    body = body.slice(0, -2);
    tail = '(?:/.*)?';
  }
  const source = body
    .split(/(:[A-Za-z_$][\w$]*(?:\{[^}]*\})?\??|\*)/)
    .map((part) =>
      part === '*'
        ? '.*'
        : part.startsWith(':')
          ? part.endsWith('?')
            ? '(?:[^/]+)?'
            : '[^/]+'
          : escape(part),
    )
    .join('');
  return `^${source}${tail}$`;
}

/** Whether a request path matches a route path. */
export function routePathMatches(path: RoutePath, pathname: string): boolean {
  if (path.kind !== 'string') return true;
  try {
    return new RegExp(routePathSource(path.value)).test(pathname);
  } catch {
    return true;
  }
}

/** Whether a route answers `method pathname` (a GET route answers HEAD too). */
export function routeAnswers(
  route: Pick<RouteCall, 'methods' | 'path'>,
  method: string,
  pathname: string,
): boolean {
  const methods =
    route.methods === 'all'
      ? 'all'
      : route.methods.includes('GET')
        ? [...route.methods, 'HEAD']
        : route.methods;
  return (methods === 'all' || methods.includes(method)) && routePathMatches(route.path, pathname);
}
