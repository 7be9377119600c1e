/**
 * What Starlette 0.26.1's `CORSMiddleware` (Debian bookworm's python3-starlette, also what
 * python3-fastapi 0.92 re-exports as `fastapi.middleware.cors`) sends for one request. A
 * line-by-line reading of `starlette/middleware/cors.py`, with `Response.init_headers` and
 * `MutableHeaders` for header order and case; checked against the real library under uvicorn by
 * test/truth/starlette.test.ts.
 *
 * Where later releases differ (upstream source and release notes), noted at the line:
 * - 0.51.0 adds `allow_private_network` (answers `Access-Control-Request-Private-Network`); in
 *   0.26.1 passing it is a TypeError at start-up.
 * - Through 0.50 the matching rules below are unchanged: `*` anywhere in allow_origins allows all,
 *   the regex is full-matched, a Cookie header turns `*` into the echoed origin, and a rejected
 *   preflight is a 400 "Disallowed CORS ..." text/plain response.
 */
import { firstValue } from '../../fetch/headers';
import type { HeaderList, HttpRequest, HttpResponse } from '../../fetch/types';
import type { StarletteListArgument } from './facts';
import { type NameList, type Policy, factsOf } from '../../policy/types';
import { originMatcher, type OriginMatcher } from '../../base/regex';
import type { LibraryModel } from '../../replay/library-model';

const ALL_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];
const SAFELISTED_HEADERS = ['Accept', 'Accept-Language', 'Content-Language', 'Content-Type'];

/**
 * One sequence argument as `__init__` holds it: `items` is what iterating it gives (a string's
 * characters), `has` is Python's `x in arg` (a substring test on a string).
 */
interface Sequence {
  items: string[];
  has(value: string): boolean;
}

function sequence(policy: Policy, name: StarletteListArgument, list: NameList): Sequence {
  const string = factsOf(policy, 'starlette')?.strings[name];
  if (string !== undefined) return { items: [...string], has: (v) => string.includes(v) };
  return { items: list.names, has: (v) => list.names.includes(v) };
}

