import { suggestedOrigins } from './support/suggested-origins';
import { ATTACKER_ORIGIN, credentialedAttack } from './support/attacker';
import type { Check } from './types';

export const allowAllOrigins: Check = {
  id: 'allow-all-origins',
  severity: 'warning',
  description:
    'Every origin is allowed; with credentials, any website can make authenticated calls as the user.',
  severityNote: 'error with credentials',
  productionOnly: true,
  fix: {
    description:
      'allowlist from `corsLens.allowedOrigins` / `HEADLESS_FRONTEND_URLS` / localhost dev servers',
    safety: 'review',
  },
  run(policy, context) {
    const at = policy.origins.allowAllAt;
    if (!policy.origins.allowAll || !at) return [];
    const fix = context
      .framework(policy)
      .fixes.allowOnly(policy, suggestedOrigins(policy, context), context);
    if (policy.credentials !== true) {
      return [
        {
          message: `${at.label} lets every website read this API's responses. List the frontends that need it instead.`,
          span: at.span,
          fix,
        },
      ];
    }
    // The library refuses this at boot (rack-cors): there is no response to ask the model about.
    if (policy.startupError) {
      return [
        {
          severity: 'error',
          message: `${at.label} with ${policy.credentialsAt?.label ?? 'credentials'}: ${policy.startupError.label}. List the frontends instead.`,
          span: at.span,
          fix,
        },
      ];
    }
    const attack = credentialedAttack(policy, context);
    const sent = attack.headers.map(([name, value]) => `${name}: ${value}`).join(', ');
    return [
      attack.readable
        ? {
            severity: 'error',
            message: `${at.label} with ${policy.credentialsAt?.label ?? 'credentials'}: a page on ${ATTACKER_ORIGIN} gets ${sent}, so any website can send the user's cookies (those the browser sends cross-site) and read the authenticated responses.`,
            span: at.span,
            fix,
          }
        : {
            message: `${at.label} with ${policy.credentialsAt?.label ?? 'credentials'}: the server answers ${sent || 'without CORS headers'}, which browsers refuse for credentialed requests, so cookie-carrying calls from the frontend fail. List the frontends instead.`,
            span: at.span,
            fix,
          },
    ];
  },
};
