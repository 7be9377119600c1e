import type { Policy, SourceRef } from '../../policy/types';
import type { AuthSignAt } from '../../workspace/types';
import type { CheckContext } from '../types';

/**
 * The header auth of the policy's project when the project was searched (`AuthSigns`: every file
 * of the policy, and the files of its project the workspace holds) and shows no cookie auth at
 * all: browsers add cookies to a cross-site request on their own, never an `Authorization`
 * header or an API key, so such a project has nothing a credentialed cross-site request carries.
 * Undefined whenever it is not known (no workspace facts, a language without a reader of the
 * signs, no sign of header auth either).
 */
export function headerAuthOnly(policy: Policy, context: CheckContext): AuthSignAt | undefined {
  const searched = projectSigns(policy, context);
  if (!searched || searched.cookies.length) return undefined;
  return searched.headers[0];
}

/**
 * Whether the workspace was searched beyond the policy's own files (not one file checked alone),
 * the policy's project shows no auth at all, and no searched file of the workspace shows cookie
 * auth (a gateway's services may keep the session): then a credentialed cross-site read gets what
 * an anonymous caller gets (world-explorer's Fastify gateway over public data, held-out batch 33;
 * Voidground's one upload endpoint beside its Next.js client, batch 34).
 */
function noAuthSeen(policy: Policy, context: CheckContext): boolean {
  const auth = context.workspace?.auth;
  const searched = projectSigns(policy, context);
  if (!auth || !searched || auth.cookies.length) return false;
  const beyond = Object.keys(auth.searched).some((file) => !policy.files.includes(file));
  return (
    beyond && !searched.headers.length && !searched.keyHeaders.length && !searched.anyAuth.length
  );
}

/**
 * The first SameSite=Lax or Strict cookie of the policy's project, when the project was searched
 * and no searched file of the workspace writes a SameSite=None cookie (or Django's session cookie
 * without the attribute): browsers leave such cookies off another site's requests, so only pages
 * of the same site (another subdomain, another port of localhost) can send them (dawn-treader's
 * Fastify session, `sameSite: 'lax'`, held-out batch 36). Undefined when not known.
 */
function sameSiteCookiesOnly(policy: Policy, context: CheckContext): AuthSignAt | undefined {
  const searched = projectSigns(policy, context);
  if (!searched?.cookies.length || context.workspace?.auth?.sameSiteNone?.length) return undefined;
  return searched.sameSite[0];
}

/**
 * Whether the workspace was searched beyond the policy's own files and no searched file shows a
 * cookie (read, written, a session library, a page that sends them), though the project shows
 * some sign of signing in: a credentialed cross-site request carries nothing the browser adds on
 * its own (Relaxion's aiohttp login that returns data, jfastapi's user model; held-out batch 38).
 */
function noCookieSeen(policy: Policy, context: CheckContext): boolean {
  const auth = context.workspace?.auth;
  const searched = projectSigns(policy, context);
  if (!auth || !searched || auth.cookies.length) return false;
  // A hosted sign-in whose SDK keeps the session in a cookie the code never names (Clerk's
  // `__session`: Secure-AI-App-With_Auth, held-out batch 34, an error rightly).
  if (searched.anyAuth.some((sign) => COOKIE_SERVICE.test(sign.sign))) return false;
  return Object.keys(auth.searched).some((file) => !policy.files.includes(file));
}

/**
 * Why a cross-site page cannot ride the user's cookies though the server answers it with
 * credentials, in the order allow-all-origins and reflect-any-origin weigh it (each rates and words
 * it its own way): the answers are files sent to any caller, the project authenticates by a header
 * only, shows no auth at all, writes only SameSite=Lax/Strict cookies, or shows no cookie.
 * Undefined when none holds (or nothing is known).
 */
export type CookieFree =
  | { kind: 'public-files'; where: SourceRef }
  | { kind: 'header-auth'; sign: AuthSignAt }
  | { kind: 'no-auth' }
  | { kind: 'same-site'; sign: AuthSignAt }
  | { kind: 'no-cookie' };

