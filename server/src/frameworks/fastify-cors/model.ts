/**
 * What `@fastify/cors` 11.4.3 sends in a Fastify 5.12 app: a reading of `@fastify/cors/index.js`
 * and its `vary.js`, checked against the real packages by test/truth/fastify-cors.test.ts.
 *
 * The plugin works in an `onRequest` hook and adds an `OPTIONS *` route (under its scope's
 * prefix) so that every preflight reaches the hook. Reply headers keep the position of their first
 * write, as Fastify's header object does.
 *
 * Assumptions, because the model sees the file and not the running app: each route answers 200
 * and sets no CORS header; a path with no route gets Fastify's 404, which runs the root context's
 * hooks (so a plugin registered at the root or through `fp` answers it, a scoped one does not); a
 * module with no routes answers every path; a request carries no body, so one with a JSON
 * `Content-Type` gets Fastify's 400 once the hook has run; the `hook` option is read as `onRequest`; an origin
 * function the extractor could not read allows only what it could read; a policy a delegate
 * hands on answers every request as that branch of the delegate would.
 */
import type { HeaderList, HttpRequest, HttpResponse } from '../../fetch/types';
import { requestHeader, setHeader } from '../../lang/javascript/cors-package/respond';
import { routeAnswers, routePathMatches } from '../../lang/javascript/route-calls';
import { type Policy, factsOf } from '../../policy/types';
import type { LibraryModel } from '../../replay/library-model';
import type { FastifyCorsFacts } from './facts';

/** `vary.js`: adds a field to Vary unless it (or `*`) is there. */
function vary(headers: HeaderList, field: string): void {
  const current = headers.find(([n]) => n.toLowerCase() === 'vary')?.[1];
  if (!current) return setHeader(headers, 'Vary', field);
  const fields = current.split(',').map((f) => f.trim().toLowerCase());
  if (current === '*' || fields.includes('*') || fields.includes(field.toLowerCase())) return;
  setHeader(headers, 'Vary', `${current}, ${field}`);
}

/** The facts a policy without Fastify facts stands for: `fastify.register(cors, options)` at the root. */
function defaultFacts(policy: Policy): FastifyCorsFacts {
  const span = { file: policy.file, start: 0, end: 0 };
  return {
    origin: policy.origins.allowAll ? { kind: 'fixed', value: '*' } : { kind: 'match' },
    methods: policy.methods.names.join(','),
    allowedHeaders: policy.headers.names.join(', ') || undefined,
    exposedHeaders: policy.expose.names.join(', ') || undefined,
    maxAge: typeof policy.maxAge === 'number' ? String(policy.maxAge) : undefined,
    preflight: true,
    strictPreflight: true,
    preflightContinue: false,
    optionsSuccessStatus: 204,
    scope: { kind: 'global' },
    call: span,
  };
}

/** `isRequestOriginAllowed` over the policy's list (`true` and reflecting functions: any Origin). */
function listed(policy: Policy, origin: string | undefined): boolean {
  if (policy.origins.reflectAny) return true;
  if (policy.origins.exact.some((o) => o.value === origin)) return true;
  return policy.origins.regexes.some((r) => {
    try {
      // `RegExp.test(undefined)` tests the string "undefined".
      return new RegExp(r.pattern, (r.flags ?? '').replace(/[gy]/g, '')).test(String(origin));
    } catch {
      return false;
    }
  });
}

/**
 * Which route a request reaches: `cors` (the plugin's `OPTIONS *`), an app route in or out of the
 * hook's scope, or none.
 */
function routeOf(
  facts: FastifyCorsFacts,
  method: string,
  pathname: string,
): 'cors' | 'scoped' | 'outside' | 'none' {
  const prefix = facts.scope.kind === 'scoped' ? facts.scope.prefix : '';
  const routes = facts.routes;
  const found = routes ? routes.find((r) => routeAnswers(r, method, pathname)) : { inScope: true };
  if (found) return found.inScope || facts.scope.kind === 'global' ? 'scoped' : 'outside';
  if (
    method === 'OPTIONS' &&
    (!prefix || routePathMatches({ kind: 'string', value: `${prefix}/*` }, pathname))
  )
    return 'cors';
  return 'none';
}

