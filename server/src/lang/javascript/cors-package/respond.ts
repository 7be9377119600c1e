/**
 * What the npm `cors` 2.8.6 middleware writes for one request: a line-by-line reading of
 * `cors/lib/index.js` (with `vary` 1.1.2), shared by the models of the frameworks that run it.
 * Each model decides what runs around it (Express's router, Nest's routes, Apollo's handler).
 */
import { regexMatches } from '../../../base/regex';
import type { HeaderList, HttpRequest, HttpResponse } from '../../../fetch/types';
import type { Policy } from '../../../policy/types';
import type { CorsPackageOptions } from './types';

/** What the `cors` lines read of a policy: its allowlist and whether credentials are on. */
export type CorsLayerPolicy = Pick<Policy, 'origins' | 'credentials'>;

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

/** `isOriginAllowed` over the policy's exact strings and RegExps (`origin: true` allows all). */
export function originListed(policy: Pick<Policy, 'origins'>, origin: string): boolean {
  if (policy.origins.reflectAny) return true;
  if (policy.origins.exact.some((o) => o.value === origin)) return true;
  // Linear time; the stateful `lastIndex` of `g`/`y` is not modelled.
  return policy.origins.regexes.some((r) =>
    regexMatches(r.pattern, 'js', (r.flags ?? '').replace(/[gy]/g, ''), origin),
  );
}

/** `configureOrigin`: the origin lines, after the origin callback settled on an option value. */
function originLines(
  policy: CorsLayerPolicy,
  options: CorsPackageOptions,
  origin: string | undefined,
  headers: HeaderList,
): void {
  const mode = options.origin;
  if (mode.kind === 'any') return void setHeader(headers, 'Access-Control-Allow-Origin', '*');
  if (mode.kind === 'fixed') {
    setHeader(headers, 'Access-Control-Allow-Origin', mode.value);
    return void varyHeader(headers, 'Origin');
  }
  // The callback's `'*'` for a request without an Origin: `configureOrigin` sends `*`, no Vary.
  if (!origin && mode.kind === 'match' && mode.missingAny)
    return void setHeader(headers, 'Access-Control-Allow-Origin', '*');
  // `isOriginAllowed` then "reflect origin"; an empty or missing Origin sets nothing.
  if (origin && (mode.kind !== 'match' || mode.reject !== 'omit' || originListed(policy, origin)))
    setHeader(headers, 'Access-Control-Allow-Origin', origin);
  varyHeader(headers, 'Origin');
}

/**
 * `middlewareWrapper`'s origin callback: whether `cors()` runs (`run`), is skipped, or fails the
 * request (an error handed to `next`, which Express answers with a 500).
 */
export function corsDecision(
  policy: CorsLayerPolicy,
  options: CorsPackageOptions,
  request: HttpRequest,
): 'run' | 'skip' | 'error' {
  const mode = options.origin;
  if (mode.kind === 'off') return 'skip';
  if (mode.kind !== 'match' || mode.reject === 'omit') return 'run';
  const origin = requestHeader(request.headers, 'Origin');
  // `!origin` guards let an empty Origin in as well as a missing one.
  const allowed = !origin ? mode.allowMissing : originListed(policy, origin);
  return allowed ? 'run' : mode.reject;
}

/**
 * The `cors()` function itself: adds its lines to `headers`; a preflight (every OPTIONS, with or
 * without Access-Control-Request-Method) ends here with its answer unless `preflightContinue`.
 */
export function corsLines(
  policy: CorsLayerPolicy,
  options: CorsPackageOptions,
  request: HttpRequest,
  headers: HeaderList,
): HttpResponse | undefined {
  const method = request.method.toUpperCase();
  originLines(policy, options, requestHeader(request.headers, 'Origin'), headers);
  if (policy.credentials === true) setHeader(headers, 'Access-Control-Allow-Credentials', 'true');
  if (method !== 'OPTIONS') {
    if (options.exposedHeaders)
      setHeader(headers, 'Access-Control-Expose-Headers', options.exposedHeaders);
    return undefined;
  }
  if (options.methods) setHeader(headers, 'Access-Control-Allow-Methods', options.methods);
  let allowHeaders = options.allowedHeaders;
  if (allowHeaders === undefined) {
    allowHeaders = requestHeader(request.headers, 'Access-Control-Request-Headers');
    varyHeader(headers, 'Access-Control-Request-Headers');
  }
  if (allowHeaders) setHeader(headers, 'Access-Control-Allow-Headers', allowHeaders);
  if (options.maxAge) setHeader(headers, 'Access-Control-Max-Age', options.maxAge);
  if (options.exposedHeaders)
    setHeader(headers, 'Access-Control-Expose-Headers', options.exposedHeaders);
  if (options.preflightContinue) return undefined;
  setHeader(headers, 'Content-Length', '0');
  return { status: options.optionsSuccessStatus, headers };
}

/** The options `cors()` stands for when a policy carries none: its defaults over the neutral fields. */
export function optionsFromPolicy(policy: Policy): CorsPackageOptions {
  return {
    origin: policy.origins.allowAll
      ? { kind: 'any' }
      : { kind: 'match', reject: 'omit', allowMissing: true },
    methods: policy.methods.names.join(','),
    allowedHeaders: policy.headers.names.length ? policy.headers.names.join(',') : undefined,
    exposedHeaders: policy.expose.names.length ? policy.expose.names.join(',') : undefined,
    maxAge: typeof policy.maxAge === 'number' ? String(policy.maxAge) : undefined,
    preflightContinue: false,
    optionsSuccessStatus: 204,
  };
}
