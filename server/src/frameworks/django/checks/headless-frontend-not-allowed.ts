import { headlessFrontendOrigins } from '../settings-helpers';
import { originMatcher } from '../../../base/regex';
import type { Check, Report } from '../../../checks/types';
import type { Fix } from '../../../policy/edits';

export const headlessFrontendNotAllowed: Check = {
  id: 'headless-frontend-not-allowed',
  severity: 'error',
  frameworks: ['django'],
  description:
    'An origin of HEADLESS_FRONTEND_URLS is not in the CORS allowlist, so the allauth frontend is blocked.',
  fix: { description: "add the frontend's origin", safety: 'safe' },
  run(policy, context) {
    if (policy.framework !== 'django' || policy.origins.allowAll || policy.origins.dynamic)
      return [];
    const allowed = new Set(policy.origins.exact.map((o) => o.value));
    const patterns = policy.origins.regexes.map((r) => originMatcher(r.pattern, r.flavor, r.flags));
    const missing = headlessFrontendOrigins(policy).filter(
      (f) => !allowed.has(f.origin) && !patterns.some((p) => !p.ok || p.test(f.origin)),
    );
    if (!missing.length) return [];
    const label = policy.origins.listAt?.label ?? 'CORS_ALLOWED_ORIGINS';
    // With no allowlist yet, the first finding's fix creates one holding all of them.
    const fixFor = (origins: string[]): Fix | undefined => {
      const edits = context.framework(policy).fixes.addOrigins(policy, origins, context);
      return edits && { title: `Add ${origins.join(', ')} to ${label}`, edits };
    };
    return missing.map((m, i): Report => ({
      message: `HEADLESS_FRONTEND_URLS points at ${m.origin}, which is not in ${label}: the browser blocks that frontend's calls to the allauth API.`,
      span: m.span,
      fix: policy.origins.listAt
        ? fixFor([m.origin])
        : i === 0
          ? fixFor(missing.map((o) => o.origin))
          : undefined,
    }));
  },
};
