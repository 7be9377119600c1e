import { allowAllOrigins } from './allow-all-origins';
import { allowHeadersDropsDefaults } from './allow-headers-drops-defaults';
import { allauthHeadlessHeaders } from './allauth-headless-headers';
import { corsMiddlewareMissing } from './cors-middleware-missing';
import { corsMiddlewareOrder } from './cors-middleware-order';
import { corsheadersNotInstalled } from './corsheaders-not-installed';
import { deprecatedSetting } from './deprecated-setting';
import { headlessFrontendNotAllowed } from './headless-frontend-not-allowed';
import { insecureOrigin } from './insecure-origin';
import { malformedOrigin } from './malformed-origin';
import { permissiveOriginRegex } from './permissive-origin-regex';
import type { Check } from './types';

/** Every check, in the order their findings are listed for one place. */
export const checks: readonly Check[] = [
  allowAllOrigins,
  permissiveOriginRegex,
  malformedOrigin,
  insecureOrigin,
  allauthHeadlessHeaders,
  headlessFrontendNotAllowed,
  allowHeadersDropsDefaults,
  corsMiddlewareMissing,
  corsMiddlewareOrder,
  corsheadersNotInstalled,
  deprecatedSetting,
];
