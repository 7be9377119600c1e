import { single, type FrameworkDescriptor } from '../descriptor';
import { allauthHeadlessHeaders } from './checks/allauth-headless-headers';
import { allowHeadersDropsDefaults } from './checks/allow-headers-drops-defaults';
import { corsMiddlewareMissing } from './checks/cors-middleware-missing';
import { corsMiddlewareOrder } from './checks/cors-middleware-order';
import { corsheadersNotInstalled } from './checks/corsheaders-not-installed';
import { deprecatedSetting } from './checks/deprecated-setting';
import { headlessFrontendNotAllowed } from './checks/headless-frontend-not-allowed';
import { extractDjango } from './extract';
import { djangoFixes } from './fixes';
import { djangoCorsHeaders } from './model';
import { headlessFrontendOrigins } from './settings-helpers';

export const djangoFramework: FrameworkDescriptor = {
  id: 'django',
  name: 'django-cors-headers 3.14',
  grammars: ['python'],
  extract: single(extractDjango),
  model: djangoCorsHeaders,
  fixes: djangoFixes,
  checks: [
    allauthHeadlessHeaders,
    headlessFrontendNotAllowed,
    allowHeadersDropsDefaults,
    corsMiddlewareMissing,
    corsMiddlewareOrder,
    corsheadersNotInstalled,
    deprecatedSetting,
  ],
  devServer: { port: 8000, callPorts: [8000], launchWords: /\brunserver\b|\bdjango\b/ },
  frontendOrigins: (policy) => headlessFrontendOrigins(policy).map((o) => o.origin),
  // `from .base import *`: the setup comes from the module it star-imports.
  inheritsSetup: (_file, text) => /^[ \t]*from[ \t]+[\w.]+[ \t]+import[ \t]+\*/m.test(text),
};
