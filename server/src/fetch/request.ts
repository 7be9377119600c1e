/** What goes on the wire for the actual (non-preflight) request. */
import { authorRequestHeaders, normalizeMethod } from './safelist';
import type { CorsRequest, HttpRequest } from './types';

/** Path and query of an absolute URL (`/api/items?x=1`); the fragment is never sent. */
export function requestPath(url: string): string {
  const u = new URL(url);
  return u.pathname + u.search;
}

/**
 * The actual request as the server sees its CORS-relevant part: the normalized method, the path,
 * `Origin`, then the author headers `fetch()` keeps (forbidden ones dropped, repeats combined).
 * Chromium also adds `Accept: *\/*` (when the author set none), `Accept-Encoding`,
 * `Accept-Language`, `User-Agent`, `Referer`, `Sec-Fetch-*`, `sec-ch-ua*` and, when credentialed,
 * `Cookie`; those are left out here.
 */
export function buildActualRequest(req: CorsRequest): HttpRequest {
  const { kept } = authorRequestHeaders(req.headers);
  const method = normalizeMethod(req.method);
  const rewritesRange = method === 'GET';
  return {
    method,
    path: requestPath(req.url),
    headers: [
      ['Origin', req.origin],
      ...kept.map(([n, v]): [string, string] => [
        n,
        rewritesRange && n.toLowerCase() === 'range' ? wireRange(v) : v,
      ]),
    ],
  };
}

/**
 * Chromium's HTTP cache parses the byte range of a GET and sends a single valid range
 * re-serialized: `Bytes = 0-1` goes out as `bytes=0-1`. Other methods, and anything it does not
 * parse, go out as written.
 */
function wireRange(value: string): string {
  const m = /^bytes[\t ]*=[\t ]*([0-9]*)[\t ]*-[\t ]*([0-9]*)$/i.exec(value);
  if (!m) return value;
  const [, start = '', end = ''] = m;
  if ((start === '' && end === '') || (start !== '' && end !== '' && Number(start) > Number(end)))
    return value;
  return `bytes=${start}-${end}`;
}
