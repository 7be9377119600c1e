import type { Policy } from '../../policy/types';
import type { CheckContext } from '../types';
import { USUAL_FRONTEND_ORIGINS } from '../../workspace/frontend-dev-server';

/**
 * The origins a fix puts in an allowlist: the user's `corsLens.allowedOrigins`, else the
 * frontends the framework's own settings name (allauth's HEADLESS_FRONTEND_URLS), else the usual
 * dev servers (Create React App / Next.js and Vite).
 */
export function suggestedOrigins(policy: Policy, context: CheckContext): string[] {
  if (context.allowedOrigins.length) return context.allowedOrigins;
  const frontends = context.framework(policy).frontendOrigins?.(policy) ?? [];
  return frontends.length ? frontends : [...USUAL_FRONTEND_ORIGINS];
}
