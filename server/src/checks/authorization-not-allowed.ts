import { preview } from '../replay/replay';
import { allowedOrigins } from './support/allowed-origins';
import { apiUrl, coveredPath } from './support/attacker';
import { keyHeaderAuth, ownRouteOnly } from './support/header-auth';
import { callsTo, where } from './support/frontend';
import type { Check } from './types';
import type { Policy } from '../policy/types';

const STAND_IN = 'https://app.example.com';

/**
 * An API that takes its credential in a request header (`Authorization`, else a header named for
 * a key or token that its code reads) behind a CORS setup whose allowed request headers leave it
 * out: a page on an allowed origin gets JSON through, and every request that carries the
 * credential fails the preflight (unstructured-api's `unstructured-api-key` and `allow_headers=
 * ["Content-Type"]`: held-out batch 22). Asked of the framework's model, against the same request with a
 * JSON Content-Type only, so a setup that refuses every preflight is left to the checks about it.
 */
export const authorizationNotAllowed: Check = {
  id: 'authorization-not-allowed',
  severity: 'warning',
  description:
    'The API takes its credential in a request header (Authorization, an API key header), but the CORS setup does not allow that header: every cross-origin request that sends it fails the preflight.',
  fix: { description: 'add the header to the allowed request headers', safety: 'safe' },
  run(policy, context) {
    // django-cors-headers: allow-headers-drops-defaults says it of CORS_ALLOW_HEADERS.
    if (policy.framework === 'django' || !policy.configured || policy.headers.dynamic) return [];
    // Origins the operator configures (an env list): any of them is asked as a stand-in.
    const configured = !allowedOrigins(policy).length && policy.origins.dynamic;
    const asked: Policy = configured
      ? { ...policy, origins: { ...policy.origins, exact: [{ value: STAND_IN }] } }
      : policy;
    const [origin] = allowedOrigins(asked);
    if (!origin) return [];
    // Only a read in code (or a framework's bearer scheme) names the header: a sign in a string
    // or a comment (fpx's AI prompt showing an `Authorization: Bearer` line: held-out batch 24)
    // is no header this API reads.
    const sign = keyHeaderAuth(policy, context, ownRouteOnly(policy));
    const bearer = sign?.header === 'authorization';
    const header = bearer ? 'Authorization' : sign?.header;
    if (!sign || !header) return [];
    // A call of the workspace's frontend that sends it: custom-header-not-allowed says so there.
    const sends = ([name]: [string, string]) => name.toLowerCase() === header.toLowerCase();
    if (callsTo(policy, context).some(({ call }) => call.headers.some(sends))) return [];
    // A method the setup allows (an upload API may allow POST alone).
    const { names, wildcard } = policy.methods;
    const method =
      wildcard || !names.length || names.includes('GET')
        ? 'GET'
        : (names.find((m) => m !== 'OPTIONS' && m !== 'HEAD') ?? 'GET');
    const ask = (headers: [string, string][]) =>
      preview(asked, context.framework(policy).model, {
        url: apiUrl(coveredPath(policy)),
        origin,
        method,
        headers,
        credentials: 'omit',
      });
    const refused = ask([[header, bearer ? 'Bearer token' : 'example-key']]);
    if (refused.verdict.allowed || !ask([['Content-Type', 'application/json']]).verdict.allowed)
      return [];
    const at = policy.headers.at;
    const span = at?.span ?? policy.at;
    if (!span) return [];
    const option = at?.label ?? (policy.headers.option && `${policy.headers.option} (unset)`);
    // In the list's own case: `Authorization` beside `Content-Type`, `authorization` beside `content-type`.
    const name = policy.headers.names.some((n) => /^[A-Z]/.test(n))
      ? header.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase())
      : header.toLowerCase();
    const edits = context.framework(policy).fixes.addAllowedHeaders?.(policy, [name], context);
    return [
      {
        message:
          `${option ?? 'The allowed request headers'} does not allow ${name}, and this API authenticates by ` +
          `${sign.sign} (${where(sign.span, span.file, context)}). A page on ${configured ? 'an allowed origin' : origin} can send JSON, but every ` +
          `request that carries its ${bearer ? 'token' : 'key'} fails the preflight ("${refused.verdict.reasons[0] ?? 'the CORS check fails'}"). ` +
          `Allow ${name} by name.`,
        span,
        fix: edits?.length ? { title: `Allow '${name}'`, edits } : undefined,
      },
    ];
  },
};
