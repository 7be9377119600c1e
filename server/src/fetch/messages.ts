/**
 * Chromium's console wording for each CORS failure, from Blink's
 * `third_party/blink/renderer/platform/loader/cors/cors_error_string.cc` (GetErrorString), as
 * Chromium 156 prints it for `fetch()`. Older releases ended several messages with advice to
 * use mode 'no-cors'; 156 drops it and ends Access-Control-Allow-Origin value errors with "Have
 * the server send the header with a valid value." test/truth/chromium-fetch.test.ts checks every
 * wording here against the real browser.
 */

/** The `network::mojom::CorsError` values a `fetch()` from a page can hit. */
export type CorsErrorKind =
  | 'MissingAllowOriginHeader'
  | 'WildcardOriginNotAllowed'
  | 'MultipleAllowOriginValues'
  | 'InvalidAllowOriginValue'
  | 'AllowOriginMismatch'
  | 'InvalidAllowCredentials'
  | 'PreflightInvalidStatus'
  | 'PreflightDisallowedRedirect'
  | 'InvalidAllowMethodsPreflightResponse'
  | 'InvalidAllowHeadersPreflightResponse'
  | 'MethodDisallowedByPreflightResponse'
  | 'HeaderDisallowedByPreflightResponse';

/** One failure: which check, the offending value (Chromium's "hint"), and whether on the preflight. */
export interface CorsFailure {
  kind: CorsErrorKind;
  hint?: string;
  /** Set for the CORS check of a preflight response (Chromium's `kPreflight*` variants). */
  preflight?: boolean;
}

/** Said after an Access-Control-Allow-Origin value problem. */
const VALID_VALUE_HINT = ' Have the server send the header with a valid value.';

function detail(f: CorsFailure): string {
  const hint = f.hint ?? '';
  switch (f.kind) {
    case 'MissingAllowOriginHeader':
      return "No 'Access-Control-Allow-Origin' header is present on the requested resource.";
    case 'WildcardOriginNotAllowed':
      return "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.";
    case 'MultipleAllowOriginValues':
      return `The 'Access-Control-Allow-Origin' header contains multiple values '${hint}', but only one is allowed.${VALID_VALUE_HINT}`;
    case 'InvalidAllowOriginValue':
      return `The 'Access-Control-Allow-Origin' header contains the invalid value '${hint}'.${VALID_VALUE_HINT}`;
    case 'AllowOriginMismatch':
      return `The 'Access-Control-Allow-Origin' header has a value '${hint}' that is not equal to the supplied origin.${VALID_VALUE_HINT}`;
    case 'InvalidAllowCredentials':
      return `The value of the 'Access-Control-Allow-Credentials' header in the response is '${hint}' which must be 'true' when the request's credentials mode is 'include'.`;
    case 'PreflightInvalidStatus':
      return 'It does not have HTTP ok status.';
    case 'PreflightDisallowedRedirect':
      return 'Redirect is not allowed for a preflight request.';
    case 'InvalidAllowMethodsPreflightResponse':
      return 'Cannot parse Access-Control-Allow-Methods response header field in preflight response.';
    case 'InvalidAllowHeadersPreflightResponse':
      return 'Cannot parse Access-Control-Allow-Headers response header field in preflight response.';
    case 'MethodDisallowedByPreflightResponse':
      return `Method ${hint} is not allowed by Access-Control-Allow-Methods in preflight response.`;
    case 'HeaderDisallowedByPreflightResponse':
      return `Request header field ${hint} is not allowed by Access-Control-Allow-Headers in preflight response.`;
  }
}

/** Errors Chromium introduces with "Response to preflight request doesn't pass access control check". */
function isPreflightError(f: CorsFailure): boolean {
  return (
    f.preflight === true ||
    f.kind === 'PreflightInvalidStatus' ||
    f.kind === 'PreflightDisallowedRedirect'
  );
}

/**
 * The message Chromium logs to the console for a blocked `fetch()` of `url` from `origin`.
 * `url` is printed as the browser serializes it (`http://h:1` becomes `http://h:1/`).
 */
export function corsErrorMessage(url: string, origin: string, failure: CorsFailure): string {
  const prefix = `Access to fetch at '${serializeUrl(url)}' from origin '${origin}' has been blocked by CORS policy: `;
  const preflight = isPreflightError(failure)
    ? "Response to preflight request doesn't pass access control check: "
    : '';
  return prefix + preflight + detail(failure);
}

function serializeUrl(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}
