import { ATTACKER_ORIGIN, credentialedAttack } from './support/attacker';
import { suggestedOrigins } from './support/suggested-origins';
import type { Check } from './types';

export const reflectAnyOrigin: Check = {
  id: 'reflect-any-origin',
  productionOnly: true,
  severity: 'warning',
  description:
    'The server echoes any request Origin back without checking it; with credentials, any website can call the API as the user.',
  severityNote: 'error with credentials',
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
    return [
      {
        message: `${at.label} reflects every request Origin, so every website can read this API's responses. Check the origin against an allowlist.`,
        span: at.span,
        fix,
      },
    ];
  },
};
