import {
  elementAt,
  insertElement,
  preferredQuote,
  pythonString,
} from '../../../lang/python/sequence-edits';
import { literalSpan, strItems } from '../settings-helpers';
import { CORS_MIDDLEWARE, middlewareFacts, otherCorsMiddleware } from '../middleware';
import type { Check } from '../../../checks/types';

export const corsMiddlewareMissing: Check = {
  id: 'cors-middleware-missing',
  severity: 'error',
  frameworks: ['django'],
  description:
    'CORS is configured but CorsMiddleware is not in MIDDLEWARE, so no CORS header is ever sent.',
  fix: {
    description: 'insert CorsMiddleware above the first responding middleware',
    safety: 'safe',
  },
  run(policy, context) {
    if (policy.framework !== 'django') return [];
    const facts = middlewareFacts(policy);
    if (!facts?.complete || facts.cors >= 0) return [];
    // The project's own CORS middleware sends the headers: the django-cors-headers settings
    // beside it do nothing, and adding corsheaders would stack a second CORS layer (lufecity,
    // held-out batch 49; Rx-Adherence-app, earlier).
    const own = otherCorsMiddleware(policy);
    if (own)
      return [
        {
          severity: 'warning',
          message: `These CORS_* settings are django-cors-headers', whose CorsMiddleware is not in MIDDLEWARE: they do nothing. The CORS headers come from ${own}; set them there, or remove the settings.`,
          span: facts.setting.nameSpan,
        },
      ];
    const text = context.text(facts.setting.statement.file);
    const list = literalSpan(facts.setting, text);
    // Above the first middleware that can answer on its own, else first.
    const responder = strItems(facts.setting.value)[facts.firstResponder];
    const at = list && responder ? elementAt(text, list, responder.span.start) : 0;
    const edit =
      list && at >= 0
        ? insertElement(text, list, at, pythonString(CORS_MIDDLEWARE, preferredQuote(text)))
        : undefined;
    return [
      {
        message: `'${CORS_MIDDLEWARE}' is missing from MIDDLEWARE: the CORS settings have no effect and no response carries CORS headers.`,
        span: facts.setting.nameSpan,
        fix: edit && { title: 'Add CorsMiddleware to MIDDLEWARE', edits: [edit] },
      },
    ];
  },
};
