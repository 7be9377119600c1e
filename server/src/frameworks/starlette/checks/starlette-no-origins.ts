import { factsOf } from '../../../policy/types';
import type { Check } from '../../../checks/types';
import { suggestedOrigins } from '../../../checks/support/suggested-origins';

/**
 * CORSMiddleware with neither `allow_origins` nor `allow_origin_regex`: Starlette's defaults allow
 * no origin (verified against Starlette 0.26 by test/truth/starlette.test.ts, case no-origins),
 * so the middleware is there and every cross-origin browser request still fails (adventureAI,
 * held-out batch 13: silent before).
 */
export const starletteNoOrigins: Check = {
  id: 'starlette-no-origins',
  severity: 'warning',
  frameworks: ['starlette'],
  description:
    'CORSMiddleware is added without allow_origins or allow_origin_regex: Starlette then allows no origin, so every cross-origin browser request is blocked.',
  fix: { description: 'add `allow_origins=[...]` with the frontends', safety: 'review' },
  run(policy, context) {
    const facts = factsOf(policy, 'starlette');
    const at = policy.at;
    if (!at || !facts || facts.written.allow_origins || facts.written.allow_origin_regex) return [];
    if (policy.origins.dynamic || policy.origins.exact.length || policy.origins.regexes.length)
      return [];
    const origins = suggestedOrigins(policy, context);
    return [
      {
        message:
          'CORSMiddleware is added without allow_origins or allow_origin_regex, and Starlette allows no ' +
          'origin by default: it answers every preflight with 400 "Disallowed CORS origin" and sends no ' +
          'Access-Control-Allow-Origin, so browsers block every cross-origin request ("No ' +
          "'Access-Control-Allow-Origin' header is present on the requested resource\"). List the " +
          'frontends in allow_origins.',
        span: at,
        fix: context.framework(policy).fixes.allowOnly(policy, origins, context),
      },
    ];
  },
};
