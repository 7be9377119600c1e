import { effectiveSetting } from '../extract/django';
import { allowlistSetting, djangoSettings, pythonList, suggestedOrigins } from './support/django';
import type { Check, TextEdit } from './types';

export const allowAllOrigins: Check = {
  id: 'allow-all-origins',
  severity: 'warning',
  description: 'Every origin is allowed; with credentials, any website can make authenticated calls as the user.',
  run(policy, context) {
    if (policy.framework !== 'django') return [];
    const setting = effectiveSetting(djangoSettings(policy), 'CORS_ALLOW_ALL_ORIGINS');
    if (setting?.value.kind !== 'bool' || !setting.value.value) return [];
    const credentials = policy.credentials === true;
    const text = context.text(setting.statement.file);
    const origins = suggestedOrigins(policy, context);
    const allowlist = allowlistSetting(policy);
    // With an allowlist already there, turning allow-all off is enough; else it replaces the line.
    const edit: TextEdit = allowlist
      ? { file: setting.value.span.file, start: setting.value.span.start, end: setting.value.span.end, newText: 'False' }
      : { ...setting.statement, newText: `CORS_ALLOWED_ORIGINS = ${pythonList(origins, text)}` };
    return [
      {
        severity: credentials ? 'error' : 'warning',
        message: credentials
          ? `${setting.name} = True with CORS_ALLOW_CREDENTIALS = True: django-cors-headers echoes any Origin with Access-Control-Allow-Credentials: true, so any website can send the user's cookies (those the browser sends cross-site) and read the authenticated responses.`
          : `${setting.name} = True: every website may read this API's responses. List the frontends in CORS_ALLOWED_ORIGINS instead.`,
        span: setting.statement,
        fix: {
          title: allowlist ? `Set ${setting.name} = False (CORS_ALLOWED_ORIGINS is set)` : `Allow only ${origins.join(', ')}`,
          edits: [edit],
        },
      },
    ];
  },
};
