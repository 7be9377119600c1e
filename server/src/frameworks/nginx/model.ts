/**
 * What nginx 1.22.1 (Debian bookworm's nginx-light) sends for one request to a location: the
 * rewrite phase (server `if`s, then the location's `set`/`if`/`return` in order, the last
 * matching `if` choosing the configuration), the content handler, then the headers filter
 * (ngx_http_headers_filter_module): each `add_header` in effect, in order, skipped when its value
 * is empty, and without `always` only on 200, 201, 204, 206, 301, 302, 303, 304, 307 and 308.
 * Checked against real nginx by test/truth/nginx.test.ts.
 *
 * Assumptions, because the model sees configuration and not the machine:
 * - Static locations: a requested file exists, and so does a requested directory's index file
 *   (GET/HEAD 200); every other method gets nginx's 405 (ngx_http_static_handler refuses it
 *   before it looks for the file), so a preflight to a file gets only the `always` lines.
 *   `try_files` runs first, for every method: a name that ends in `/` finds its directory, any
 *   other name a file unless it names a directory (`$uri` of `/public/`); the last name is the
 *   fallback: `=404` answers 404, a URI (or `@name`) is answered by the location it leads to.
 *   A GET, HEAD or POST for a directory goes on to its index file's location the same way.
 * - A proxied app that is not a server of the same configuration answers 200 with no CORS
 *   headers; one that is (proxy_pass to a `listen` of this file) answers as the model says,
 *   minus the headers nginx hides from upstreams and `proxy_hide_header`.
 * - Only headers the configuration adds (and the proxied app's) are listed: nginx's own
 *   Server, Date, Content-Type, Content-Length, Connection, Location, ETag, ... are left out.
 */
import type { HeaderList, HttpRequest, HttpResponse } from '../../fetch/types';
import type {
  NginxContent,
  NginxLevel,
  NginxLocation,
  NginxMap,
  NginxServer,
  NginxStep,
} from './facts';
import { type Policy, factsOf } from '../../policy/types';
import { pcreMatcher, Variables } from './variables';
import type { LibraryModel } from '../../replay/library-model';

/** Statuses that get `add_header` lines without `always` (ngx_http_headers_filter). */
export const ADD_HEADER_STATUSES = new Set([200, 201, 204, 206, 301, 302, 303, 304, 307, 308]);

/** Upstream headers nginx never passes on (ngx_http_proxy_hide_headers), lower-case. */
const PROXY_HIDDEN = [
  'date',
  'server',
  'x-pad',
  'x-accel-expires',
  'x-accel-redirect',
  'x-accel-limit-rate',
  'x-accel-buffering',
  'x-accel-charset',
];

const MAX_PROXY_DEPTH = 4;
/** ngx_http_internal_redirect gives up with a 500 after this many (NGX_HTTP_MAX_URI_CHANGES). */
const MAX_URI_CHANGES = 10;

/**
 * A `proxy_pass` (or `uwsgi_pass`, `fastcgi_pass`) to an app outside the configuration. uWSGI's
 * and PHP-FPM's headers are passed on as a proxied app's are (ngx_http_uwsgi_module and
 * ngx_http_fastcgi_module share the upstream code and its hide lists): the truth suite runs
 * `proxy_pass` only, as no uWSGI or FastCGI server is installed here.
 */
export type NginxProxy = Extract<NginxContent, { kind: 'proxy' }>;

/**
 * What the app behind a `proxy_pass` outside the configuration answers a request (its path as
 * nginx forwards it), or undefined when the app is unknown (then: a 200 without CORS headers).
 */
export type ProxiedApp = (proxy: NginxProxy, request: HttpRequest) => HttpResponse | undefined;

/**
 * nginx in front of apps it does not contain: `app` answers for them (a workspace's Django or
 * Express policy through its own model), and nginx hides and adds headers on top.
 */
export function nginxInFront(app: ProxiedApp): LibraryModel {
  return {
    library: 'nginx 1.22.1',
    respond(policy: Policy, request: HttpRequest): HttpResponse {
      const facts = factsOf(policy, 'nginx');
      if (!facts) return { status: 200, headers: [] };
      return serve(facts.server, facts.location, facts.maps, request, { depth: 0, app });
    },
  };
}

/** nginx as a {@link LibraryModel}: the location the policy stands for answers the request. */
export const nginxModel: LibraryModel = nginxInFront(() => undefined);

interface Upstreams {
  depth: number;
  app: ProxiedApp;
  /** Internal redirects (`try_files` fallbacks) taken so far for this request. */
  redirects?: number;
  /** The path the client asked for (`$request_uri`), once an internal redirect replaced it. */
  requestUri?: string;
}

