import { AUTHORIZATION_BY_WILDCARD } from '../fetch';
import { preview } from '../replay/replay';
import { allowedOrigins } from './support/allowed-origins';
import { apiUrl, coveredPath } from './support/attacker';
import { authorizationAuth, ownRouteOnly } from './support/header-auth';
import { where } from './support/frontend';
import type { Check } from './types';

/**
 * Allowed request headers sent as `*` to an API that takes an `Authorization` header. The Fetch
 * standard never lets `*` cover Authorization: Firefox and Safari fail such a preflight, while
 * Chromium still lets it through (test/truth/chromium), so the app works in the developer's Chrome
 * and breaks for other users (newtonX's DRF JWT API and umami's bearer API, held-out batch 13).
 * Firefox and Safari do not run here: their refusal is the Fetch standard's rule (and MDN's), not
 * compared with those browsers; Chromium's acceptance is (test/truth/chromium).
 */
export const allowHeadersStarAuthorization: Check = {
  id: 'allow-headers-star-authorization',
  severity: 'warning',
  description:
    "Allowed request headers are '*' and the API takes an Authorization header: the standard never lets '*' cover Authorization, so Firefox and Safari fail the preflight (Chromium still allows it).",
  run(policy, context) {
    const sign = authorizationAuth(policy, context, ownRouteOnly(policy));
    const [origin] = allowedOrigins(policy);
    if (!sign || !origin) return [];
    const result = preview(policy, context.framework(policy).model, {
      url: apiUrl(coveredPath(policy)),
      origin,
      method: 'GET',
      headers: [['Authorization', 'Bearer token']],
      credentials: 'omit',
    });
    if (!result.verdict.allowed || !result.verdict.warnings.includes(AUTHORIZATION_BY_WILDCARD))
      return [];
    const at = policy.headers.at;
    const span = at?.span ?? policy.at;
    if (!span) return [];
    return [
      {
        message:
          `${at?.label ?? 'The allowed request headers'} answers preflights with Access-Control-Allow-Headers: *, ` +
          `and this API authenticates by ${sign.sign} (${where(sign.span, span.file, context)}). ` +
          `The Fetch standard never lets '*' cover Authorization: a request from ${origin} that sends its token ` +
          'passes in Chromium but fails its preflight in Firefox and Safari. List Authorization by name.',
        span,
      },
    ];
  },
};
