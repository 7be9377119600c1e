/**
 * What Laravel's CORS middleware sends for a `config/cors.php`: `Illuminate\Http\Middleware\HandleCors`
 * (Laravel 9-12) over `Fruitcake\Cors\CorsService` (fruitcake/php-cors 1.x), and the same options
 * read by barryvdh/laravel-cors 0.x over asm89/stack-cors 1.x for legacy camelCase configs.
 *
 * Modelled from the libraries' source, not verified against them: neither Debian nor npm ships
 * Laravel or php-cors, so no real server runs here. test/unit/laravel-cors/model.test.ts keeps the
 * cases read off the source as a table. What the source says:
 * - `paths`: a request is handled when `Str::is(path, decodedPath)` holds for one of them (the
 *   glob trimmed of slashes, `*` any run of characters, case-sensitive, the path without its
 *   leading slash); other requests reach the app untouched (assumed to answer 200).
 * - A preflight is `OPTIONS` with `Access-Control-Request-Method` (Origin not needed): 204, the
 *   app never runs.
 * - Allow-Origin: `*` when `allowed_origins` holds `*` and credentials are off; the one origin
 *   when exactly one is listed and there are no patterns (sent to every request, no Vary); else
 *   the request's Origin when it is listed or matches a pattern (`https://*.example.com` entries
 *   become `#^https://.*\.example\.com\z#u`), with `Vary: Origin` on every handled response.
 *   With `*` and `supports_credentials`, every origin is echoed.
 * - Only when Allow-Origin was set: Allow-Credentials `true`; on preflights Allow-Methods (the list, or
 *   the requested method upper-cased for `*`, adding `Vary: Access-Control-Request-Method`),
 *   Allow-Headers (the list lower-cased, or the requested headers for `*`, adding `Vary:
 *   Access-Control-Request-Headers`) and Max-Age (unless null; 0 is sent); on other responses
 *   Expose-Headers when the list is not empty.
 * - HandleCors adds `Vary: Access-Control-Request-Method` to every handled `OPTIONS` response.
 */
import type { HeaderList, HttpRequest, HttpResponse } from '../../fetch/types';
import type { LaravelCorsFacts } from './facts';
import { type Policy, type Span, factsOf } from '../../policy/types';
import { pcreToJs, pregParts } from '../../lang/php/regex';
import type { LibraryModel } from '../../replay/library-model';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\#]/g, '\\$&');

/** Laravel's `Str::is($pattern, $value)`. */
export function strIs(pattern: string, value: string): boolean {
  if (pattern === value) return true;
  return new RegExp(`^${pattern.split('*').map(escape).join('.*')}$`, 'su').test(value);
}