/** The response of `server` when `location` handles the request. */
function serve(
  server: NginxServer,
  location: NginxLocation,
  maps: Map<string, NginxMap>,
  request: HttpRequest,
  upstreams: Upstreams,
): HttpResponse {
  const variables = new Variables(request, maps);
  const atServer = rewrite(server.steps, server.level, variables);
  if (atServer.status !== undefined)
    return headersFilter(atServer.status, atServer.level, variables, []);
  // ngx_http_core_find_config_phase: an `internal` location found for a request from outside
  // ends it with 404, before the location's own rewrites (cis-vproxy, held-out batch 27).
  if (location.internal && !upstreams.redirects)
    return headersFilter(404, location.level, variables, []);
  const atLocation = rewrite(location.steps, location.level, variables);
  if (atLocation.status !== undefined)
    return headersFilter(atLocation.status, atLocation.level, variables, []);
  const tried =
    location.content.kind === 'static'
      ? beforeFile(location.content, request, variables)
      : undefined;
  if (tried?.status !== undefined)
    return headersFilter(tried.status, atLocation.level, variables, []);
  if (tried?.uri !== undefined) {
    const redirects = (upstreams.redirects ?? 0) + 1;
    if (redirects > MAX_URI_CHANGES) return headersFilter(500, atLocation.level, variables, []);
    // A named location keeps the request's URI; any other redirect replaces it.
    const named = tried.uri.startsWith('@');
    const next = named
      ? server.locations.find((l) => l.modifier === '@' && l.pattern === tried.uri)
      : findLocation(server.locations, tried.uri.split('?')[0]);
    return serve(
      server,
      next ?? server.fallback,
      maps,
      named ? request : { ...request, path: tried.uri },
      { ...upstreams, redirects, requestUri: upstreams.requestUri ?? request.path },
    );
  }
  const answer = content(location, maps, request, upstreams);
  return headersFilter(answer.status, atLocation.level, variables, answer.headers);
}

/** Runs rewrite steps: the level of the last matching `if`, and the status of a `return`, if one ran. */
function rewrite(
  steps: NginxStep[],
  start: NginxLevel,
  variables: Variables,
  entered?: NginxLevel[],
): { level: NginxLevel; status?: number } {
  let level = start;
  for (const step of steps) {
    if (step.kind === 'set') variables.set(step.variable, variables.expand(step.value));
    else if (step.kind === 'return')
      return { level, status: step.status === 'dynamic' ? 200 : step.status };
    else if (step.kind === 'if' && variables.test(step.condition)) {
      level = step.level;
      entered?.push(level);
      const inner = rewrite(step.steps, level, variables, entered);
      if (inner.status !== undefined) return inner;
    }
  }
  return { level };
}

/**
 * The rewrite phase alone, for checks: the level whose `add_header`s the response gets, the
 * status of a `return` that answered (undefined: the content handler answers, any status), and
 * every level an `if` entered on the way (a later matching `if` may replace it).
 */
export function rewritePhase(
  server: NginxServer,
  location: NginxLocation,
  maps: Map<string, NginxMap>,
  request: HttpRequest,
): { level: NginxLevel; status?: number; entered: NginxLevel[] } {
  const variables = new Variables(request, maps);
  const entered: NginxLevel[] = [server.level, location.level];
  const atServer = rewrite(server.steps, server.level, variables, entered);
  if (atServer.status !== undefined) return { ...atServer, entered };
  return { ...rewrite(location.steps, location.level, variables, entered), entered };
}

/** ngx_http_headers_filter: the level's `add_header`s after what the content handler sent. */
function headersFilter(
  status: number,
  level: NginxLevel,
  variables: Variables,
  base: HeaderList,
): HttpResponse {
  const headers: HeaderList = [...base];
  for (const header of level.effective) {
    if (!header.always && !ADD_HEADER_STATUSES.has(status)) continue;
    const value = variables.expand(header.value);
    // ngx_http_add_header: an empty value adds no line.
    if (value !== '') headers.push([header.name, value]);
  }
  return { status, headers };
}

/** Where a request goes before nginx's static handler: another URI or a status, else nowhere. */
type Redirect = { status?: number; uri?: string };

/**
 * The phases before the static handler: `try_files`, then ngx_http_index_module, which sends a
 * GET, HEAD or POST for a directory (`/public/`) to its index file (the first `index` name,
 * assumed to exist) by an internal redirect; other methods reach the static handler's 405.
 */
