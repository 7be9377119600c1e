/**
 * What Flask-CORS 3.0.10 (Debian bookworm's python3-flask-cors, on Flask/Werkzeug 2.2) adds to a
 * response. A line-by-line reading of `flask_cors/core.py` (`get_cors_headers`,
 * `get_cors_origins`, `get_allow_headers`, `try_match_pattern`), `extension.py` and
 * `decorator.py`, checked against the real library by test/truth/flask-cors.test.ts.
 *
 * Quirks kept on purpose because the library has them:
 * - origins and allow_headers match with `re.match` (anchored at the start only) when the string
 *   "looks like" a regex (`probably_regex`: any of `*\]?$^[()`), else by case-insensitive equality;
 * - the requested method is checked with `in` against the serialised methods *string*;
 * - only the first of several Access-Control-Allow-Origin values survives (`MultiDict.items()`).
 *
 * Newer releases: the 2024 advisories against Flask-CORS (CVE-2024-6839, -6844, -6866) concern
 * resource-path matching (order of patterns, `+` and percent-decoding, case), which later
 * releases changed; this model follows 3.0.10 only. NOTE: not yet checked against a newer
 * release's source here, so no version switch is offered.
 */
import type { HttpRequest, HttpResponse, HeaderList } from '../../fetch/types';
import type { FlaskCorsFacts, FlaskPattern } from './facts';
import { type Policy, factsOf } from '../../policy/types';
import { probablyRegex } from './serialize';
import { regexMatches } from '../../base/regex';
import { pythonUnquote } from '../../lang/python/unquote';
import type { LibraryModel } from '../../replay/library-model';

/** `try_match_pattern`: compiled → re.match; regex-looking → re.match (maybe IGNORECASE); else ==. */
export function flaskMatch(value: string, pattern: FlaskPattern, caseSensitive: boolean): boolean {
  if (pattern.compiled || probablyRegex(pattern.value)) {
    // Linear time; a pattern the bounded engine cannot read matches nothing.
    return regexMatches(
      pattern.value,
      'python-match',
      !pattern.compiled && !caseSensitive ? 'i' : '',
      value,
    );
  }
  return caseSensitive
    ? value === pattern.value
    : value.toLowerCase() === pattern.value.toLowerCase();
}

/** A request header as the WSGI environ holds it (repeats joined with `,`), or undefined. */
function environHeader(headers: HeaderList, name: string): string | undefined {
  const values = headers
    .filter(([n]) => n.toLowerCase() === name.toLowerCase())
    .map(([, v]) => v.trim());
  return values.length ? values.join(',') : undefined;
}

/** `get_cors_origins`: the ACAO values to send, or null for none. */
function corsOrigins(facts: FlaskCorsFacts, origin: string | undefined): string[] | null {
  const wildcard = facts.origins.some((o) => !o.compiled && o.value === '.*');
  if (origin) {
    if (wildcard && facts.sendWildcard) return ['*'];
    return facts.origins.some((o) => flaskMatch(origin, o, false)) ? [origin] : null;
  }
  if (!facts.alwaysSend) return null;
  if (wildcard) return facts.supportsCredentials ? null : ['*'];
  const plain = facts.origins
    .filter((o) => !o.compiled && !probablyRegex(o.value))
    .map((o) => o.value);
  return plain.sort();
}

/** `get_allow_headers`: the requested headers that some allow_headers entry matches, sorted. */
function allowHeaders(facts: FlaskCorsFacts, requested: string | undefined): string | null {
  if (!requested) return null;
  const names = requested.split(',').map((h) => h.trim());
  return names
    .filter((h) => facts.allowHeaders.some((p) => flaskMatch(h, p, false)))
    .sort()
    .join(', ');
}

/** Whether the resource (or decorated route) covers the request path. */
function covers(facts: FlaskCorsFacts, path: string): boolean {
  // Werkzeug decodes the path once; the extension `unquote`s it again before matching.
  const decoded = pythonUnquote(path.replace(/[?#].*$/s, ''));
  const normalized = facts.via === 'extension' ? pythonUnquote(decoded) : decoded;
  return flaskMatch(normalized, { value: facts.resource, compiled: facts.resourceIsRegex }, true);
}

/**
 * Flask-CORS 3.0.10 as a {@link LibraryModel}. Assumes the app routes every path and method to
 * a view answering 200, and OPTIONS to Flask's automatic 200 (the decorator's default too); lists
 * only the headers Flask-CORS adds, after the view's own, and an app hook's Allow-Credentials
 * (test/fixtures/truth/flask-cors/hook-adds-credentials).
 */
export const flaskCors: LibraryModel = {
  library: 'Flask-CORS 3.0.10',
  respond(policy: Policy, request: HttpRequest): HttpResponse {
    const facts = factsOf(policy, 'flask-cors');
    // The app's own after_request hook writes its header whatever Flask-CORS decides.
    const headers: HeaderList =
      facts?.hookCredentials && !facts.supportsCredentials
        ? [['Access-Control-Allow-Credentials', 'true']]
        : [];
    const response: HttpResponse = { status: 200, headers };
    if (!facts || facts.ineffective || !covers(facts, request.path)) return response;
    const origin = environHeader(request.headers, 'Origin');
    // Both paths of `get_cors_origins` hand None to `probably_regex`: Flask answers a bare 500.
    if (facts.originsNone && (origin || facts.alwaysSend)) return { status: 500, headers: [] };

    const origins = corsOrigins(facts, origin);
    if (!origins?.length) return response;
    // A MultiDict keyed once per name: later values of a name are dropped, empty ones skipped.
    const set: [string, string | null][] = [['Access-Control-Allow-Origin', origins[0]]];
    set.push(['Access-Control-Expose-Headers', facts.expose]);
    if (facts.supportsCredentials) set.push(['Access-Control-Allow-Credentials', 'true']);
    if (request.method.toUpperCase() === 'OPTIONS') {
      const requested = (
        environHeader(request.headers, 'Access-Control-Request-Method') ?? ''
      ).toUpperCase();
      // `acl_request_method in options.get('methods')`: a substring test on 'GET, POST, ...'.
      if (requested && facts.methods.includes(requested)) {
        set.push([
          'Access-Control-Allow-Headers',
          allowHeaders(facts, environHeader(request.headers, 'Access-Control-Request-Headers')),
        ]);
        set.push(['Access-Control-Max-Age', facts.maxAge]);
        set.push(['Access-Control-Allow-Methods', facts.methods]);
      }
    }
    const perRequest =
      facts.origins.length > 1 ||
      origins.length > 1 ||
      facts.origins.some((o) => o.compiled || probablyRegex(o.value));
    if (facts.varyHeader && origins[0] !== '*' && perRequest) set.push(['Vary', 'Origin']);
    for (const [name, value] of set) if (value) headers.push([name, value]);
    return response;
  },
};
