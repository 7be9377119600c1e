import { preview } from '../replay/replay';
import { coversPath } from '../policy/paths';
import { projectPolicies } from './support/workspace-policies';
import type { Policy } from '../policy/types';
import { allowedOrigins } from './support/allowed-origins';
import { apiUrl, coveredPath } from './support/attacker';
import type { Check, CheckContext, Report } from './types';

/**
 * Requests that need a preflight: JSON ones, with the methods the routes serve first; then a GET
 * with the first header the setup allows (`Authorization` where the preflight allows no
 * Content-Type: emoncms, held-out batch 20).
 */
function asked(policy: Policy, origin: string) {
  const served = (policy.servedMethods ?? []).filter((m) => m !== 'OPTIONS' && m !== 'HEAD');
  const request = (method: string, headers: [string, string][]) => ({
    url: apiUrl(coveredPath(policy)),
    origin,
    method,
    headers,
    credentials: 'omit' as const,
  });
  const allowed = policy.headers.names.find((n) => n !== '*' && !/^content-type$/i.test(n));
  // Where the preflight lets a token through, each request is asked with one too: a handler that
  // refuses calls without it (`if (!req.headers.authorization) throw ...`) answers its real
  // callers on the other path (muerdo's payment handler, held-out batch 53).
  const token =
    policy.headers.wildcard || policy.headers.names.some((n) => /^authorization$/i.test(n));
  const json: [string, string] = ['Content-Type', 'application/json'];
  return [
    ...[...new Set([...served, 'POST', 'GET', 'PUT'])].flatMap((method) => [
      request(method, [json]),
      ...(token ? [request(method, [json, ['Authorization', 'Bearer example-token']])] : []),
    ]),
    ...(allowed ? [request('GET', [[allowed, 'example']])] : []),
  ];
}

/** Whether a policy's actual answer to `request` carries Access-Control-Allow-Origin. */
function actualAllows(
  policy: Policy,
  context: CheckContext,
  request: ReturnType<typeof asked>[number],
): boolean {
  const result = preview(policy, context.framework(policy).model, request);
  return !!result.actual?.headers.some(([n]) => n.toLowerCase() === 'access-control-allow-origin');
}

/**
 * The models whose answer per method is the code's own: a Next.js route file's exported
 * handlers, Flask/Django/FastAPI views and hooks (verified against real Flask), and Express's
 * `cors()` layers. Not nginx (the app behind it may add the header) nor Express middleware set
 * by hand (postiz's `.well-known` middleware, which sets the header before its OPTIONS branch,
 * was read as answering GET without it).
 */
const ASKED_OF = new Set<Policy['framework']>([
  'nextjs',
  'python-handset',
  'express-cors',
  'php-handset',
]);

/** Python libraries whose one setup covers every view of the app. */
const APP_WIDE = new Set<Policy['framework']>(['flask-cors', 'django', 'starlette']);

/**
 * The app-wide library setups of the project's other files (a Flask app's `CORS(app)` in the
 * module that registers this file's routes: NetAlertX, held-out batch 21, where Flask-CORS adds
 * the header to the GET the hand-written OPTIONS branch answered the preflight of).
 */
function appWide(policy: Policy, context: CheckContext): Policy[] {
  if (policy.framework !== 'python-handset') return [];
  return (projectPolicies(policy, context) ?? []).filter((p) => APP_WIDE.has(p.framework));
}

/**
 * PHP scripts answer for each other (a front controller's OPTIONS branch, the controllers' own
 * headers): a PHP setup is asked only when the workspace is indexed and no other file of its
 * project sends an Access-Control-Allow-Origin (emoncms, held-out batch 20: its router's OPTIONS
 * branch is the only one; seen with `php -S`).
 */
function alone(policy: Policy, context: CheckContext): boolean {
  if (policy.framework !== 'php-handset') return true;
  const others = projectPolicies(policy, context);
  return (
    !!others &&
    !others.some(
      ({ origins: o }) =>
        o.allowAll || o.reflectAny || o.exact.length || o.regexes.length || o.dynamic,
    )
  );
}

/**
 * `cors()` mounted for OPTIONS only (`app.options('/hook', cors())`): its model replays that one
 * layer in the app's routes (multi-scrobbler, held-out batch 18); a `cors()` elsewhere in the app
 * is another policy, which clears the finding when it answers the request.
 */
