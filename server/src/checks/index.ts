import { allowAllOrigins } from './allow-all-origins';
import { allowHeadersDropsDefaults } from '../frameworks/django/checks/allow-headers-drops-defaults';
import { allowHeadersWildcardCredentials } from './allow-headers-wildcard-credentials';
import { allauthHeadlessHeaders } from '../frameworks/django/checks/allauth-headless-headers';
import { corsMiddlewareMissing } from '../frameworks/django/checks/cors-middleware-missing';
import { customHeaderNotAllowed } from './custom-header-not-allowed';
import { corsMiddlewareOrder } from '../frameworks/django/checks/cors-middleware-order';
import { corsheadersNotInstalled } from '../frameworks/django/checks/corsheaders-not-installed';
import { deprecatedSetting } from '../frameworks/django/checks/deprecated-setting';
import { expressCorsAfterRoutes } from '../frameworks/express-cors/checks/express-cors-after-routes';
import { expressOptionsWildcard } from '../frameworks/express-cors/checks/express-options-wildcard';
import { headlessFrontendNotAllowed } from '../frameworks/django/checks/headless-frontend-not-allowed';
import { insecureOrigin } from './insecure-origin';
import { malformedOrigin } from './malformed-origin';
import { missingVaryOrigin } from './missing-vary-origin';
import { nextRouteMissingOptions } from '../frameworks/nextjs/checks/next-route-missing-options';
import { permissiveOriginRegex } from './permissive-origin-regex';
import { preflightMissingAllowHeaders } from './preflight-missing-allow-headers';
import { rackCorsPosition } from '../frameworks/rack-cors/checks/rack-cors-position';
import { reflectAnyOrigin } from './reflect-any-origin';
import { duplicateAllowOrigin } from '../frameworks/nginx/checks/duplicate-allow-origin';
import { nginxAddHeaderInheritance } from '../frameworks/nginx/checks/nginx-add-header-inheritance';
import { nginxAddHeaderWithoutAlways } from '../frameworks/nginx/checks/nginx-add-header-without-always';
import { nginxEmptyOriginVariable } from '../frameworks/nginx/checks/nginx-empty-origin-variable';
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
