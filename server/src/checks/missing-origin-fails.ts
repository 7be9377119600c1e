import { modelAnswer } from '../replay/replay';
import { allowedOrigins } from './support/allowed-origins';
import { coveredPath } from './support/attacker';
import type { Policy } from '../policy/types';
import type { Check, CheckContext, Report } from './types';

/**
 * A CORS layer that fails every request without an Origin header: an origin function that hands
 * the `cors` package (Express, NestJS on Express) an Error for an origin it does not list, with
 * no `!origin` guard before the test (the cors README's own example). A browser sends no
 * Origin on a page load, a same-origin GET or HEAD, and curl, health checks and webhooks send none
 * either, so all of them get a 500 (evolution-api, held-out batch 19: express 4 + cors 2.8 answered
 * 500 with "at origin … cors/lib/index.js"). Asked of the model: a GET without an Origin answered
 * 500 where the same GET from an origin the policy lets in is not. Only the missing Origin is
 * reported: a 500 for an unlisted origin still ends as the CORS failure it was meant to be. The
 * @fastify/cors model does not model an origin callback's Error (Fastify would answer 500 too).
 */
/**
 * Options a module exports that the app's `cors()` never receives (another policy's
 * `unusedOptionsAt` points at them): nothing runs their origin test.
 */
const forgotten = (policy: Policy, context: CheckContext): boolean =>
  (context.workspace?.apps ?? []).some((app) =>
    app.policies.some((p) => {
      const unused = p.unusedOptionsAt?.span;
      return (
        !!unused &&
        !!policy.at &&
        unused.file === policy.file &&
        unused.start < policy.at.end &&
        policy.at.start < unused.end
      );
    }),
  );

export const missingOriginFails: Check = {
  id: 'missing-origin-fails',
  severity: 'warning',
  description:
    'The CORS origin test fails every request without an Origin header (page loads, same-origin GETs, curl, health checks) with a 500.',
  run(policy, context) {
    // Hand-set headers fail a missing Origin in their own ways (an `undefined` header value).
    if (policy.inactive || policy.handSet || policy.origins.dynamic) return [];
    const [origin] = allowedOrigins(policy);
    const at = policy.origins.listAt?.span ?? policy.at;
    if (!origin || !at || forgotten(policy, context)) return [];
    const { model } = context.framework(policy);
    const path = coveredPath(policy);
    const answer = (headers: [string, string][]) =>
      modelAnswer(model, policy, { method: 'GET', path, headers }).status;
    if (answer([]) !== 500 || answer([['Origin', origin]]) === 500) return [];
    const report: Report = {
      message:
        'A request without an Origin header is answered 500: the origin test hands the library ' +
        'an Error for any origin it does not list, and a missing Origin is not listed. Browsers ' +
        'send no Origin on page loads and same-origin GETs, nor do curl, health checks and ' +
        'webhooks. Let a missing Origin through (`if (!origin) return callback(null, true)`), and ' +
        'refuse an unlisted one with `callback(null, false)` (no CORS headers) rather than an Error.',
      span: at,
    };
    return [report];
  },
};