const LIBRARY_ASKED = new Set<Policy['framework']>(['express-cors']);

/**
 * The preflighted request a hand-written setup lets through its preflight and then answers
 * without Access-Control-Allow-Origin, with the browser's verdict; undefined when the answer
 * carries the header (or there is no such request to ask).
 */
export function preflightOnlyAnswer(policy: Policy, context: CheckContext) {
  // Hand-set headers of an endpoint that answers by itself (the methods it serves are read: a
  // Next.js `pages/api` handler, Localhost-23, held-out batch 36) are asked too.
  const endpoint = policy.handSet && !!policy.servedMethods;
  if ((!ASKED_OF.has(policy.framework) && !endpoint) || policy.origins.dynamic) return undefined;
  if (!policy.handSet && !LIBRARY_ASKED.has(policy.framework)) return undefined;
  // Which routes' answers cross origins is the app's choice: a path picked here says nothing.
  if (policy.corsPerRoute) return undefined;
  const [origin] = allowedOrigins(policy);
  if (!origin) return undefined;
  // The first request the app answers (a 404 or 405 is no answer of the routes'), passed or not.
  for (const request of asked(policy, origin)) {
    const result = preview(policy, context.framework(policy).model, request);
    if (!result.preflight.needed || !result.actual || result.actual.status >= 400) continue;
    if (result.verdict.allowed || result.verdict.stage !== 'actual') return undefined;
    // A branch the reader could not decide may send it (uppy's upload script sends it in every
    // branch of a `try` and its `catch`: held-out batch 23).
    if (result.actual.undecided) return undefined;
    if (result.actual.headers.some(([n]) => /^access-control-allow-origin$/i.test(n)))
      return undefined;
    return { request, result };
  }
  return undefined;
}

/**
 * Hand-written CORS headers sent on the preflight answer only (a route file's `OPTIONS` handler,
 * an OPTIONS branch) while the request itself is answered without Access-Control-Allow-Origin:
 * the browser passes the preflight, then blocks the response (openlit's Next.js route handlers,
 * held-out batch 15). Asked of the models (see ASKED_OF); another setup of the file that answers
 * the request with the header (a library beside the hand-written preflight) clears it.
 */
export const originOnPreflightOnly: Check = {
  id: 'origin-on-preflight-only',
  severity: 'warning',
  description:
    'Access-Control-Allow-Origin is sent on the preflight answer only: the browser passes the preflight, then blocks the response it was for.',
  runOnFile(file, context) {
    const reports: Report[] = [];
    for (const policy of file.policies) {
      // A wrapper the model does not read (an auth decorator) may refuse the preflight first:
      // then the preflight, not the response, is what fails (superdesk, held-out batch 19).
      if (policy.inactive || policy.answeredFirstBy) continue;
      // The hand-written preflight answer, else the line that sets the origin there.
      const at =
        policy.preflightAt ??
        policy.origins.allowAllAt?.span ??
        policy.origins.exact[0]?.span ??
        policy.origins.listAt?.span ??
        policy.at;
      const found =
        at?.file === file.path && alone(policy, context)
          ? preflightOnlyAnswer(policy, context)
          : undefined;
      if (!at || !found) continue;
      const { request, result } = found;
      const origin = request.origin;
      const path = new URL(request.url).pathname;
      const others = [...file.policies, ...appWide(policy, context)].filter(
        (p) => p !== policy && coversPath(p, path),
      );
      // Another setup that answers the request with the header, for this origin or its own first
      // (or may: its origins are not known).
      const answered = (p: Policy) =>
        p.origins.dynamic ||
        [origin, ...allowedOrigins(p).slice(0, 1)].some((o) =>
          actualAllows(p, context, { ...request, origin: o }),
        );
      if (others.some(answered)) continue;
      reports.push({
        message:
          `Only the preflight answer sends Access-Control-Allow-Origin: the ${request.method} it was for ` +
          `is answered without it, so the browser passes the preflight from ${origin} ` +
          `and then blocks the response ("${result.verdict.reasons[0]}"). Send the CORS headers on the ` +
          `${request.method} response too.`,
        span: at,
      });
    }
    return reports;
  },
};
