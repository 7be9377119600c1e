/**
 * What django-cors-headers 3.14.0 (Debian bookworm's python3-django-cors-headers, in Django 3.2)
 * sends for one request. A line-by-line reading of `corsheaders/middleware.py`, `conf.py` and
 * `defaults.py`, checked against the real library by test/truth/django-cors-headers.test.ts.
 *
 * Where 4.x differs (upstream CHANGELOG and source, tags 4.0.0–4.9.0), noted at the line:
 * - 4.0.0 drops `accept-encoding`, `dnt` and `origin` from `default_headers` (the extractor's
 *   defaults, not this file), adds `CORS_ALLOW_PRIVATE_NETWORK`, removes
 *   `CORS_REPLACE_HTTPS_REFERER` and `CorsPostCsrfMiddleware`, and writes every header name in
 *   lowercase (`vary: origin`, `access-control-allow-origin`, PR #853).
 * - 4.3.0 stops sending `Access-Control-Allow-Credentials` to origins it does not allow.
 * - Unchanged through 4.9: the deprecated names `CORS_ORIGIN_WHITELIST`, `CORS_ORIGIN_ALLOW_ALL`
 *   and `CORS_ORIGIN_REGEX_WHITELIST` still work as fallbacks, the preflight is still a bodiless
 *   200 with `content-length: 0`, and Vary still gets Origin on every enabled path.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { HeaderList, HttpRequest, HttpResponse } from '../../fetch/types';
import { type Policy, type RegexFlavor, factsOf } from '../../policy/types';
import type { DjangoFacts } from './facts';
import type { LibraryModel } from '../../replay/library-model';
import { CORS_MIDDLEWARE } from './defaults';
import { regexMatches } from '../../base/regex';

export { CORS_MIDDLEWARE };

/**
 * Whether CorsMiddleware is in MIDDLEWARE: the extractor's `corsMiddleware` fact when it set one,
 * else read from the MIDDLEWARE setting itself. Without a statically known MIDDLEWARE the answer
 * is `dynamic` (the model then assumes the middleware is there).
 */
export function corsMiddlewareState(
  facts: DjangoFacts | undefined,
): 'present' | 'missing' | 'dynamic' {
  if (!facts) return 'dynamic';
  if (facts.corsMiddleware) return facts.corsMiddleware;
  const value = facts.settings.get('MIDDLEWARE')?.value;
  if (!value || value.kind !== 'list') return 'dynamic';
  if (value.items.some((i) => i.kind === 'str' && i.value === CORS_MIDDLEWARE)) return 'present';
  return value.items.some((i) => i.kind === 'dynamic') ? 'dynamic' : 'missing';
}

/** The parts of Python's `urllib.parse.urlsplit()` that origin matching compares. */
interface SplitUrl {
  scheme: string;
  netloc: string;
}

const SCHEME_CHARS = /^[A-Za-z0-9+\-.]+$/;

/**
 * Python 3.11.2's `urlsplit()` (Debian bookworm), reduced to scheme and netloc: the scheme is
 * lowercased, the netloc kept as written (so host case and port matter). Returns undefined where
 * Python raises ValueError (unbalanced or invalid `[...]` hosts), which makes the middleware
 * skip the request.
 */
