/**
 * What aiohttp_cors 0.7.0 (Debian bookworm's python3-aiohttp-cors, over aiohttp 3.8.4) sends for
 * one request: a line-by-line reading of `cors_config.py` (`_on_response_prepare`),
 * `preflight_handler.py` and `urldispatcher_router_adapter.py`; checked against the real library
 * by test/truth/aiohttp-cors.test.ts.
 *
 * What the library does that surprises:
 * - `"*"` is an origin key like any other: a matching request gets its own Origin echoed (never
 *   `*`), with `Access-Control-Allow-Credentials: true` when that entry allows credentials, and
 *   never `Vary: Origin`.
 * - Only resources given to `cors.add` get headers; a preflight is answered by the OPTIONS route
 *   the library adds to them (403 with a text body when refused), and allows only the methods of
 *   routes given to `cors.add` unless `allow_methods` says more (the route lookup is
 *   case-sensitive: a lower-case `patch` is refused).
 * - A preflight's Allow-Methods echoes the requested method and Allow-Headers the requested
 *   headers, upper-cased; these and Expose-Headers are joined from Python sets, so their order
 *   changes from one process to the next (the model lists them sorted).
 *
 * Assumptions, because the model sees the setup and not the whole app:
 * - The routes are those the module registers; when it registers none it can read, every path is
 *   routed for GET, HEAD, POST, PUT, PATCH and DELETE. A routed method answers 200, another 405,
 *   an unrouted path 404, without CORS headers on the last two.
 * - Handlers answer with `web.Response(...)` on a kept-alive connection: with
 *   `expose_headers="*"` the exposed headers are then `Content-Length`, `Date` and `Server` (a
 *   request asking to close the connection also gets `Connection` listed).
 * - Only the `access-control-*` lines are listed.
 */
import { firstValue } from '../../fetch/headers';
import type { HeaderList, HttpRequest, HttpResponse } from '../../fetch/types';
import { type Policy, factsOf } from '../../policy/types';
import type { LibraryModel } from '../../replay/library-model';
import type { AiohttpConfig, AiohttpCorsFacts, AiohttpOptions, AiohttpResource } from './facts';

const ANY_ROUTE = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
/** What `expose_headers="*"` finds on a `web.Response` when the hook runs, but the simple headers. */
const RESPONSE_HEADERS = ['Content-Length', 'Date', 'Server'];

/** A `collections.ChainMap` of configs, looked up as `config.get(origin, config.get("*"))`. */
function lookup(chain: AiohttpConfig[], origin: string): AiohttpOptions | undefined {
  const get = (key: string) =>
    chain.flatMap((c) => c.entries).find((e) => e.origin === key)?.options;
  return get(origin) ?? get('*');
}

function header(request: HttpRequest, name: string): string | undefined {
  return firstValue(request.headers, name);
}

const sorted = (values: Iterable<string>) => [...values].sort();

/** The resource that answers a path: one the module registers, or (routes unknown) an imagined one. */
function resourceFor(facts: AiohttpCorsFacts, path: string): AiohttpResource | undefined {
  const found = facts.resources.find(
    (r) => r.methods.length && new RegExp(`^(?:${r.regex})`).test(path),
  );
  if (found || !facts.routesUnknown) return found;
  const config = facts.everyRoute;
  return {
    regex: '.*',
    sample: path,
    methods: ANY_ROUTE,
    cors: config,
    methodConfig: config ? Object.fromEntries(ANY_ROUTE.map((m) => [m, config])) : {},
  };
}

const forbidden: HttpResponse = { status: 403, headers: [] };

/** `_preflight_handler` with `get_preflight_request_config`. */
function preflight(
  facts: AiohttpCorsFacts,
  resource: AiohttpResource,
  request: HttpRequest,
): HttpResponse {
  const origin = header(request, 'origin');
  const method = header(request, 'access-control-request-method');
  if (origin === undefined || method === undefined) return forbidden;
  const defaulted = [resource.cors!, facts.defaults];
  const options = lookup(defaulted, origin);
  const allowed =
    !!options &&
    options.methods !== null &&
    (options.methods === '*' || options.methods.includes(method.toUpperCase()));
  // Not allowed by the defaults and no route config for the method: KeyError, 403.
  const routeConfig = resource.methodConfig[method];
  if (!allowed && !routeConfig) return forbidden;
  const chain = [...(routeConfig ? [routeConfig] : []), ...defaulted];
  if (!chain.some((c) => c.entries.length)) return forbidden;
  const chosen = lookup(chain, origin);
  if (!chosen) return forbidden;
  const requested = new Set(
    (header(request, 'access-control-request-headers') ?? '')
      .split(',')
      .map((h) => h.replace(/^[ \t]+|[ \t]+$/g, '').toUpperCase())
      .filter(Boolean),
  );
  if (
    chosen.headers !== '*' &&
    [...requested].some((h) => !(chosen.headers as string[]).includes(h))
  )
    return forbidden;
  const headers: HeaderList = [['Access-Control-Allow-Origin', origin]];
  if (chosen.credentials) headers.push(['Access-Control-Allow-Credentials', 'true']);
  if (chosen.maxAge !== null) headers.push(['Access-Control-Max-Age', String(chosen.maxAge)]);
  headers.push(['Access-Control-Allow-Methods', method]);
  if (requested.size) headers.push(['Access-Control-Allow-Headers', sorted(requested).join(',')]);
  return { status: 200, headers };
}

/** `_on_response_prepare` on a routed, CORS-enabled resource. */
function simple(
  facts: AiohttpCorsFacts,
  resource: AiohttpResource,
  request: HttpRequest,
): HttpResponse {
  const origin = header(request, 'origin');
  if (origin === undefined) return { status: 200, headers: [] };
  const chain = [
    resource.methodConfig[request.method] ?? { entries: [], dynamic: false },
    resource.cors!,
    facts.defaults,
  ];
  const options = lookup(chain, origin);
  if (!options) return { status: 200, headers: [] };
  const headers: HeaderList = [];
  if (options.expose === '*')
    headers.push(['Access-Control-Expose-Headers', RESPONSE_HEADERS.join(',')]);
  else if (options.expose.length)
    headers.push(['Access-Control-Expose-Headers', sorted(new Set(options.expose)).join(',')]);
  headers.push(['Access-Control-Allow-Origin', origin]);
  if (options.credentials) headers.push(['Access-Control-Allow-Credentials', 'true']);
  return { status: 200, headers };
}

function respond(facts: AiohttpCorsFacts, sent: HttpRequest): HttpResponse {
  // aiohttp's HTTP parser upper-cases the method (`patch` reaches the PATCH route).
  const request = { ...sent, method: sent.method.toUpperCase() };
  const path = request.path.replace(/[?#].*$/s, '');
  const resource = resourceFor(facts, path);
  if (!resource) return { status: 404, headers: [] };
  // cors.add gives the resource an OPTIONS route: every OPTIONS there is a preflight.
  if (resource.cors && request.method === 'OPTIONS') return preflight(facts, resource, request);
  if (!resource.methods.includes(request.method)) return { status: 405, headers: [] };
  return resource.cors ? simple(facts, resource, request) : { status: 200, headers: [] };
}

/** aiohttp_cors 0.7.0 as a {@link LibraryModel}. */
export const aiohttpCors: LibraryModel = {
  library: 'aiohttp_cors 0.7.0 (aiohttp 3.8.4)',
  respond(policy: Policy, request: HttpRequest): HttpResponse {
    const facts = factsOf(policy, 'aiohttp-cors');
    return facts ? respond(facts, request) : { status: 200, headers: [] };
  },
};
