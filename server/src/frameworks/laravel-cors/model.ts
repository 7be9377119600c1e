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
 * - fruitcake's and barryvdh's HandleCors add the actual-response headers only to a response
 *   without Access-Control-Allow-Origin; an app middleware that sets it on every response (run
 *   inside those, or outside any HandleCors, overwriting) decides actual responses: this model
 *   then answers only preflights.
 * - `allowed_origins_patterns` go to `preg_match` as written: one without delimiters makes it warn
 *   (checked with PHP 8.2's preg_match here: "Delimiter must not be alphanumeric"), which
 *   Laravel's error handler turns into an exception, a 500 for every request whose Origin is not
 *   listed exactly.
 */
import { escapeRegex } from '../../base/regex';
import { firstValue } from '../../fetch/headers';
import type { HeaderList, HttpRequest, HttpResponse } from '../../fetch/types';
import type { LaravelCorsFacts, LaravelString } from './facts';
import { type Policy, type Span, factsOf } from '../../policy/types';
import { pcreToJs, pregParts } from '../../lang/php/regex';
import type { LibraryModel } from '../../replay/library-model';

/**
 * Laravel's `Str::is($pattern, $value)`. Its `preg_quote` also escapes `#` (PHP's delimiter);
 * the JS `u` flag refuses an escaped `#`, so the pattern is escaped as JS escapes it.
 */
export function strIs(pattern: string, value: string): boolean {
  if (pattern === value) return true;
  return new RegExp(`^${pattern.split('*').map(escapeRegex).join('.*')}$`, 'su').test(value);
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
  `^${origin.split('*').map(escapeRegex).join('.*')}$`;

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

/**
 * What php-cors reads of `allowed_origins` and `allowed_origins_patterns` for every request, built
 * once per list (checks send thousands of requests through one config: rebuilt per request, a
 * 10,000-origin config was quadratic).
 */
interface OriginIndex {
  values: Set<string>;
  /** `*` is listed. */
  all: boolean;
  /** The one origin when exactly one is listed. */
  only?: string;
  /** The `*` entries as the regexes php-cors makes of them (`*` itself excluded). */
  wildcards: RegExp[];
}
const originIndexes = new WeakMap<LaravelString[], OriginIndex>();
function originIndex(allowed: LaravelString[]): OriginIndex {
  let index = originIndexes.get(allowed);
  if (!index) {
    const values = allowed.map((o) => o.value);
    index = {
      values: new Set(values),
      all: values.includes('*'),
      only: values.length === 1 ? values[0] : undefined,
      wildcards: values
        .filter((o) => o.includes('*') && o !== '*')
        .map((o) => new RegExp(wildcardPattern(o), 'u')),
    };
    originIndexes.set(allowed, index);
  }
  return index;
}
type Tester = { test(text: string): boolean } | undefined;
const patternIndexes = new WeakMap<LaravelString[], Tester[]>();
function compiledPatterns(patterns: LaravelString[]): Tester[] {
  const known = patternIndexes.get(patterns);
  if (known) return known;
  const compiled = patterns.map((p) => {
    const parts = pregParts(p.value);
    return parts ? pcreToJs(parts.body, parts.modifiers) : undefined;
  });
  patternIndexes.set(patterns, compiled);
  return compiled;
}

/**
 * `isOriginAllowed`: the exact list, then `allowed_origins_patterns` in order through
 * `preg_match`, then the patterns php-cors made of `*` entries (appended after them). A pattern
 * without delimiters makes preg_match warn, which Laravel turns into an exception: 'error'.
 */
function originAllowed(facts: LaravelCorsFacts, origin: string): boolean | 'error' {
  const index = originIndex(facts.allowedOrigins);
  if (index.all || index.values.has(origin)) return true;
  const compiled = compiledPatterns(facts.patterns);
  for (const [i, pattern] of facts.patterns.entries()) {
    if (!pregParts(pattern.value)) return 'error';
    if (compiled[i]?.test(origin)) return true;
  }
  return index.wildcards.some((re) => re.test(origin));
}

/** A pattern of `allowed_origins_patterns` preg_match refuses (no delimiters): see `originAllowed`. */
export const undelimited = (facts: LaravelCorsFacts): LaravelString | undefined =>
  facts.patterns.find((p) => !pregParts(p.value));

/** Thrown where php-cors' preg_match warning becomes Laravel's exception (a 500). */
class PatternError extends Error {}

/** `configureAllowedOrigin`. */
function allowOrigin(facts: LaravelCorsFacts, headers: Headers, origin: string | undefined): void {
  const index = originIndex(facts.allowedOrigins);
  const patterns = facts.patterns.length + (index.all ? 0 : index.wildcards.length);
  if (index.all && !facts.supportsCredentials) headers.set('Access-Control-Allow-Origin', '*');
  else if (!index.all && patterns === 0 && index.only !== undefined)
    headers.set('Access-Control-Allow-Origin', index.only);
  else {
    const allowed = origin === undefined ? false : originAllowed(facts, origin);
    if (allowed === 'error') throw new PatternError();
    if (allowed && origin !== undefined) headers.set('Access-Control-Allow-Origin', origin);
    headers.vary('Origin');
  }
}

/**
 * One request through HandleCors and the CorsService. A pattern preg_match refuses ends it in
 * Laravel's 500, with no CORS header (the exception leaves HandleCors before it adds any).
 */
export function laravelRespond(facts: LaravelCorsFacts, request: HttpRequest): HttpResponse {
  try {
    return handled(facts, request);
  } catch (error) {
    if (error instanceof PatternError) return { status: 500, headers: [] };
    throw error;
  }
}

function handled(facts: LaravelCorsFacts, request: HttpRequest): HttpResponse {
  if (facts.middleware === 'missing' || !pathMatches(facts.paths, request.path))
    return { status: 200, headers: [] };
  const get = (name: string) => firstValue(request.headers, name)?.trim();
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
  // The app's own middleware decides what actual responses carry: its own policy models them.
  if (facts.overriddenBy) return { status: 200, headers: [] };
  if (method === 'OPTIONS') headers.vary('Access-Control-Request-Method');
  allowOrigin(facts, headers, origin);
  if (headers.get('Access-Control-Allow-Origin') !== undefined) {
    if (facts.supportsCredentials) headers.set('Access-Control-Allow-Credentials', 'true');
    if (facts.exposedHeaders.length)
      headers.set('Access-Control-Expose-Headers', facts.exposedHeaders.join(', '));
  }
  return { status: 200, headers: headers.lines };
}

const spanKey = (span: Span) => `${span.file}\0${span.start}`;

/** The config's plain origin entries by where they are written and by value, built once per list. */
interface EntryIndex {
  position: Map<LaravelString, number>;
  byPlace: Map<string, LaravelString[]>;
  byValue: Map<string, LaravelString[]>;
  /** Entries with a `*` (`*` itself too): few, tested one by one. */
  starred: LaravelString[];
}
function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
const entryIndexes = new WeakMap<LaravelString[], EntryIndex>();
function entryIndex(allowed: LaravelString[]): EntryIndex {
  let index = entryIndexes.get(allowed);
  if (!index) {
    index = { position: new Map(), byPlace: new Map(), byValue: new Map(), starred: [] };
    for (const [i, o] of allowed.entries()) {
      index.position.set(o, i);
      if (o.value.includes('*')) {
        index.starred.push(o);
        continue;
      }
      push(index.byPlace, spanKey(o.span), o);
      push(index.byValue, o.value, o);
    }
    entryIndexes.set(allowed, index);
  }
  return index;
}

/**
 * The config's origin entries still in the policy's neutral allowlist. Checks ask about one entry
 * on its own (malformed-origin drops the others, `*` included): the model answers for what the
 * policy holds, and for an unchanged policy that is every entry. Looked up from the policy's
 * entries (one or all of them), and kept per policy allowlist: a check asks thousands of
 * questions of one policy.
 */
const narrowings = new WeakMap<Policy['origins'], WeakMap<LaravelCorsFacts, LaravelCorsFacts>>();
function narrowed(policy: Policy, facts: LaravelCorsFacts): LaravelCorsFacts {
  const { origins } = policy;
  const known = narrowings.get(origins)?.get(facts);
  if (known) return known;
  const anyOrigin = origins.allowAll || !!origins.reflectAny;
  const regexPlaces = new Set(origins.regexes.flatMap((r) => (r.span ? [spanKey(r.span)] : [])));
  const index = entryIndex(facts.allowedOrigins);
  const kept = new Set<LaravelString>(
    index.starred.filter((o) =>
      o.value === '*' ? anyOrigin : anyOrigin || regexPlaces.has(spanKey(o.span)),
    ),
  );
  for (const e of origins.exact) {
    for (const o of e.span ? (index.byPlace.get(spanKey(e.span)) ?? []) : []) kept.add(o);
    for (const o of index.byValue.get(e.value) ?? []) kept.add(o);
  }
  const result: LaravelCorsFacts = {
    ...facts,
    allowedOrigins: [...kept].sort(
      (a, b) => (index.position.get(a) ?? 0) - (index.position.get(b) ?? 0),
    ),
    patterns: facts.patterns.filter((p) => regexPlaces.has(spanKey(p.span))),
  };
  const perFacts = narrowings.get(origins) ?? new WeakMap();
  perFacts.set(facts, result);
  narrowings.set(origins, perFacts);
  return result;
}

/** Laravel's HandleCors over fruitcake/php-cors as a {@link LibraryModel}. */
export const laravelCors: LibraryModel = {
  library: 'Laravel HandleCors (fruitcake/php-cors 1.x)',
  respond(policy: Policy, request: HttpRequest): HttpResponse {
    const facts = factsOf(policy, 'laravel-cors');
    return facts ? laravelRespond(narrowed(policy, facts), request) : { status: 200, headers: [] };
  },
};