function beforeFile(
  handler: Extract<NginxContent, { kind: 'static' }>,
  request: HttpRequest,
  variables: Variables,
): Redirect {
  const tried = handler.tryFiles ? tryFiles(handler.tryFiles, variables) : {};
  if (tried.status !== undefined || tried.uri !== undefined) return tried;
  const [path, query] = request.path.split(/\?(.*)$/s);
  const name = handler.index.length ? variables.expand(handler.index[0]) : '';
  if (!path.endsWith('/') || !name || !['GET', 'HEAD', 'POST'].includes(request.method)) return {};
  return { uri: `${name.startsWith('/') ? name : path + name}${query ? `?${query}` : ''}` };
}

/**
 * ngx_http_try_files_handler under the model's assumption that files exist: nothing when a name
 * is found (the static handler answers), else the fallback's status (`=404`) or URI.
 */
function tryFiles(names: string[], variables: Variables): Redirect {
  for (const name of names.slice(0, -1)) {
    const path = variables.expand(name);
    // A name written with a final `/` tests for a directory; any other for a file, which a
    // directory is not.
    if (path !== '' && (name.endsWith('/') || !path.endsWith('/'))) return {};
  }
  const fallback = names[names.length - 1];
  const code = /^=(\d{3})$/.exec(fallback);
  return code ? { status: Number(code[1]) } : { uri: variables.expand(fallback) };
}

/** What the content handler answers, before the headers filter. */
function content(
  location: NginxLocation,
  maps: Map<string, NginxMap>,
  request: HttpRequest,
  upstreams: Upstreams,
): HttpResponse {
  const handler = location.content;
  if (handler.kind === 'static') {
    // ngx_http_static_handler serves GET and HEAD; POST to a file and every other method is a 405.
    return { status: ['GET', 'HEAD'].includes(request.method) ? 200 : 405, headers: [] };
  }
  if (handler.kind === 'app' || upstreams.depth >= MAX_PROXY_DEPTH)
    return { status: 200, headers: [] };
  // fastcgi_params hands PHP `REQUEST_URI $request_uri`, which a front controller (Laravel's
  // index.php) routes by: the path the client asked for, not the `/index.php` try_files chose.
  const path =
    handler.module === 'fastcgi'
      ? (upstreams.requestUri ?? request.path)
      : proxiedPath(location, handler, request.path);
  const forwarded = { ...request, path };
  const upstream = handler.upstream;
  const answer = upstream
    ? serve(
        upstream,
        findLocation(upstream.locations, forwarded.path.split('?')[0]) ?? upstream.fallback,
        maps,
        forwarded,
        { ...upstreams, depth: upstreams.depth + 1, redirects: 0 },
      )
    : upstreams.app(handler, forwarded);
  if (!answer) return { status: 200, headers: [] };
  const hidden = new Set(
    [...PROXY_HIDDEN, ...handler.hide.map((h) => h.toLowerCase())].filter(
      (h) => !handler.pass.some((p) => p.toLowerCase() === h),
    ),
  );
  return {
    status: answer.status,
    headers: answer.headers.filter(([name]) => !hidden.has(name.toLowerCase())),
  };
}

/**
 * ngx_http_core_find_location: an exact match, else the longest prefix (searching its nested
 * locations), which wins outright when it is `^~`; else the first regex that matches; else that
 * prefix.
 */
export function findLocation(locations: NginxLocation[], uri: string): NginxLocation | undefined {
  const exact = locations.find((l) => l.modifier === '=' && l.pattern === uri);
  if (exact) return exact;
  const prefix = locations
    .filter((l) => (l.modifier === '' || l.modifier === '^~') && uri.startsWith(l.pattern))
    .sort((a, b) => b.pattern.length - a.pattern.length)[0];
  const nested = prefix && findLocation(prefix.locations, uri);
  if (nested) return nested;
  if (prefix?.modifier === '^~') return prefix;
  const regex = locations.find(
    (l) =>
      (l.modifier === '~' || l.modifier === '~*') &&
      ((m) => m.ok && m.test(uri))(pcreMatcher(l.pattern, l.modifier === '~*')),
  );
  return regex ?? prefix;
}

/**
 * The path nginx sends upstream: with a URI in `proxy_pass` (`http://app:8000/v1/`), the part of
 * the path the prefix location matched is replaced by it; without one, the path as received.
 */
export function proxiedPath(location: NginxLocation, proxy: NginxProxy, path: string): string {
  const uri = proxy.address?.uri;
  if (
    uri === undefined ||
    !['', '^~', '='].includes(location.modifier ?? '~') ||
    !path.startsWith(location.pattern)
  )
    return path;
  return uri + path.slice(location.pattern.length);
}
