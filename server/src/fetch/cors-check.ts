/** https://fetch.spec.whatwg.org/#cors-check, with Chromium's finer error kinds. */
import { getCombined } from './headers';
import type { CorsFailure } from './messages';
import type { CorsRequest, HeaderList } from './types';

/**
 * Runs the CORS check of a response's headers for `req`. Returns undefined when it passes.
 * Follows Chromium's `network::cors::CheckAccess`: repeated header lines are read joined with
 * ", " (so two `Access-Control-Allow-Origin` lines fail as "multiple values"), the origin
 * compare is byte-exact, and with credentials mode "include" `Access-Control-Allow-Credentials`
 * must be exactly `true`.
 */
export function corsCheck(
  req: Pick<CorsRequest, 'origin' | 'credentials'>,
  headers: HeaderList,
): CorsFailure | undefined {
  const allowOrigin = getCombined(headers, 'Access-Control-Allow-Origin');
  const include = req.credentials === 'include';
  if (allowOrigin === undefined) return { kind: 'MissingAllowOriginHeader' };
  if (allowOrigin === '*') {
    if (!include) return undefined;
    return { kind: 'WildcardOriginNotAllowed' };
  }
  if (allowOrigin !== req.origin) {
    // Chromium only words the mismatch more precisely; all of these fail.
    if (/[ ,]/.test(allowOrigin)) return { kind: 'MultipleAllowOriginValues', hint: allowOrigin };
    if (allowOrigin === 'null' || isValidUrl(allowOrigin))
      return { kind: 'AllowOriginMismatch', hint: allowOrigin };
    return { kind: 'InvalidAllowOriginValue', hint: allowOrigin };
  }
  if (include) {
    const allowCredentials = getCombined(headers, 'Access-Control-Allow-Credentials');
    if (allowCredentials !== 'true')
      return { kind: 'InvalidAllowCredentials', hint: allowCredentials ?? '' };
  }
  return undefined;
}

/** Stand-in for Chromium's `GURL(value).is_valid()`. */
function isValidUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}
