import { allowAllOrigins } from './allow-all-origins';
import { allowHeadersWildcardCredentials } from './allow-headers-wildcard-credentials';
import { allowHeadersStarAuthorization } from './allow-headers-star-authorization';
import { originOnPreflightOnly } from './origin-on-preflight-only';
import { customHeaderNotAllowed } from './custom-header-not-allowed';
import { insecureOrigin } from './insecure-origin';
import { malformedOrigin } from './malformed-origin';
import { missingVaryOrigin } from './missing-vary-origin';
import { permissiveOriginRegex } from './permissive-origin-regex';
import { catastrophicOriginRegex } from './catastrophic-origin-regex';
import { preflightMissingAllowHeaders } from './preflight-missing-allow-headers';
import { reflectAnyOrigin } from './reflect-any-origin';
import { corsSetupNotModelled } from './cors-setup-not-modelled';
import { misspeltCorsHeader } from './misspelt-cors-header';
import { corsHeaderOnRequest } from './cors-header-on-request';
import { analysisOverBudget } from './analysis-over-budget';
import { insecureEnvDefault } from './insecure-env-default';
import { devOriginInProduction } from './dev-origin-in-production';
import { worksInDevOnly } from './works-in-dev-only';
import { missingOriginFails } from './missing-origin-fails';
import { authorizationNotAllowed } from './authorization-not-allowed';
import { ignoredCorsOption } from './ignored-cors-option';
import type { Check } from './types';

/** The neutral checks: they read only the neutral policy and run on every framework's policies. */
export const neutralChecks: readonly Check[] = [
  allowAllOrigins,
  reflectAnyOrigin,
  permissiveOriginRegex,
  catastrophicOriginRegex,
  malformedOrigin,
  insecureOrigin,
  missingVaryOrigin,
  preflightMissingAllowHeaders,
  customHeaderNotAllowed,
  corsSetupNotModelled,
  misspeltCorsHeader,
  corsHeaderOnRequest,
  analysisOverBudget,
  allowHeadersWildcardCredentials,
  allowHeadersStarAuthorization,
  originOnPreflightOnly,
  insecureEnvDefault,
  devOriginInProduction,
  worksInDevOnly,
  missingOriginFails,
  authorizationNotAllowed,
  ignoredCorsOption,
];
