import { djangoSettings, fullyKnown, listSetting, strItems } from '../settings-helpers';
import { djangoAllowHeadersEdits } from '../allow-headers-edits';
import type { Check } from '../../../checks/types';

/** Request headers allauth's headless API reads (django-allauth `allauth/headless`). */
export const HEADLESS_HEADERS = [
  'x-session-token',
  'x-email-verification-key',
  'x-password-reset-key',
];

/** A headless endpoint under the URL prefix allauth's docs mount it at (`_allauth/`). */
const HEADLESS_PATH = '/_allauth/browser/v1/auth/session';

/**
 * Whether CORS_URLS_REGEX keeps corsheaders off the headless endpoints (wger: `^/api/.*$`): then
 * its headers never reach those responses and CORS_ALLOW_HEADERS does not matter to them.
 */
function urlsRegexExcludesHeadless(urlRegex: string | null): boolean {
  if (typeof urlRegex !== 'string' || urlRegex === 'dynamic') return false;
  try {
    // corsheaders uses re.match: anchored at the start of the path.
    return !new RegExp(`^(?:${urlRegex})`).test(HEADLESS_PATH);
  } catch {
    return false;
  }
}

export const allauthHeadlessHeaders: Check = {
  id: 'allauth-headless-headers',
  severity: 'error',
  frameworks: ['django'],
  description:
    'allauth.headless is installed but CORS_ALLOW_HEADERS does not allow the headers its frontend sends.',
  fix: { description: 'add exactly the missing allauth headers', safety: 'safe' },
  run(policy, context) {
    if (policy.framework !== 'django') return [];
    const apps = listSetting(policy, 'INSTALLED_APPS');
    const headless = strItems(apps?.value).find((a) => a.value === 'allauth.headless');
    if (!apps || !headless || urlsRegexExcludesHeadless(policy.urlRegex)) return [];
    const allowed = djangoSettings(policy).get('CORS_ALLOW_HEADERS');
    if (allowed && (allowed.value.kind !== 'list' || !fullyKnown(allowed.value))) return [];
    const names = new Set(strItems(allowed?.value).map((h) => h.value.toLowerCase()));
    const missing = HEADLESS_HEADERS.filter((h) => !names.has(h));
    if (!missing.length) return [];
    const edits = djangoAllowHeadersEdits(policy, missing, allowed, context);
    const list = missing.map((h) => `'${h}'`).join(', ');
    return [
      {
        message: `allauth.headless is installed but CORS_ALLOW_HEADERS does not allow ${list}: the browser blocks the frontend's preflight ("Request header field ${missing[0]} is not allowed by Access-Control-Allow-Headers in preflight response").`,
        span: allowed ? allowed.nameSpan : headless.span,
        fix:
          edits.length === 0 ? undefined : { title: `Allow ${list} in CORS_ALLOW_HEADERS`, edits },
      },
    ];
  },
};
