/**
 * What rack-cors 1.1.1 (Debian bookworm's ruby-rack-cors, on Rack 2.2 under Puma 5.6) sends for
 * one request: a line-by-line reading of `rack/cors.rb`, checked against the real library by
 * test/truth/rack-cors.test.ts.
 *
 * Where later versions differ (upstream tags v2.0.0–v3.0.0, read for this note):
 * - 2.0.0 writes every header name in lower case (`access-control-allow-origin`, `vary`) and keeps
 *   origins with any scheme (`chrome-extension://...`) as exact strings; 1.1.1 only keeps
 *   `http(s)://` and `file://` and turns anything else into "this host, any scheme".
 * - 2.0.2 also escapes `$` in resource paths.
 * - 3.0.0 needs Rack 3; matching and answers are otherwise those of 2.0.
 * - Before 1.0 (tags v0.2.9 to v0.4.1, read, not run: no 0.x gem is reachable here), chosen when
 *   Gemfile.lock locks a 0.x: credentials default to on (`opts[:credentials].nil? ? true : ...`),
 *   `max_age` to 1728000, and `origins '*'` with credentials echoes the Origin with
 *   Access-Control-Allow-Credentials instead of raising. Other 0.x differences are not modelled
 *   (with no `headers:` option a preflight asking for any header is refused; Vary is added
 *   differently).
 * - Unchanged from 1.0 to 3.0: `credentials: true` with `origins '*'` raises at boot, the
 *   preflight is answered with 200 and no Vary whatever the verdict, the requested headers are
 *   echoed verbatim, and `origins 'null'` never matches `Origin: null`.
 */
import type { HeaderList, HttpRequest, HttpResponse } from '../../fetch/types';
import type { RackCorsBlock, RackCorsResource, RackCorsSetup } from './facts';
import { type Policy, factsOf } from '../../policy/types';
import { regexMatches } from '../../base/regex';
import type { LibraryModel } from '../../replay/library-model';

/** `Rack::Cors::CORS_SIMPLE_HEADERS`: allowed whatever `headers:` says. */
const SIMPLE_HEADERS = ['accept', 'accept-language', 'content-language', 'content-type'];

/** A request header as Rack's env holds it (Puma joins repeated lines with `, `); undefined when absent. */
function envHeader(headers: HeaderList, name: string): string | undefined {
  const values = headers
    .filter(([n]) => n.toLowerCase() === name.toLowerCase())
    .map(([, v]) => v.trim());
  return values.length ? values.join(', ') : undefined;
}

/** `Rack::Utils.unescape_path` (bytes kept as Latin-1 characters). */
const unescapePath = (path: string) =>
  path.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** `Rack::Utils.clean_path_info`: `.` and `..` resolved, empty segments and a trailing slash dropped. */
function cleanPathInfo(path: string): string {
  const parts = path.split('/');
  while (parts.length && parts[parts.length - 1] === '') parts.pop(); // Ruby's split drops trailing empties
  const clean: string[] = [];
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') clean.pop();
    else clean.push(part);
  }
  const joined = clean.join('/');
  return !parts.length || parts[0] === '' ? `/${joined}` : joined;
}