export function pythonUrlsplit(input: string): SplitUrl | undefined {
  // Leading C0 controls and spaces are stripped; tab, CR and LF are removed everywhere.
  let url = input.replace(/^[\x00-\x20]+/, '').replace(/[\t\r\n]/g, '');
  let scheme = '';
  let netloc = '';
  const colon = url.indexOf(':');
  if (colon > 0 && /^[A-Za-z]/.test(url) && SCHEME_CHARS.test(url.slice(0, colon))) {
    scheme = url.slice(0, colon).toLowerCase();
    url = url.slice(colon + 1);
  }
  if (url.startsWith('//')) {
    const rest = url.slice(2);
    const end = rest.search(/[/?#]/);
    netloc = end < 0 ? rest : rest.slice(0, end);
    const open = netloc.includes('[');
    const close = netloc.includes(']');
    if (open !== close) return undefined;
    if (open && !validBracketedNetloc(netloc)) return undefined;
  }
  // Python also raises for non-ASCII netlocs that NFKC-normalise into URL delimiters.
  if (!/^[\x00-\x7f]*$/.test(netloc)) {
    const n = netloc.replace(/[@:#?]/g, '');
    const nfkc = n.normalize('NFKC');
    if (n !== nfkc && /[/?#@:]/.test(nfkc)) return undefined;
  }
  return { scheme, netloc };
}

/** Python's `_check_bracketed_netloc` (3.11.2): `[v1.x]`, or an IPv6 (not IPv4) address. */
function validBracketedNetloc(netloc: string): boolean {
  const hostPort = netloc.slice(netloc.lastIndexOf('@') + 1);
  const open = hostPort.indexOf('[');
  if (open < 0) return true;
  if (open > 0) return false;
  const close = hostPort.indexOf(']');
  const host = hostPort.slice(1, close < 0 ? undefined : close);
  const port = close < 0 ? '' : hostPort.slice(close + 1);
  if (port && !port.startsWith(':')) return false;
  if (host.startsWith('v')) return /^v[a-fA-F0-9]+\..+$/s.test(host);
  // ipaddress.ip_address accepts IPv4 too, then the caller rejects it in brackets.
  return isIPv6(host) && !isIPv4(host);
}

/** True when `re.match`/`fullmatch`/`search` of `pattern` finds `text`, in linear time (false when unreadable). */
function pythonMatches(pattern: string, text: string, flavor: RegexFlavor): boolean {
  return regexMatches(pattern, flavor, '', text);
}

/** A request header's value as Django's META holds it (wsgiref joins repeats with `,`). */
function metaHeader(headers: HeaderList, name: string): string | undefined {
  const values = headers
    .filter(([n]) => n.toLowerCase() === name.toLowerCase())
    .map(([, v]) => v.trim());
  return values.length ? values.join(',') : undefined;
}

/** Django's `request.path_info`: the path without query, percent-decoded as UTF-8. */
function pathInfo(path: string): string {
  const raw = path.replace(/[?#].*$/s, '');
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** `CorsMiddleware.origin_found_in_white_lists`. */
function originAllowed(policy: Policy, origin: string, url: SplitUrl): boolean {
  const exact = policy.origins.exact.map((o) => o.value);
  if (origin === 'null' && exact.includes('null')) return true;
  // _url_in_whitelist compares scheme and netloc only: an entry's path, query and trailing slash
  // are ignored, and any entry without `//` (`null`, `app.example.com`) has an empty netloc.
  // NOTE: an entry Python cannot split raises ValueError there (a 500); treated as no match.
  const inList = exact.some((entry) => {
    const e = pythonUrlsplit(entry);
    return !!e && e.scheme === url.scheme && e.netloc === url.netloc;
  });
  if (inList) return true;
  return policy.origins.regexes.some((r) =>
    pythonMatches(r.pattern, origin, r.flavor.startsWith('python') ? r.flavor : 'python-match'),
  );
}

/**
 * `CorsMiddleware` of django-cors-headers 3.14.0 in Django 3.2, as a {@link LibraryModel}.
 *
 * Assumptions, because the model sees settings and not the app:
 * - The app's view answers 200 for every method and sets no Vary or CORS headers itself, and no
 *   middleware above CorsMiddleware answers first (CommonMiddleware's APPEND_SLASH redirect,
 *   SecurityMiddleware's HTTPS redirect): those responses would carry no CORS headers.
 * - `check_request_enabled` receivers return nothing, except in the policy of the module that
 *   connects one (see signal.ts): its receiver is taken to return True for every request, unless
 *   it reads the Origin (a database allowlist): then for none the model can name.
 * - A value the extractor could not resolve (`dynamic`) counts as the library's default
 *   (credentials off, every path, 86400 s), and only the static part of an allowlist matches.
 * - Only the headers the library is responsible for are listed: for a preflight, the whole
 *   response it builds (`Content-Type`, `Content-Length`, then Vary and the CORS headers); for an
 *   actual request, Vary and the CORS headers it adds to the view's response. The WSGI server's
 *   `Date`/`Server` and other middleware's headers (X-Frame-Options, ...) are left out.
 */
export const djangoCorsHeaders: LibraryModel = {
  library: 'django-cors-headers 3.14.0',
  respond(policy: Policy, request: HttpRequest): HttpResponse {
    // Django upper-cases REQUEST_METHOD (WSGIRequest.method).
    const method = request.method.toUpperCase();
    const viewResponse: HttpResponse = { status: 200, headers: [] };
    const facts = factsOf(policy, 'django');
    if (corsMiddlewareState(facts) === 'missing') return viewResponse;
    // A receiver that tests the Origin says yes to origins only the running app knows: it
    // enables nothing the model can name (as an unresolved allowlist lets in only its static part).
    const signal = facts?.signal?.testsOrigin ? undefined : facts?.signal;

    // is_enabled: re.match(CORS_URLS_REGEX, request.path_info), or a receiver says so.
    const urlRegex = typeof policy.urlRegex === 'string' ? policy.urlRegex : '^.*$';
    if (!signal && !pythonMatches(urlRegex, pathInfo(request.path), 'python-match'))
      return viewResponse;

    // process_request: an OPTIONS with Access-Control-Request-Method (any value, even empty) is
    // answered here with an empty 200 that never reaches the view, whatever the origin.
    const preflight =
      method === 'OPTIONS' &&
      metaHeader(request.headers, 'Access-Control-Request-Method') !== undefined;
    const headers: HeaderList = preflight
      ? [
          ['Content-Type', 'text/html; charset=utf-8'],
          ['Content-Length', '0'],
        ]
      : [];
    const response: HttpResponse = { status: 200, headers };

    // process_response: Vary first, on every enabled path, even without an Origin (4.x: `origin`).
    headers.push(['Vary', 'Origin']);
    const origin = metaHeader(request.headers, 'Origin');
    if (!origin) return response;
    const url = pythonUrlsplit(origin);
    if (!url) return response;

    const credentials = policy.credentials === true;
    // 3.14 sends this before deciding whether the origin is allowed (4.3.0 moved it after).
    if (credentials) headers.push(['Access-Control-Allow-Credentials', 'true']);
    if (!policy.origins.allowAll && !originAllowed(policy, origin, url)) return response;

    // An origin let in by a receiver alone is echoed.
    const allowAll = signal ? signal.settingsAllowAll : policy.origins.allowAll;
    headers.push(['Access-Control-Allow-Origin', allowAll && !credentials ? '*' : origin]);
    // Names are joined verbatim: the library has no wildcard, a `*` entry is sent as `*`.
    if (policy.expose.names.length)
      headers.push(['Access-Control-Expose-Headers', policy.expose.names.join(', ')]);
    // Every OPTIONS gets these, preflight or not (a plain OPTIONS reaches the view first).
    if (method === 'OPTIONS') {
      headers.push(['Access-Control-Allow-Headers', policy.headers.names.join(', ')]);
      headers.push(['Access-Control-Allow-Methods', policy.methods.names.join(', ')]);
      const maxAge = policy.maxAge === 'dynamic' ? 86400 : policy.maxAge;
      // `if conf.CORS_PREFLIGHT_MAX_AGE:` — 0 (and an unset null) sends no header.
      if (maxAge) headers.push(['Access-Control-Max-Age', String(maxAge)]);
    }
    // No Access-Control-Allow-Private-Network: CORS_ALLOW_PRIVATE_NETWORK arrived in 4.0.0.
    return response;
  },
};
