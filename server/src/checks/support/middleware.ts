import type { Policy, Setting } from '../../policy/types';
import { fullyKnown, listSetting, strItems } from './django';

export const CORS_MIDDLEWARE = 'corsheaders.middleware.CorsMiddleware';

/**
 * Middleware that can answer a request on its own (a redirect, a cached or static response)
 * before an inner middleware runs; a response made there never passes through CorsMiddleware
 * when CorsMiddleware sits below it. GZip is listed because django-cors-headers asks to be
 * placed above it as well.
 */
export const RESPONDERS: Record<string, string> = {
  'django.middleware.common.CommonMiddleware': 'CommonMiddleware (APPEND_SLASH redirects)',
  'whitenoise.middleware.WhiteNoiseMiddleware': 'WhiteNoiseMiddleware (serves static files)',
  'django.middleware.cache.FetchFromCacheMiddleware': 'FetchFromCacheMiddleware (serves cached responses)',
  'django.middleware.cache.UpdateCacheMiddleware': 'UpdateCacheMiddleware (caches responses)',
  'django.middleware.cache.CacheMiddleware': 'CacheMiddleware (serves cached responses)',
  'django.middleware.gzip.GZipMiddleware': 'GZipMiddleware',
};

/** MIDDLEWARE when fully known, with the positions that matter to CORS. */
export function middlewareFacts(policy: Policy): { setting: Setting; names: string[]; cors: number; firstResponder: number } | undefined {
  const setting = listSetting(policy, 'MIDDLEWARE');
  if (!setting || !fullyKnown(setting.value)) return undefined;
  const names = strItems(setting.value).map((s) => s.value);
  return { setting, names, cors: names.indexOf(CORS_MIDDLEWARE), firstResponder: names.findIndex((n) => n in RESPONDERS) };
}
