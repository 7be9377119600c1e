import type { Policy } from '../../policy/types';
import type { CheckContext } from '../types';
import { USUAL_FRONTEND_ORIGINS } from '../../workspace/frontend-dev-server';

/**
 * The origins a fix puts in an allowlist: the user's `corsLens.allowedOrigins`, else the
 * frontends the framework's own settings name (allauth's HEADLESS_FRONTEND_URLS), else the
 * origins the setup already lists beside its echo of every other (an allowlist a flag can stand
 * in for), else the usual dev servers (Create React App / Next.js and Vite).
 */
export function suggestedOrigins(policy: Policy, context: CheckContext): string[] {
  if (context.allowedOrigins.length) return context.allowedOrigins;
  const frontends = context.framework(policy).frontendOrigins?.(policy) ?? [];
  if (frontends.length) return frontends;
  const listed = [...new Set(policy.origins.exact.map((o) => o.value))];
  return policy.origins.reflectAny && listed.length ? listed : [...USUAL_FRONTEND_ORIGINS];
}
