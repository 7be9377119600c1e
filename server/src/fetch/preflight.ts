/** Whether a request needs a CORS-preflight, and the OPTIONS request Chromium sends for it. */
import {
  authorRequestHeaders,
  corsUnsafeRequestHeaderNames,
  isCorsSafelistedMethod,
  normalizeMethod,
  sortedUnique,
} from './safelist';
import { requestPath } from './request';
import type { CorsRequest, HttpRequest } from './types';

/** The answer of {@link needsPreflight}. */
export interface PreflightNeed {
  needed: boolean;
  /** Why a preflight is needed, one line per cause; empty when not needed. */
  reasons: string[];
  /** https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names: lowercase, unique, sorted. */
  unsafeHeaderNames: string[];
}

/**
 * https://fetch.spec.whatwg.org/#http-fetch step 5 (the "CORS-preflight flag" conditions for mode
 * "cors"): the normalized method is not CORS-safelisted, or some header `fetch()` keeps is
 * CORS-unsafe. Forbidden request headers are dropped before the check, as Chromium does.
 */
export function needsPreflight(req: CorsRequest): PreflightNeed {
  const method = normalizeMethod(req.method);
  const { kept } = authorRequestHeaders(req.headers);
  const unsafeHeaderNames = sortedUnique(corsUnsafeRequestHeaderNames(kept));
  const reasons: string[] = [];
  if (!isCorsSafelistedMethod(method)) {
    reasons.push(`method ${method} is not a CORS-safelisted method (GET, HEAD, POST)`);
  }
  for (const name of unsafeHeaderNames) {
    reasons.push(`request header ${name} is not a CORS-safelisted request-header`);
  }
  return { needed: reasons.length > 0, reasons, unsafeHeaderNames };
}

/**
 * The CORS-preflight request (https://fetch.spec.whatwg.org/#cors-preflight-fetch) with its
 * CORS-relevant headers: `Origin`, `Access-Control-Request-Method` (the normalized method, case
 * kept: `patch` stays `patch`), and `Access-Control-Request-Headers` (lowercase, sorted, joined
 * with "," and no space) only when some header is CORS-unsafe. Chromium 156 also sends `Accept:
 * *\/*`, `User-Agent`, `Sec-Fetch-Mode: cors`, `Sec-Fetch-Site`, `Sec-Fetch-Dest: empty`,
 * `Referer`, `Accept-Encoding` and `Accept-Language`, and never cookies.
 */
export function buildPreflightRequest(req: CorsRequest): HttpRequest {
  const { unsafeHeaderNames } = needsPreflight(req);
  const headers: HttpRequest['headers'] = [
    ['Origin', req.origin],
    ['Access-Control-Request-Method', normalizeMethod(req.method)],
  ];
  if (unsafeHeaderNames.length > 0)
    headers.push(['Access-Control-Request-Headers', unsafeHeaderNames.join(',')]);
  return { method: 'OPTIONS', path: requestPath(req.url), headers };
}
