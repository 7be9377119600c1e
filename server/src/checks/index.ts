import { allowAllOrigins } from './allow-all-origins';
import { allowHeadersDropsDefaults } from './allow-headers-drops-defaults';
import { allowHeadersWildcardCredentials } from './allow-headers-wildcard-credentials';
import { allauthHeadlessHeaders } from './allauth-headless-headers';
import { corsMiddlewareMissing } from './cors-middleware-missing';
import { customHeaderNotAllowed } from './custom-header-not-allowed';
import { corsMiddlewareOrder } from './cors-middleware-order';
import { corsheadersNotInstalled } from './corsheaders-not-installed';
import { deprecatedSetting } from './deprecated-setting';
import { expressCorsAfterRoutes } from './express-cors-after-routes';
import { expressOptionsWildcard } from './express-options-wildcard';
import { headlessFrontendNotAllowed } from './headless-frontend-not-allowed';
import { insecureOrigin } from './insecure-origin';
import { malformedOrigin } from './malformed-origin';
import { missingVaryOrigin } from './missing-vary-origin';
import { nextRouteMissingOptions } from './next-route-missing-options';
import { permissiveOriginRegex } from './permissive-origin-regex';
import { preflightMissingAllowHeaders } from './preflight-missing-allow-headers';
import { rackCorsPosition } from './rack-cors-position';
import { reflectAnyOrigin } from './reflect-any-origin';
import { duplicateAllowOrigin } from './duplicate-allow-origin';
import { nginxAddHeaderInheritance } from './nginx-add-header-inheritance';
import { nginxAddHeaderWithoutAlways } from './nginx-add-header-without-always';
import { nginxEmptyOriginVariable } from './nginx-empty-origin-variable';
import type { Check } from './types';

/** Every check, in the order their findings are listed for one place. */
export const checks: readonly Check[] = [
  allowAllOrigins,
  reflectAnyOrigin,
  permissiveOriginRegex,
  malformedOrigin,
  insecureOrigin,
  missingVaryOrigin,
  preflightMissingAllowHeaders,
  nextRouteMissingOptions,
  customHeaderNotAllowed,
  allauthHeadlessHeaders,
  headlessFrontendNotAllowed,
  allowHeadersDropsDefaults,
  allowHeadersWildcardCredentials,
  corsMiddlewareMissing,
  corsMiddlewareOrder,
  corsheadersNotInstalled,
  deprecatedSetting,
  expressCorsAfterRoutes,
  expressOptionsWildcard,
  rackCorsPosition,
  nginxAddHeaderInheritance,
  nginxAddHeaderWithoutAlways,
  nginxEmptyOriginVariable,
  duplicateAllowOrigin,
];
