/**
 * The response half of https://fetch.spec.whatwg.org/#cors-preflight-fetch, in Chromium's order
 * (services/network/cors/preflight_controller.cc, preflight_result.cc): redirect, CORS check,
 * ok status, parse Access-Control-Allow-Methods/-Headers, method, headers; then the cache lifetime.
 */
import { corsCheck } from './cors-check';
import { getCombined, isToken, trimTabOrSpace } from './headers';
import type { CorsFailure } from './messages';
import {
  authorRequestHeaders,
  corsUnsafeRequestHeaderNames,
  isCorsSafelistedMethod,
  normalizeMethod,
  sortedUnique,
} from './safelist';
import type { CorsRequest, HttpResponse } from './types';

/** Chromium's default preflight cache lifetime without `Access-Control-Max-Age` (kDefaultTimeout). */
export const DEFAULT_PREFLIGHT_CACHE_SECONDS = 5;
/** Chromium's cap on `Access-Control-Max-Age` (kMaxTimeout, 2 hours). */
export const MAX_PREFLIGHT_CACHE_SECONDS = 7200;

/** A passed preflight: what it allowed and how long Chromium caches it. */
export interface PreflightPass {
  methods: string[];
  headers: string[];
  cacheSeconds: number;
  /**
   * `Access-Control-Allow-Headers: *` let `Authorization` through. The Fetch standard says `*`
   * never covers it (a "CORS non-wildcard request-header name"), but Chromium 156 does not
   * enforce that (its NonWildcardRequestHeadersSupport check is off), so the request passes.
   */
  authorizationByWildcard: boolean;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * https://fetch.spec.whatwg.org/#extract-header-list-values as Chromium does it for
 * `Access-Control-Allow-*` (net::HttpUtil::ValuesIterator): split on ",", trim tab/space, skip
 * empty items; any item that is not a token makes the whole header unparseable (undefined).
 * Case is kept: methods compare case-sensitively, header names are lowered by the caller.
 */
export function parseAllowList(value: string | undefined): string[] | undefined {
  if (value === undefined) return [];
  const items = value
    .split(',')
    .map(trimTabOrSpace)
    .filter((v) => v !== '');
  return items.every(isToken) ? items : undefined;
}

/**
 * `Access-Control-Max-Age` as Chromium reads it: an optionally signed integer, else the 5 s
 * default; negative means 0 (not cached); capped at 7200.
 */
export function preflightCacheSeconds(value: string | undefined): number {
  if (value === undefined || !/^[+-]?[0-9]+$/.test(value)) return DEFAULT_PREFLIGHT_CACHE_SECONDS;
  const n = Number(value);
  if (n < 0) return 0;
  return Math.min(n, MAX_PREFLIGHT_CACHE_SECONDS);
}

/**
 * Checks a preflight response for `req`; returns the failure, or what the preflight allowed.
 * Several headers can be missing from Access-Control-Allow-Headers at once: Chromium names the
 * first it meets in its own header hash-table order, which does not follow the author's order
 * or any sort order, so every missing header is returned (sorted) and Chromium's message names
 * one of them. Every other failure is a single one.
 */
export function checkPreflightResponse(
  req: CorsRequest,
  response: HttpResponse,
): { failure: CorsFailure | CorsFailure[] } | { pass: PreflightPass } {
  const { status, headers } = response;
  if (REDIRECT_STATUSES.has(status) && getCombined(headers, 'Location') !== undefined) {
    return { failure: { kind: 'PreflightDisallowedRedirect' } };
  }
  const cors = corsCheck(req, headers);
  if (cors) return { failure: { ...cors, preflight: true } };
  if (status < 200 || status > 299) return { failure: { kind: 'PreflightInvalidStatus' } };

  const methods = parseAllowList(getCombined(headers, 'Access-Control-Allow-Methods'));
  if (!methods) return { failure: { kind: 'InvalidAllowMethodsPreflightResponse' } };
  const allowedHeaders = parseAllowList(getCombined(headers, 'Access-Control-Allow-Headers'))?.map(
    (h) => h.toLowerCase(),
  );
  if (!allowedHeaders) return { failure: { kind: 'InvalidAllowHeadersPreflightResponse' } };

  // `*` is a wildcard only for requests without credentials; with them it is a literal name.
  const wildcard = req.credentials !== 'include';
  const method = normalizeMethod(req.method);
  // Method names compare case-sensitively: `PATCH` does not allow fetch's un-normalized `patch`.
  if (
    !methods.includes(method) &&
    !isCorsSafelistedMethod(method) &&
    !(wildcard && methods.includes('*'))
  ) {
    return { failure: { kind: 'MethodDisallowedByPreflightResponse', hint: method } };
  }

  const { kept } = authorRequestHeaders(req.headers);
  let authorizationByWildcard = false;
  if (wildcard && allowedHeaders.includes('*')) {
    const hasAuthorization = kept.some(([n]) => n.toLowerCase() === 'authorization');
    authorizationByWildcard = hasAuthorization && !allowedHeaders.includes('authorization');
  } else {
    const missing = sortedUnique(corsUnsafeRequestHeaderNames(kept)).filter(
      (n) => !allowedHeaders.includes(n),
    );
    if (missing.length > 0) {
      return {
        failure: missing.map((hint): CorsFailure => ({
          kind: 'HeaderDisallowedByPreflightResponse',
          hint,
        })),
      };
    }
  }

  return {
    pass: {
      methods,
      headers: allowedHeaders,
      cacheSeconds: preflightCacheSeconds(getCombined(headers, 'Access-Control-Max-Age')),
      authorizationByWildcard,
    },
  };
}
