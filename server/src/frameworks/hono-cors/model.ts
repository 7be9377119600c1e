/**
 * What `hono/cors` sends in a Hono 4.13 app served by `@hono/node-server` 2.1: a reading of
 * `hono/dist/middleware/cors/index.js` (hono 4.13.23), checked against the real packages by
 * test/truth/hono-cors.test.ts.
 *
 * The middleware writes on a Web `Headers` object, which Node sends in its iteration order (names
 * sorted, lower-case), so the model builds one too. Every OPTIONS request is a preflight to it
 * (answered 204 whatever the route), `Vary: Origin` goes on every answer unless `origin` is `'*'`.
 *
 * Assumptions, because the model sees the file and not the running app: each route answers 200
 * and sets no CORS header; a path with no route gets Hono's 404 (the middleware's headers kept);
 * a module with no routes answers every path; an origin function the extractor could not read
 * allows nothing. A hand-written `(c, next)` middleware is replayed by handset-model.ts (a route
 * answers with `c.json`/`c.text`, so what `c.header` prepared goes on it; a test the extractor
 * could not read is false).
 */
import type { HeaderList, HttpRequest, HttpResponse } from '../../fetch/types';
import { requestHeader } from '../../lang/javascript/cors-package/respond';
import { routeAnswers, routePathMatches } from '../../lang/javascript/route-calls';
import { type Policy, factsOf } from '../../policy/types';
import type { LibraryModel } from '../../replay/library-model';
import type { HonoCorsFacts, HonoLibraryFacts } from './facts';
import { handsetRespond } from './handset-model';

/** The facts a policy without Hono facts stands for: `app.use('*', cors(options))`. */
function defaultFacts(policy: Policy): HonoCorsFacts {
  const span = { file: policy.file, start: 0, end: 0 };
  return {
    kind: 'library',
    origin: policy.origins.allowAll ? { kind: 'any' } : { kind: 'list' },
    allowMethods: policy.methods.names.join(','),
    allowHeaders: policy.headers.names.join(',') || undefined,
    exposeHeaders: policy.expose.names.join(',') || undefined,
    maxAge: typeof policy.maxAge === 'number' ? String(policy.maxAge) : undefined,
    mount: { kind: 'all' },
    call: span,
  };
}

/** `findAllowOrigin`: what the middleware puts in Access-Control-Allow-Origin (nothing when undefined). */
function allowOrigin(
  policy: Policy,
  facts: HonoLibraryFacts,
  header: string | undefined,
): string | undefined {
  const origin = header ?? '';
  const mode = facts.origin;
  if (mode.kind === 'any') return '*';
  if (mode.kind === 'function')
    return mode.reflect
      ? origin ||
          (mode.missingAny === true || (mode.missingAny === 'absent' && header === undefined)
            ? '*'
            : undefined)
      : undefined;
  // A string or array option: `includes`, so the empty Origin matches only an empty entry.
  return policy.origins.exact.some((o) => o.value === origin) && origin ? origin : undefined;
}

const asList = (headers: Headers): HeaderList => [...headers.entries()].map(([n, v]) => [n, v]);

/** The status the app answers with once the middleware hands on. */
function routeStatus(facts: HonoCorsFacts, method: string, pathname: string): number {
  if (!facts.routes) return 200;
  return facts.routes.some((r) => routeAnswers(r, method, pathname)) ? 200 : 404;
}

/** The `hono/cors` middleware in a Hono app, as a {@link LibraryModel}. */
export const honoCors: LibraryModel = {
  library: 'hono 4.13.23 (hono/cors, @hono/node-server 2.1.11)',
  respond(policy: Policy, request: HttpRequest): HttpResponse {
    const facts = factsOf(policy, 'hono-cors') ?? defaultFacts(policy);
    const method = request.method.toUpperCase();
    const pathname = request.path.replace(/[?#].*$/s, '');
    if (!routePathMatches(facts.mount, pathname))
      return { status: routeStatus(facts, method, pathname), headers: [] };
    if (facts.kind === 'handset')
      return handsetRespond(facts, request, () => routeStatus(facts, method, pathname));
    const headers = new Headers();
    const origin = allowOrigin(policy, facts, requestHeader(request.headers, 'Origin'));
    if (origin) headers.set('Access-Control-Allow-Origin', origin);
    if (policy.credentials === true) headers.set('Access-Control-Allow-Credentials', 'true');
    if (facts.exposeHeaders) headers.set('Access-Control-Expose-Headers', facts.exposeHeaders);
    // Hono compares the method as sent: a lower-case `options` is no preflight.
    if (request.method === 'OPTIONS') {
      if (facts.origin.kind !== 'any') headers.append('Vary', 'Origin');
      if (facts.maxAge !== undefined) headers.set('Access-Control-Max-Age', facts.maxAge);
      if (facts.allowMethods) headers.set('Access-Control-Allow-Methods', facts.allowMethods);
      const requested = requestHeader(request.headers, 'Access-Control-Request-Headers');
      const allowHeaders =
        facts.allowHeaders ??
        (requested
          ? requested
              .split(',')
              .map((h) => h.trim())
              .join(',')
          : undefined);
      if (allowHeaders) {
        headers.set('Access-Control-Allow-Headers', allowHeaders);
        headers.append('Vary', 'Access-Control-Request-Headers');
      }
      return { status: 204, headers: asList(headers) };
    }
    if (facts.origin.kind !== 'any') headers.append('Vary', 'Origin');
    return { status: routeStatus(facts, method, pathname), headers: asList(headers) };
  },
};