/** Python's `sorted()` of strings: by code point. */
const sortedByCodePoint = (values: Iterable<string>) =>
  [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** An ordered header map with `MutableHeaders`/dict semantics: setting a name keeps its place. */
class Headers {
  readonly lines: HeaderList = [];
  set(name: string, value: string): void {
    const lower = name.toLowerCase();
    const at = this.lines.findIndex(([n]) => n === lower);
    if (at >= 0) this.lines[at] = [lower, value];
    else this.lines.push([lower, value]);
  }
  get(name: string): string | undefined {
    return this.lines.find(([n]) => n === name.toLowerCase())?.[1];
  }
}

/** The first value of a request header (Starlette's `Headers.get`), case-insensitively. */
function requestHeader(request: HttpRequest, name: string): string | undefined {
  return firstValue(request.headers, name);
}

/** `CORSMiddleware.__init__`, from the policy. */
class Config {
  readonly origins: Sequence;
  readonly methods: Sequence;
  readonly allowHeaders: string[];
  readonly allowAllOrigins: boolean;
  readonly allowAllHeaders: boolean;
  readonly credentials: boolean;
  readonly regex: OriginMatcher | undefined;
  readonly simpleHeaders: HeaderList = [];
  readonly preflightHeaders: HeaderList = [];

  constructor(policy: Policy) {
    this.origins = sequence(policy, 'allow_origins', {
      names: [
        ...(policy.origins.allowAll ? ['*'] : []),
        ...policy.origins.exact.map((o) => o.value),
      ],
      wildcard: false,
      dynamic: false,
    });
    let methods = sequence(policy, 'allow_methods', policy.methods);
    if (methods.has('*')) methods = { items: ALL_METHODS, has: (v) => ALL_METHODS.includes(v) };
    this.methods = methods;
    const headers = sequence(policy, 'allow_headers', policy.headers);
    const expose = sequence(policy, 'expose_headers', policy.expose);
    // A value the extractor could not resolve counts as the library's default (credentials off).
    this.credentials = policy.credentials === true;
    const regex = policy.origins.regexes[0];
    this.regex = regex ? originMatcher(regex.pattern, 'python-fullmatch') : undefined;
    this.allowAllOrigins = this.origins.has('*');
    this.allowAllHeaders = headers.has('*');

    if (this.allowAllOrigins) this.simpleHeaders.push(['Access-Control-Allow-Origin', '*']);
    if (this.credentials) this.simpleHeaders.push(['Access-Control-Allow-Credentials', 'true']);
    if (expose.items.length)
      this.simpleHeaders.push(['Access-Control-Expose-Headers', expose.items.join(', ')]);

    // With an explicit origin, preflight_response adds Access-Control-Allow-Origin when allowed.
    this.preflightHeaders.push(
      this.explicitOrigin ? ['Vary', 'Origin'] : ['Access-Control-Allow-Origin', '*'],
    );
    this.preflightHeaders.push(['Access-Control-Allow-Methods', this.methods.items.join(', ')]);
    this.preflightHeaders.push([
      'Access-Control-Max-Age',
      String(typeof policy.maxAge === 'number' ? policy.maxAge : 600),
    ]);
    const allowHeaders = sortedByCodePoint(new Set([...SAFELISTED_HEADERS, ...headers.items]));
    if (!this.allowAllHeaders)
      this.preflightHeaders.push(['Access-Control-Allow-Headers', allowHeaders.join(', ')]);
    if (this.credentials) this.preflightHeaders.push(['Access-Control-Allow-Credentials', 'true']);
    this.allowHeaders = allowHeaders.map((h) => h.toLowerCase());
  }

  isAllowedOrigin(origin: string): boolean {
    if (this.allowAllOrigins) return true;
    if (this.regex?.ok && this.regex.test(origin)) return true;
    return this.origins.has(origin);
  }

  /** `preflight_explicit_allow_origin`: echo the origin rather than send `*`. */
  get explicitOrigin(): boolean {
    return !this.allowAllOrigins || this.credentials;
  }
}

/** `preflight_response`: answered by the middleware itself, 200 "OK" or 400 "Disallowed CORS ...". */
function preflight(config: Config, request: HttpRequest, origin: string): HttpResponse {
  const headers = new Headers();
  for (const [name, value] of config.preflightHeaders) headers.set(name, value);
  const failures: string[] = [];
  if (config.isAllowedOrigin(origin)) {
    if (config.explicitOrigin) headers.set('Access-Control-Allow-Origin', origin);
  } else failures.push('origin');

  if (!config.methods.has(requestHeader(request, 'access-control-request-method') ?? ''))
    failures.push('method');

  const requested = requestHeader(request, 'access-control-request-headers');
  // With `*`, whatever was requested is mirrored back verbatim.
  if (config.allowAllHeaders && requested !== undefined)
    headers.set('Access-Control-Allow-Headers', requested);
  else if (
    requested !== undefined &&
    requested.split(',').some((h) => !config.allowHeaders.includes(pythonStrip(h.toLowerCase())))
  )
    failures.push('headers');

  const body = failures.length ? `Disallowed CORS ${failures.join(', ')}` : 'OK';
  // PlainTextResponse appends these after the given headers (the body is ASCII: length = bytes).
  headers.set('content-length', String(body.length));
  headers.set('content-type', 'text/plain; charset=utf-8');
  return { status: failures.length ? 400 : 200, headers: headers.lines };
}

/** Python's `str.strip()` with no argument: whitespace as `str.isspace` defines it. */
const pythonStrip = (s: string) => s.replace(/^[\s\x1c-\x1f\x85]+|[\s\x1c-\x1f\x85]+$/g, '');

/** `simple_response`/`send`: the app's response with the simple headers, and the echoed origin. */
function simple(config: Config, request: HttpRequest, origin: string): HttpResponse {
  const headers = new Headers();
  for (const [name, value] of config.simpleHeaders) headers.set(name, value);
  const hasCookie = request.headers.some(([n]) => n.toLowerCase() === 'cookie');
  // Any Cookie header turns `*` into the echoed origin, with or without allow_credentials.
  if (
    (config.allowAllOrigins && hasCookie) ||
    (!config.allowAllOrigins && config.isAllowedOrigin(origin))
  ) {
    headers.set('Access-Control-Allow-Origin', origin);
    // add_vary_header: appended to an existing Vary (the app is assumed to send none).
    const vary = headers.get('vary');
    headers.set('Vary', vary === undefined ? 'Origin' : `${vary}, Origin`);
  }
  return { status: 200, headers: headers.lines };
}

/**
 * Starlette 0.26.1 `CORSMiddleware` as a {@link LibraryModel}. Header names are lowercase, as
 * Starlette puts them on the wire.
 *
 * Assumptions, because the model sees the middleware's arguments and not the app:
 * - The app answers 200 for every method and path and sets no Vary or CORS headers itself, and no
 *   middleware added after CORSMiddleware (so running before it) answers first.
 * - A value the extractor could not resolve counts as the library's default (credentials off,
 *   600 s), and only the static part of an allowlist matches.
 * - For a preflight the whole response is listed (the CORS headers, then `content-length` and
 *   `content-type`); for other requests only the lines the middleware adds to the app's response.
 *   The server's `date`/`server` lines are left out.
 */
export const starletteCors: LibraryModel = {
  library: 'starlette 0.26.1',
  respond(policy: Policy, request: HttpRequest): HttpResponse {
    const origin = requestHeader(request, 'origin');
    // No Origin header: the middleware passes the request straight to the app.
    if (origin === undefined) return { status: 200, headers: [] };
    const config = new Config(policy);
    // The method is compared as sent (HTTP methods are case-sensitive).
    const isPreflight =
      request.method === 'OPTIONS' &&
      requestHeader(request, 'access-control-request-method') !== undefined;
    return isPreflight ? preflight(config, request, origin) : simple(config, request, origin);
  },
};