export function cookieFree(policy: Policy, context: CheckContext): CookieFree | undefined {
  if (policy.publicFiles) return { kind: 'public-files', where: policy.publicFiles };
  const header = headerAuthOnly(policy, context);
  if (header) return { kind: 'header-auth', sign: header };
  if (noAuthSeen(policy, context)) return { kind: 'no-auth' };
  const sameSite = sameSiteCookiesOnly(policy, context);
  if (sameSite) return { kind: 'same-site', sign: sameSite };
  return noCookieSeen(policy, context) ? { kind: 'no-cookie' } : undefined;
}

/** Hosted sign-in services whose SDKs keep the session in a cookie of their own. */
const COOKIE_SERVICE = /clerk|auth0|supabase|firebase|keycloak/i;

/** Header-auth signs that name the Authorization header (not an API key header). */
const AUTHORIZATION_SIGNS = new Set([
  'an Authorization header',
  'a bearer token',
  'token authentication (Authorization header)',
]);

/**
 * A sign that the policy's project takes an `Authorization` header (a bearer or token scheme),
 * whatever else it takes (`ownFiles`: in the policy's own files); undefined when the project was
 * not searched or shows none.
 */
export function authorizationAuth(
  policy: Policy,
  context: CheckContext,
  ownFiles = false,
): AuthSignAt | undefined {
  return projectSigns(policy, context)?.headers.find(
    (s) => AUTHORIZATION_SIGNS.has(s.sign) && (!ownFiles || policy.files.includes(s.file)),
  );
}

/**
 * Whether only the policy's own files can show that its routes take a token: headers written by
 * hand on one route answer for that route, so its own code must take the token (homarr's OAuth
 * metadata routes send `*` and read none; held-out batch 13's rerun). Written for many paths
 * (next.config `headers()`, a middleware, a path filter with a wildcard or an optional part), any
 * route's code counts (ChatGPT-Next-Web reads the token in a module its API routes import;
 * held-out batch 16).
 */
export const ownRouteOnly = (policy: Policy): boolean =>
  // A hook on every route (obis_api's Django middleware beside DRF's TokenAuthentication in the
  // settings: held-out batch 50) answers for every route's code.
  !policy.everyRoute &&
  // A library mounted on one path answers for that path too (fpx's Hono `cors()` on its auth
  // callback route, while another file's route reads the token: held-out batch 24).
  (!!policy.handSet || typeof policy.urlRegex === 'string') &&
  !(typeof policy.urlRegex === 'string' && /[.*+?[]/.test(policy.urlRegex.replace(/\\./g, '')));

/**
 * A read of a request header named for a key or token in the policy's project (`x-api-key`),
 * with the same scope as `authorizationAuth`; undefined when the project was not searched or
 * reads none.
 */
export function keyHeaderAuth(
  policy: Policy,
  context: CheckContext,
  ownFiles = false,
): AuthSignAt | undefined {
  return projectSigns(policy, context)?.keyHeaders.find(
    (s) => !ownFiles || policy.files.includes(s.file),
  );
}

/** The auth signs of the policy's project (its service), when every file of it was searched. */
function projectSigns(
  policy: Policy,
  context: CheckContext,
):
  | {
      cookies: AuthSignAt[];
      headers: AuthSignAt[];
      keyHeaders: AuthSignAt[];
      anyAuth: AuthSignAt[];
      sameSite: AuthSignAt[];
    }
  | undefined {
  const auth = context.workspace?.auth;
  if (!auth) return undefined;
  const root = auth.searched[policy.file];
  if (root === undefined) return undefined;
  if (policy.files.some((file) => auth.searched[file] === undefined)) return undefined;
  const inProject = (sign: AuthSignAt) => sign.root === root || policy.files.includes(sign.file);
  return {
    cookies: auth.cookies.filter(inProject),
    headers: auth.headers.filter(inProject),
    keyHeaders: (auth.keyHeaders ?? []).filter(inProject),
    anyAuth: (auth.anyAuth ?? []).filter(inProject),
    sameSite: (auth.sameSite ?? []).filter(inProject),
  };
}
