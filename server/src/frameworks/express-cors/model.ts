/**
 * What the npm `cors` 2.8.6 middleware sends in an Express 5.x app: a line-by-line reading of
 * `cors/lib/index.js` (and `vary` 1.1.2, router 2.3 for what Express answers when `cors` does
 * not), checked against the real packages by test/truth/express-cors.test.ts.
 *
 * Assumptions, because the model sees the file and not the running app:
 * - Each route handler answers 200 and sets no CORS or Vary headers; a path with no route gets
 *   Express's 404; an OPTIONS that no middleware answers gets router's automatic `Allow` reply
 *   (200) when a route has that path, else 404. Paths the extractor could not read match.
 * - Other `cors()` layers of the same app are not replayed: each policy models its own layer.
 * - An origin function the extractor could not read allows only what it could read (often nothing).
 */
import { regexMatches } from '../../base/regex';
import type { HeaderList, HttpRequest, HttpResponse } from '../../fetch/types';
import type { ExpressCorsFacts, ExpressLayer } from './facts';
import { type Policy, factsOf } from '../../policy/types';
import { expressPathMatches } from '../../lang/javascript/express-path';
import type { LibraryModel } from '../../replay/library-model';

/** One request header's value as Node joins repeats (`, ` for most, as `req.headers` does). */
export function requestHeader(headers: HeaderList, name: string): string | undefined {
  const values = headers.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
  return values.length ? values.join(', ') : undefined;
}

/** `res.setHeader` keeps the first position of a name and replaces its value (Node's OutgoingMessage). */
export function setHeader(headers: HeaderList, name: string, value: string): void {
  const at = headers.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
  if (at >= 0) headers[at] = [name, value];
  else headers.push([name, value]);
}

/** The `vary` package: adds a field to Vary unless it (or `*`) is there, keeping the first position. */
export function varyHeader(headers: HeaderList, field: string): void {
  const at = headers.findIndex(([n]) => n.toLowerCase() === 'vary');
  if (at < 0) return void headers.push(['Vary', field]);
  const current = headers[at][1];
  const fields = current.split(/\s*,\s*/).map((f) => f.toLowerCase());
  if (fields.includes('*') || fields.includes(field.toLowerCase())) return;
  headers[at] = ['Vary', current ? `${current}, ${field}` : field];
}

/** The facts a policy without Express facts stands for: `app.use(cors(options))` before one catch-all route. */
function defaultFacts(policy: Policy): ExpressCorsFacts {
  const span = { file: policy.file, start: 0, end: 0 };
  return {
    stack: [
      { kind: 'cors', methods: 'all', path: { kind: 'all' }, prefix: true, span },
      { kind: 'route', methods: 'all', path: { kind: 'all' }, prefix: false, span },
    ],
    origin: policy.origins.allowAll ? { kind: 'any' } : { kind: 'match', reject: 'omit', allowMissing: true },
    methods: policy.methods.names.join(','),
    allowedHeaders: policy.headers.names.length ? policy.headers.names.join(',') : undefined,
    exposedHeaders: policy.expose.names.length ? policy.expose.names.join(',') : undefined,
    maxAge: typeof policy.maxAge === 'number' ? String(policy.maxAge) : undefined,
    preflightContinue: false,
    optionsSuccessStatus: 204,
  };
}

/** `isOriginAllowed` over the policy's exact strings and RegExps (`origin: true` allows all). */
export function originListed(policy: Policy, origin: string): boolean {
  if (policy.origins.reflectAny) return true;
  if (policy.origins.exact.some((o) => o.value === origin)) return true;
  // Linear time; the stateful `lastIndex` of `g`/`y` is not modelled.
  return policy.origins.regexes.some((r) => regexMatches(r.pattern, 'js', (r.flags ?? '').replace(/[gy]/g, ''), origin));
}

/** What router 2.x needs of a layer: `route` layers count for the automatic OPTIONS answer. */
export type RouterLayer = Pick<ExpressLayer, 'methods' | 'path' | 'prefix'> & { kind: string };

/** Route methods as router 2.x sees them: a GET route also answers HEAD. */
const layerMethods = (layer: RouterLayer): string[] | 'all' =>
  layer.methods === 'all' ? 'all' : layer.methods.includes('GET') && !layer.methods.includes('HEAD') ? [...layer.methods, 'HEAD'] : layer.methods;

/** Whether a layer runs for `method pathname`. */
export function layerMatches(layer: RouterLayer, method: string, pathname: string): boolean {
  const methods = layerMethods(layer);
  return (methods === 'all' || methods.includes(method)) && expressPathMatches(layer.path, pathname, layer.prefix);
}

