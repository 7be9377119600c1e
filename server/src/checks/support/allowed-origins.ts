import { originProblem } from './origin';
import type { Policy } from '../../policy/types';

/**
 * Origins the policy means to let in, for asking its model: the well-formed allowlisted ones,
 * else (allow-all, echo) two stand-ins.
 */
export function allowedOrigins(policy: Policy): string[] {
  const listed = policy.origins.exact
    .map((o) => o.value)
    // A browser's Origin is ASCII (hosts go out in punycode): another character is no request.
    .filter((o) => o !== 'null' && /^[\x21-\x7e]+$/.test(o) && !originProblem(o));
  const standIns =
    policy.origins.allowAll || policy.origins.reflectAny || policy.origins.echoesConfigured;
  if (listed.length || !standIns) return [...new Set(listed)];
  return ['https://app.example.com', 'https://admin.example.com'];
}
