import { appendElements, preferredQuote, pythonString } from '../fixes/python-sequence';
import { addStatementAfter, allowlistSetting, djangoSettings, headlessFrontendOrigins, literalSpan, pythonList } from './support/django';
import { compileOrigin } from './support/regex-bypass';
import type { Check, Fix, Report } from './types';

export const headlessFrontendNotAllowed: Check = {
  id: 'headless-frontend-not-allowed',
  severity: 'error',
  description: 'An origin of HEADLESS_FRONTEND_URLS is not in the CORS allowlist, so the allauth frontend is blocked.',
  run(policy, context) {
    if (policy.framework !== 'django' || policy.origins.allowAll || policy.origins.dynamic) return [];
    const allowed = new Set(policy.origins.exact.map((o) => o.value));
    const patterns = policy.origins.regexes.map((r) => compileOrigin(r.pattern, r.flavor));
    const missing = headlessFrontendOrigins(policy).filter((f) => !allowed.has(f.origin) && !patterns.some((p) => !p || p.test(f.origin)));
    if (!missing.length) return [];
    const setting = allowlistSetting(policy);
    const headless = djangoSettings(policy).get('HEADLESS_FRONTEND_URLS')!;
    const fixFor = (origin: string): Fix | undefined => {
      if (!setting) {
        // One statement for all of them, offered on the first finding.
        const text = context.text(headless.statement.file);
        const origins = missing.map((m) => m.origin);
        return { title: `Allow ${origins.join(', ')}`, edits: [addStatementAfter(text, headless.statement, `CORS_ALLOWED_ORIGINS = ${pythonList(origins, text)}`)] };
      }
      const text = context.text(setting.statement.file);
      const list = literalSpan(setting, text);
      const edit = list && appendElements(text, list, [pythonString(origin, preferredQuote(text))]);
      return edit && { title: `Add ${origin} to ${setting.name}`, edits: [edit] };
    };
    return missing.map((m, i): Report => ({
      message: `HEADLESS_FRONTEND_URLS points at ${m.origin}, which is not in ${setting?.name ?? 'CORS_ALLOWED_ORIGINS'}: the browser blocks that frontend's calls to the allauth API.`,
      span: m.span,
      fix: setting || i === 0 ? fixFor(m.origin) : undefined,
    }));
  },
};