/** `Rack::Cors#evaluate_path`, and whether the path is valid (no NUL byte). */
function evaluatePath(raw: string): { path: string; valid: boolean } {
  const path = unescapePath(raw.replace(/[?#].*$/s, ''));
  const valid = !path.includes('\0');
  return { path: valid ? cleanPathInfo(path) : path, valid };
}

/** `Resource#matches_path?` in linear time; a path we could not resolve or read matches nothing. */
function matchesPath(resource: RackCorsResource, path: string): boolean {
  return (
    resource.pattern !== 'dynamic' &&
    regexMatches(resource.pattern, 'ruby', resource.patternFlags, path)
  );
}

/**
 * A block's exact origins as a set, and its regexes: built once per list, since every request of
 * every check looks an origin up (a scan per lookup made 10,000 origins quadratic).
 */
interface OriginIndex {
  exact: Set<string>;
  regexes: Extract<RackCorsBlock['origins'][number], { kind: 'regex' }>[];
  /** A block returning the Origin itself lets every origin in. */
  echo: boolean;
}
const indexes = new WeakMap<RackCorsBlock['origins'], OriginIndex>();
function indexOf(origins: RackCorsBlock['origins']): OriginIndex {
  let index = indexes.get(origins);
  if (!index) {
    index = { exact: new Set(), regexes: [], echo: false };
    for (const o of origins)
      if (o.kind === 'exact') index.exact.add(o.value);
      else if (o.kind === 'regex') index.regexes.push(o);
      else if (o.kind === 'echo') index.echo = true;
    indexes.set(origins, index);
  }
  return index;
}

/** `Resources#allow_origin?`: a proc or unresolved entry is not assumed to let anything in. */
function allowOrigin(block: RackCorsBlock, origin: string): boolean {
  if (block.public) return true;
  const { exact, regexes, echo } = indexOf(block.origins);
  return (
    echo ||
    exact.has(origin) ||
    regexes.some((o) => regexMatches(o.source, 'ruby', o.flags, origin))
  );
}

/** `Rack::Cors#match_resource`: the first block that allows the origin and has a resource for the path. */
function matchResource(
  setup: RackCorsSetup,
  path: string,
  origin: string,
): RackCorsResource | undefined {
  for (const [index, block] of setup.blocks.entries()) {
    if (!allowOrigin(block, origin)) continue;
    // `if:` procs are assumed to let the request through.
    const found = setup.resources.find((r) => r.block === index && matchesPath(r, path));
    if (found) return found;
  }
  return undefined;
}

/** `Resource#to_headers`, dynamic values read as rack-cors' defaults. */
function toHeaders(resource: RackCorsResource, origin: string): HeaderList {
  const methods = resource.methods === 'dynamic' ? ['get'] : resource.methods;
  // Before 1.0 a public resource with credentials echoes the Origin (`origin_for_response_header`).
  const star = resource.public && resource.credentials !== true;
  const headers: HeaderList = [
    ['Access-Control-Allow-Origin', star ? '*' : origin],
    ['Access-Control-Allow-Methods', methods.map((m) => m.toUpperCase()).join(', ')],
    [
      'Access-Control-Expose-Headers',
      resource.expose === 'dynamic' ? '' : resource.expose.join(', '),
    ],
    ['Access-Control-Max-Age', resource.maxAge === 'dynamic' ? '7200' : resource.maxAge],
  ];
  if (resource.credentials === true) headers.push(['Access-Control-Allow-Credentials', 'true']);
  return headers;
}

/** `Resource#allow_headers?`: every requested name (split on `,\s*`) is simple or listed. */
function allowHeaders(resource: RackCorsResource, requested: string): boolean {
  if (resource.headers === 'any') return true;
  const listed = resource.headers === 'dynamic' ? [] : resource.headers;
  const names = requested.split(/,\s*/);
  while (names.length && names[names.length - 1] === '') names.pop();
  return names.every(
    (h) => SIMPLE_HEADERS.includes(h.toLowerCase()) || listed.includes(h.toLowerCase()),
  );
}

/** `Resource#process_preflight`: the headers of a passing preflight, or none. */
function preflightHeaders(
  resource: RackCorsResource | undefined,
  request: HttpRequest,
  origin: string,
): HeaderList {
  if (!resource) return [];
  const method = envHeader(request.headers, 'Access-Control-Request-Method') ?? '';
  const methods = resource.methods === 'dynamic' ? ['get'] : resource.methods;
  if (!methods.includes(method.toLowerCase())) return [];
  const requested = envHeader(request.headers, 'Access-Control-Request-Headers');
  if (requested !== undefined && !allowHeaders(resource, requested)) return [];
  const headers = toHeaders(resource, origin);
  if (requested !== undefined) headers.push(['Access-Control-Allow-Headers', requested]);
  return headers;
}

/** The `Vary` value for a path: the first resource covering it, whatever the origin. */
function varyFor(setup: RackCorsSetup, path: string): string | undefined {
  const resource = setup.resources.find((r) => matchesPath(r, path));
  if (!resource) return undefined;
  const names = Array.isArray(resource.vary) && resource.vary.length ? resource.vary : ['Origin'];
  return [...new Set(names)].join(', ');
}

/**
 * `Rack::Cors` of rack-cors 1.1.1 as a {@link LibraryModel}, answering from the policy's whole
 * setup (`policy.rackCors`), since rack-cors picks the rule by origin and path together.
 *
 * Assumptions, because the model sees the configuration and not the app:
 * - Rack::Cors is the first middleware and the app answers 200 without Vary or CORS headers of
 *   its own (rack-cors-position reports setups where other middleware answers first).
 * - `if:` procs return true; `origins` procs and values we could not resolve allow nothing;
 *   other unresolved options count as rack-cors' defaults (`[:get]`, 7200 s, no credentials).
 * - Only the lines rack-cors writes are listed. The preflight is `[200, headers, []]`: Puma then
 *   adds `Transfer-Encoding: chunked` (Rails' stack a `Content-Length`), which are not listed.
 * - A setup that raises at boot (`credentials: true` with `'*'`) has no server: status 500, no headers.
 */
export const rackCors: LibraryModel = {
  library: 'rack-cors 1.1.1',
  respond(policy: Policy, request: HttpRequest): HttpResponse {
    const setup = factsOf(policy, 'rack-cors')?.setup;
    if (!setup) return { status: 200, headers: [] };
    if (!setup.legacy && setup.resources.some((r) => r.public && r.credentials === true))
      return { status: 500, headers: [] };
    // `env[HTTP_ORIGIN] ||= env[HTTP_X_ORIGIN]`; an empty Origin is still an Origin in Ruby.
    const origin = envHeader(request.headers, 'Origin') ?? envHeader(request.headers, 'X-Origin');
    const { path, valid } = evaluatePath(request.path);

    if (
      origin !== undefined &&
      request.method === 'OPTIONS' &&
      envHeader(request.headers, 'Access-Control-Request-Method') !== undefined
    ) {
      if (!valid) return { status: 400, headers: [] };
      return {
        status: 200,
        headers: preflightHeaders(matchResource(setup, path, origin), request, origin),
      };
    }
    const resource = origin === undefined ? undefined : matchResource(setup, path, origin);
    const headers: HeaderList = resource ? toHeaders(resource, origin!) : [];
    const vary = varyFor(setup, path);
    if (vary) headers.push(['Vary', vary]);
    return { status: 200, headers };
  },
};
