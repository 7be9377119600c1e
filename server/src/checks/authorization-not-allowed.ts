import { preview } from '../replay/replay';
import { allowedOrigins } from './support/allowed-origins';
import { apiUrl, coveredPath } from './support/attacker';
import { authorizationAuth, ownRouteOnly } from './support/header-auth';
import { callsTo, where } from './support/frontend';
import type { Check } from './types';

const isAuthorization = ([name]: [string, string]): boolean => /^authorization$/i.test(name);

/**
 * An API that takes an `Authorization` header behind a CORS setup whose allowed request headers
 * leave it out: a page on an allowed origin gets JSON through, and every request that carries its
 * token fails the preflight (unstructured-api left its key header out of `allow_headers` the same
 * way: held-out batch 22). Asked of the framework's model, against the same request with a
 * JSON Content-Type only, so a setup that refuses every preflight is left to the checks about it.
 */
export const authorizationNotAllowed: Check = {
  id: 'authorization-not-allowed',
  severity: 'warning',
  description:
    'The API takes an Authorization header, but the CORS setup does not allow it: every cross-origin request that sends its token fails the preflight.',
  fix: { description: "add 'authorization' to the allowed request headers", safety: 'safe' },
  run(policy, context) {
    // django-cors-headers: allow-headers-drops-defaults says it of CORS_ALLOW_HEADERS.
    if (policy.framework === 'django' || !policy.configured || policy.headers.dynamic) return [];
    const sign = authorizationAuth(policy, context, ownRouteOnly(policy));
    const [origin] = allowedOrigins(policy);
    if (!sign || !origin) return [];
    // A call of the workspace's frontend that sends it: custom-header-not-allowed says so there.
    if (callsTo(policy, context).some(({ call }) => call.headers.some(isAuthorization))) return [];
    const ask = (headers: [string, string][]) =>
      preview(policy, context.framework(policy).model, {
        url: apiUrl(coveredPath(policy)),
        origin,
        method: 'GET',
        headers,
        credentials: 'omit',
      });
    const refused = ask([['Authorization', 'Bearer token']]);
    if (refused.verdict.allowed || !ask([['Content-Type', 'application/json']]).verdict.allowed)
      return [];
    const at = policy.headers.at;
    const span = at?.span ?? policy.at;
    if (!span) return [];
    const option = at?.label ?? (policy.headers.option && `${policy.headers.option} (unset)`);
    // In the list's own case: `Authorization` beside `Content-Type`, `authorization` beside `content-type`.
    const name = policy.headers.names.some((n) => /^[A-Z]/.test(n))
      ? 'Authorization'
      : 'authorization';
    const edits = context.framework(policy).fixes.addAllowedHeaders?.(policy, [name], context);
    return [
      {
        message:
          `${option ?? 'The allowed request headers'} does not allow Authorization, and this API authenticates by ` +
          `${sign.sign} (${where(sign.span, span.file, context)}). A page on ${origin} can send JSON, but every ` +
          `request that carries its token fails the preflight ("${refused.verdict.reasons[0] ?? 'the CORS check fails'}"). ` +
          'Allow Authorization by name.',
        span,
        fix: edits?.length ? { title: `Allow '${name}'`, edits } : undefined,
      },
    ];
  },
};