/** Whether HandleCors handles a request path (`hasMatchingPath` over `$request->is(...)`). */
export function pathMatches(paths: LaravelCorsFacts['paths'], requestPath: string): boolean {
  if (paths === 'all') return true;
  let decoded: string;
  try {
    decoded = decodeURIComponent(requestPath.replace(/[?#].*$/s, ''));
  } catch {
    decoded = requestPath;
  }
  const trimmed = decoded.replace(/^\/+|\/+$/g, '');
  const path = trimmed === '' ? '/' : trimmed;
  return paths.some((p) => strIs(p === '/' ? p : p.replace(/^\/+|\/+$/g, ''), path));
}

/** The pattern php-cors makes of an `allowed_origins` entry with a `*`, as a JS regex body. */
export const wildcardPattern = (origin: string): string =>
  `^${origin.split('*').map(escape).join('.*')}$`;

/** Symfony's HeaderBag: names kept in first-set order, `set` replaces in place. */
class Headers {
  readonly lines: HeaderList = [];
  get = (name: string) => this.lines.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
  set(name: string, value: string): void {
    const at = this.lines.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
    if (at >= 0) this.lines[at] = [name, value];
    else this.lines.push([name, value]);
  }
  vary(header: string): void {
    const current = this.get('Vary');
    if (current === undefined) this.set('Vary', header);
    else if (!current.split(', ').includes(header)) this.set('Vary', `${current}, ${header}`);
  }
}

function originAllowed(facts: LaravelCorsFacts, origin: string): boolean {
  const origins = facts.allowedOrigins.map((o) => o.value);
  if (origins.includes('*')) return true;
  if (origins.includes(origin)) return true;
  const wildcards = origins
    .filter((o) => o.includes('*'))
    .map((o) => new RegExp(wildcardPattern(o), 'u'));
  const patterns = facts.patterns.map((p) => {
    const parts = pregParts(p.value);
    return parts && pcreToJs(parts.body, parts.modifiers);
  });
  return [...wildcards, ...patterns].some((re) => !!re && re.test(origin));
}

/** `configureAllowedOrigin`. */
function allowOrigin(facts: LaravelCorsFacts, headers: Headers, origin: string | undefined): void {
  const origins = facts.allowedOrigins.map((o) => o.value);
  const all = origins.includes('*');
  const patterns =
    facts.patterns.length + (all ? 0 : origins.filter((o) => o.includes('*')).length);
  if (all && !facts.supportsCredentials) headers.set('Access-Control-Allow-Origin', '*');
  else if (!all && patterns === 0 && origins.length === 1)
    headers.set('Access-Control-Allow-Origin', origins[0]);
  else {
    if (origin !== undefined && originAllowed(facts, origin))
      headers.set('Access-Control-Allow-Origin', origin);
    headers.vary('Origin');
  }
}

/** One request through HandleCors and the CorsService. */
export function laravelRespond(facts: LaravelCorsFacts, request: HttpRequest): HttpResponse {
  if (facts.middleware === 'missing' || !pathMatches(facts.paths, request.path))
    return { status: 200, headers: [] };
  const get = (name: string) =>
    request.headers.find(([n]) => n.toLowerCase() === name)?.[1]?.trim();
  const origin = get('origin');
  const method = request.method.toUpperCase();
  const headers = new Headers();
  const requested = get('access-control-request-method');
  if (method === 'OPTIONS' && requested !== undefined) {
    allowOrigin(facts, headers, origin);
    if (headers.get('Access-Control-Allow-Origin') !== undefined) {
      if (facts.supportsCredentials) headers.set('Access-Control-Allow-Credentials', 'true');
      const methods = facts.allowedMethods.map((m) => m.toUpperCase());
      // php-cors adds the Vary before it sets the header.
      if (methods.includes('*')) headers.vary('Access-Control-Request-Method');
      headers.set(
        'Access-Control-Allow-Methods',
        methods.includes('*') ? requested.toUpperCase() : methods.join(', '),
      );
      const allowed = facts.allowedHeaders.map((h) => h.toLowerCase());
      if (allowed.includes('*')) headers.vary('Access-Control-Request-Headers');
      headers.set(
        'Access-Control-Allow-Headers',
        allowed.includes('*') ? (get('access-control-request-headers') ?? '') : allowed.join(', '),
      );
      if (facts.maxAge !== null) headers.set('Access-Control-Max-Age', String(facts.maxAge));
    }
    headers.vary('Access-Control-Request-Method');
    return { status: 204, headers: headers.lines };
  }
  if (method === 'OPTIONS') headers.vary('Access-Control-Request-Method');
  allowOrigin(facts, headers, origin);
  if (headers.get('Access-Control-Allow-Origin') !== undefined) {
    if (facts.supportsCredentials) headers.set('Access-Control-Allow-Credentials', 'true');
    if (facts.exposedHeaders.length)
      headers.set('Access-Control-Expose-Headers', facts.exposedHeaders.join(', '));
  }
  return { status: 200, headers: headers.lines };
}

const spanKey = (span: Span | undefined) => (span ? `${span.file}:${span.start}` : '');

/** The config's entries by where they are written and (plain origins) by value. */
interface EntryIndex {
  plainBySpan: Map<string, number[]>;
  plainByValue: Map<string, number[]>;
  /** Entries holding `*` (all of `*`, or a wildcard made a pattern). */
  starred: number[];
  patternsBySpan: Map<string, number[]>;
}
const entryIndexes = new WeakMap<LaravelCorsFacts, EntryIndex>();

function push(map: Map<string, number[]>, key: string, i: number): void {
  const list = map.get(key);
  if (list) list.push(i);
  else map.set(key, [i]);
}

function entryIndex(facts: LaravelCorsFacts): EntryIndex {
  let index = entryIndexes.get(facts);
  if (index) return index;
  index = {
    plainBySpan: new Map(),
    plainByValue: new Map(),
    starred: [],
    patternsBySpan: new Map(),
  };
  for (const [i, o] of facts.allowedOrigins.entries()) {
    if (o.value.includes('*')) index.starred.push(i);
    else {
      push(index.plainBySpan, spanKey(o.span), i);
      push(index.plainByValue, o.value, i);
    }
  }
  for (const [i, p] of facts.patterns.entries()) push(index.patternsBySpan, spanKey(p.span), i);
  entryIndexes.set(facts, index);
  return index;
}

/**
 * The config's origin entries still in the policy's neutral allowlist. Checks ask about one entry
 * on its own (malformed-origin drops the others, `*` included): the model answers for what the
 * policy holds, and for an unchanged policy that is every entry. Looked up from the policy's
 * side, so a check asking about each of 10,000 entries stays linear.
 */
function narrowed(policy: Policy, facts: LaravelCorsFacts): LaravelCorsFacts {
  const { origins } = policy;
  const anyOrigin = origins.allowAll || !!origins.reflectAny;
  const index = entryIndex(facts);
  const regexSpans = new Set(origins.regexes.map((r) => spanKey(r.span)));
  const kept = new Set<number>();
  for (const e of origins.exact) {
    for (const i of e.span ? (index.plainBySpan.get(spanKey(e.span)) ?? []) : []) kept.add(i);
    for (const i of index.plainByValue.get(e.value) ?? []) kept.add(i);
  }
  for (const i of index.starred) {
    const o = facts.allowedOrigins[i];
    if (anyOrigin || (o.value !== '*' && o.span && regexSpans.has(spanKey(o.span)))) kept.add(i);
  }
  const patterns = new Set<number>();
  for (const r of origins.regexes)
    for (const i of r.span ? (index.patternsBySpan.get(spanKey(r.span)) ?? []) : [])
      patterns.add(i);
  const inOrder = (set: Set<number>) => [...set].sort((a, b) => a - b);
  return {
    ...facts,
    allowedOrigins: inOrder(kept).map((i) => facts.allowedOrigins[i]),
    patterns: inOrder(patterns).map((i) => facts.patterns[i]),
  };
}

/** Laravel's HandleCors over fruitcake/php-cors as a {@link LibraryModel}. */
export const laravelCors: LibraryModel = {
  library: 'Laravel HandleCors (fruitcake/php-cors 1.x)',
  respond(policy: Policy, request: HttpRequest): HttpResponse {
    const facts = factsOf(policy, 'laravel-cors');
    return facts ? laravelRespond(narrowed(policy, facts), request) : { status: 200, headers: [] };
  },
};
