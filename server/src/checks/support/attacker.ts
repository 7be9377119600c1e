import type { HeaderList } from '../../fetch';
import { regexMatches, witnessOf } from '../../base/regex';
import { preview } from '../../replay/replay';
import { withSessionCookie } from '../../replay/session-cookie';
import type { Policy } from '../../policy/types';
import type { CheckContext } from '../types';

/** An origin no allowlist means to trust. */
export const ATTACKER_ORIGIN = 'https://attacker.test';

/**
 * The URL of `path` on the API the checks ask the models about. A path read from code may be
 * anything (`location api/ {}`, a half-typed route, bytes that are not UTF-8): it is set as the
 * URL's path, percent-encoded as a browser would, so it can never turn into another host or an
 * invalid URL.
 */
export function apiUrl(path: string): string {
  const url = new URL('http://api.test/');
  const query = path.indexOf('?');
  url.pathname = query < 0 ? path : path.slice(0, query);
  if (query >= 0) url.search = path.slice(query);
  return url.href;
}

/** A path the policy covers (CORS_URLS_REGEX and the like), for asking the model. */
export function coveredPath(policy: Policy): string {
  // A hand-set handler knows a path it runs for (its route, a route under its mount).
  if (policy.samplePath) return policy.samplePath;
  if (typeof policy.urlRegex !== 'string') return '/';
  const urlRegex = policy.urlRegex;
  const witness = () => {
    const path = witnessOf(urlRegex, 'python-match');
    return path?.startsWith('/') ? path : undefined;
  };
  return (
    ['/', '/api/', '/api/v1/', '/graphql', '/_allauth/'].find((p) =>
      regexMatches(urlRegex, 'python-match', '', p),
    ) ??
    witness() ??
    '/'
  );
}

/** The method of a request the app serves on {@link coveredPath}: GET unless its routes say. */
export const coveredMethod = (policy: Policy): string => policy.sampleMethod ?? 'GET';

/**
 * What the library really answers a credentialed request (GET, or the covered path's own method)
 * from an attacker's page, and whether the browser then lets the attacker's script read it: the
 * model and the Fetch evaluator decide, so the message is true for each library (some echo the
 * origin, some send `*`, which browsers refuse with credentials).
 */
export function credentialedAttack(
  policy: Policy,
  context: CheckContext,
): { readable: boolean; headers: HeaderList; reason: string } {
  // The user is signed in: the attacker's credentialed request carries their cookie.
  const result = preview(policy, withSessionCookie(context.framework(policy).model), {
    url: apiUrl(coveredPath(policy)),
    origin: ATTACKER_ORIGIN,
    method: coveredMethod(policy),
    headers: [],
    credentials: 'include',
  });
  const headers = (result.actual?.headers ?? []).filter(([name]) =>
    /^access-control-allow-(origin|credentials)$/i.test(name),
  );
  return { readable: result.verdict.allowed, headers, reason: result.verdict.reasons[0] ?? '' };
}

/**
 * Whether the library lets a page on `origin` read a plain request, per its model: without
 * credentials, or with them (`include`) to ask as a frontend of a credentialed setup calls.
 */
export function originAllowed(
  policy: Policy,
  origin: string,
  context: CheckContext,
  credentials: 'omit' | 'include' = 'omit',
): boolean {
  return preview(policy, context.framework(policy).model, {
    url: apiUrl(coveredPath(policy)),
    origin,
    method: coveredMethod(policy),
    headers: [],
    credentials,
  }).verdict.allowed;
}
