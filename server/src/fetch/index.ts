/**
 * The browser side of CORS Lens: a WHATWG Fetch CORS evaluator that agrees with Chromium.
 * Pure functions, no I/O; see test/truth/chromium-fetch.test.ts for the agreement with the real browser.
 */
export type { CorsRequest, HeaderList, HttpRequest, HttpResponse, Verdict } from './types';
export { needsPreflight, buildPreflightRequest, type PreflightNeed } from './preflight';
export { buildActualRequest, requestPath } from './request';
export {
  checkPreflightResponse,
  parseAllowList,
  preflightCacheSeconds,
  DEFAULT_PREFLIGHT_CACHE_SECONDS,
  MAX_PREFLIGHT_CACHE_SECONDS,
  type PreflightPass,
} from './preflight-check';
export { corsCheck } from './cors-check';
export { readableResponseHeaders, parseExposeHeaders } from './expose';
export { corsErrorMessage, type CorsErrorKind, type CorsFailure } from './messages';
export { AUTHORIZATION_BY_WILDCARD, evaluate, type ServerResponses } from './evaluate';
export { sampleHeaderValue } from './sample-header-value';
export {
  authorRequestHeaders,
  corsUnsafeRequestHeaderNames,
  isCorsSafelistedMethod,
  isCorsSafelistedRequestHeader,
  isForbiddenMethod,
  isForbiddenRequestHeader,
  isSimpleRangeHeaderValue,
  mimeTypeEssence,
  normalizeMethod,
  CORS_SAFELISTED_METHODS,
  CORS_SAFELISTED_RESPONSE_HEADER_NAMES,
} from './safelist';