/** `addCorsHeadersHandler`: the hook's lines, and the reply when it ends the request. */
function hook(
  policy: Policy,
  facts: FastifyCorsFacts,
  request: HttpRequest,
  headers: HeaderList,
): HttpResponse | 'next' | 'off' {
  const origin = requestHeader(request.headers, 'Origin');
  if (facts.origin.kind === 'match' || facts.perRequest) vary(headers, 'Origin');
  if (facts.origin.kind === 'off') return 'off';
  const allow =
    facts.origin.kind === 'fixed'
      ? facts.origin.value
      : !origin && facts.origin.missingAny
        ? '*'
        : listed(policy, origin)
          ? origin
          : undefined;
  if (allow) setHeader(headers, 'Access-Control-Allow-Origin', allow);
  if (policy.credentials === true) setHeader(headers, 'Access-Control-Allow-Credentials', 'true');
  if (facts.exposedHeaders !== undefined)
    setHeader(headers, 'Access-Control-Expose-Headers', facts.exposedHeaders);
  if (request.method !== 'OPTIONS' || !facts.preflight) return 'next';
  const requestMethod = requestHeader(request.headers, 'Access-Control-Request-Method');
  if (facts.strictPreflight && (!origin || !requestMethod)) return { status: 400, headers };
  setHeader(headers, 'Access-Control-Allow-Methods', facts.methods);
  if (facts.allowedHeaders === undefined) {
    vary(headers, 'Access-Control-Request-Headers');
    const requested = requestHeader(request.headers, 'Access-Control-Request-Headers');
    if (requested !== undefined) setHeader(headers, 'Access-Control-Allow-Headers', requested);
  } else setHeader(headers, 'Access-Control-Allow-Headers', facts.allowedHeaders);
  if (facts.maxAge !== undefined) setHeader(headers, 'Access-Control-Max-Age', facts.maxAge);
  if (facts.cacheControl) setHeader(headers, 'Cache-Control', facts.cacheControl);
  return facts.preflightContinue ? 'next' : { status: facts.optionsSuccessStatus, headers };
}

/** The `@fastify/cors` plugin in a Fastify app, as a {@link LibraryModel}. */
export const fastifyCors: LibraryModel = {
  library: '@fastify/cors 11.4.3 (Fastify 5.12)',
  respond(policy: Policy, request: HttpRequest): HttpResponse {
    const facts = factsOf(policy, 'fastify-cors') ?? defaultFacts(policy);
    const pathname = request.path.replace(/[?#].*$/s, '');
    const route = routeOf(facts, request.method, pathname);
    const headers: HeaderList = [];
    // The hook runs for the scope's routes, and for 404s when registered at the root.
    const runs =
      route === 'scoped' || route === 'cors' || (route === 'none' && facts.scope.kind === 'global');
    const outcome = runs ? hook(policy, facts, request, headers) : 'next';
    if (typeof outcome === 'object') return outcome;
    // The requests carry no body: Fastify refuses an empty JSON body (FST_ERR_CTP_EMPTY_JSON_BODY) after the hook.
    const method = request.method.toUpperCase();
    const json = /^application\/json\b/i.test(requestHeader(request.headers, 'Content-Type') ?? '');
    if (json && method !== 'GET' && method !== 'HEAD') return { status: 400, headers };
    // The plugin's route: `reply.send()` once the hook let a preflight through, else `callNotFound`.
    if (route === 'cors')
      return { status: outcome === 'off' || !facts.preflight ? 404 : 200, headers };
    return { status: route === 'none' ? 404 : 200, headers };
  },
};
