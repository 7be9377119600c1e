import { factsOf } from '../../../policy/types';
import type { Check } from '../../../checks/types';

/**
 * An app middleware in the global stack that sets Access-Control-Allow-Origin on every response
 * leaves config/cors.php only the preflights: fruitcake's and barryvdh's HandleCors add their
 * actual-response headers only to a response without that header (read in fruitcake/laravel-cors
 * 2.x's `addHeaders`), and one run outside HandleCors overwrites it. Laravel cannot run here, so
 * this is read from the libraries' source, not run against them (stts, held-out batch 31).
 */
export const laravelConfigOverridden: Check = {
  id: 'laravel-config-overridden',
  severity: 'info',
  severityNote:
    "warning when the config allows credentials and the app's middleware sends `*`: credentialed requests pass the preflight and then fail",
  frameworks: ['laravel-cors'],
  description:
    "The app's own CORS middleware sets Access-Control-Allow-Origin on every response, so config/cors.php decides only the preflights.",
  run(policy) {
    const facts = factsOf(policy, 'laravel-cors');
    const own = facts?.overriddenBy;
    if (!own || !policy.at || policy.inactive) return [];
    const order = own.inner
      ? `listed after HandleCors in the kernel's $middleware, it sets Access-Control-Allow-Origin on every response first, and HandleCors adds its headers only to a response without one`
      : `listed before HandleCors in the kernel's $middleware, it overwrites the Access-Control-Allow-Origin HandleCors sets`;
    const base = `Only preflights follow this config: the app's own ${own.name} middleware decides what every other response carries (${order}).`;
    if (own.star && facts.supportsCredentials)
      return [
        {
          severity: 'warning',
          message:
            `${base} A request sent with credentials passes the preflight (this config allows ` +
            `credentials) and is then blocked: its response carries ${own.name}'s ` +
            `Access-Control-Allow-Origin: *, which browsers refuse with credentials. Keep one of ` +
            `the two: remove ${own.name} from the stack, or this config.`,
          span: policy.credentialsAt?.span ?? policy.at,
        },
      ];
    return [
      {
        message: `${base} Change the origins there, or remove one of the two.`,
        span: policy.at,
      },
    ];
  },
};