/** What Express answers once no middleware or route ended the response: router's OPTIONS reply or a 404. */
export function fallThrough(stack: readonly RouterLayer[], method: string, pathname: string, headers: HeaderList): HttpResponse {
  if (method === 'OPTIONS') {
    const allow = new Set<string>();
    for (const layer of stack) {
      const methods = layerMethods(layer);
      if (layer.kind === 'route' && methods !== 'all' && expressPathMatches(layer.path, pathname, false)) methods.forEach((m) => allow.add(m));
    }
    if (allow.size) {
      const list = [...allow].sort().join(', ');
      return { status: 200, headers: [...headers, ['Allow', list], ['Content-Length', String(Buffer.byteLength(list))]] };
    }
  }
  return { status: 404, headers };
}

/** `configureOrigin`: the origin lines, after the origin callback settled on an option value. */
function originLines(policy: Policy, facts: ExpressCorsFacts, origin: string | undefined, headers: HeaderList): void {
  const mode = facts.origin;
  if (mode.kind === 'any') return void setHeader(headers, 'Access-Control-Allow-Origin', '*');
  if (mode.kind === 'fixed') {
    setHeader(headers, 'Access-Control-Allow-Origin', mode.value);
    return void varyHeader(headers, 'Origin');
  }
  // `isOriginAllowed` then "reflect origin"; an empty or missing Origin sets nothing.
  if (origin && (mode.kind !== 'match' || mode.reject !== 'omit' || originListed(policy, origin))) setHeader(headers, 'Access-Control-Allow-Origin', origin);
  varyHeader(headers, 'Origin');
}

/**
 * `middlewareWrapper`'s origin callback: whether `cors()` runs (`run`), is skipped, or fails the
 * request (an error handed to `next`, which Express answers with a 500).
 */
function originDecision(policy: Policy, facts: ExpressCorsFacts, origin: string | undefined): 'run' | 'skip' | 'error' {
  const mode = facts.origin;
  if (mode.kind === 'off') return 'skip';
  if (mode.kind !== 'match' || mode.reject === 'omit') return 'run';
  // `!origin` guards let an empty Origin in as well as a missing one.
  const allowed = !origin ? mode.allowMissing : originListed(policy, origin);
  return allowed ? 'run' : mode.reject;
}

/** The `cors()` function itself: sets the lines; a preflight ends here unless `preflightContinue`. */
function corsLines(policy: Policy, facts: ExpressCorsFacts, request: HttpRequest, method: string, headers: HeaderList): HttpResponse | undefined {
  originLines(policy, facts, requestHeader(request.headers, 'Origin'), headers);
  if (policy.credentials === true) setHeader(headers, 'Access-Control-Allow-Credentials', 'true');
  // Every OPTIONS is a preflight to `cors`, with or without Access-Control-Request-Method.
  if (method !== 'OPTIONS') {
    if (facts.exposedHeaders) setHeader(headers, 'Access-Control-Expose-Headers', facts.exposedHeaders);
    return undefined;
  }
  if (facts.methods) setHeader(headers, 'Access-Control-Allow-Methods', facts.methods);
  let allowHeaders = facts.allowedHeaders;
  if (allowHeaders === undefined) {
    allowHeaders = requestHeader(request.headers, 'Access-Control-Request-Headers');
    varyHeader(headers, 'Access-Control-Request-Headers');
  }
  if (allowHeaders) setHeader(headers, 'Access-Control-Allow-Headers', allowHeaders);
  if (facts.maxAge) setHeader(headers, 'Access-Control-Max-Age', facts.maxAge);
  if (facts.exposedHeaders) setHeader(headers, 'Access-Control-Expose-Headers', facts.exposedHeaders);
  if (facts.preflightContinue) return undefined;
  setHeader(headers, 'Content-Length', '0');
  return { status: facts.optionsSuccessStatus, headers };
}

/** The `cors` 2.8.6 middleware in an Express 5 app, as a {@link LibraryModel}. */
export const expressCors: LibraryModel = {
  library: 'cors 2.8.6 (Express 5.x)',
  respond(policy: Policy, request: HttpRequest): HttpResponse {
    const facts = factsOf(policy, 'express-cors') ?? defaultFacts(policy);
    const method = request.method.toUpperCase();
    const pathname = request.path.replace(/[?#].*$/s, '');
    const headers: HeaderList = [];
    let corsRan = false;
    for (const layer of facts.stack) {
      if (!layerMatches(layer, method, pathname)) continue;
      if (layer.kind === 'route') return { status: 200, headers };
      if (corsRan) continue;
      corsRan = true;
      const decision = originDecision(policy, facts, requestHeader(request.headers, 'Origin'));
      if (decision === 'error') return { status: 500, headers };
      if (decision === 'skip') continue;
      const ended = corsLines(policy, facts, request, method, headers);
      if (ended) return ended;
    }
    return fallThrough(facts.stack, method, pathname, headers);
  },
};
