import type { Span, StaticValue } from '../../policy/types';
import type { KnownModules } from './settings-module';

/**
 * Header-name constants that Python web libraries export and hand-written CORS code writes with
 * (`response.headers[ACCESS_CONTROL_ALLOW_ORIGIN] = "*"` after `from corsheaders.middleware import
 * ...`, `hdrs.ACCESS_CONTROL_ALLOW_ORIGIN` after `from aiohttp import hdrs`). They are known here
 * because the analysis never reads installed packages. Values as django-cors-headers 4.x
 * (`corsheaders/middleware.py`) and aiohttp 3.x (`aiohttp/hdrs.py`) define them; header names are
 * case-insensitive, so older releases' lower-case spellings mean the same.
 */
const CORS_RESPONSE_HEADERS = [
  'Access-Control-Allow-Origin',
  'Access-Control-Allow-Credentials',
  'Access-Control-Allow-Headers',
  'Access-Control-Allow-Methods',
  'Access-Control-Expose-Headers',
  'Access-Control-Max-Age',
];
const AIOHTTP_HEADERS = [
  ...CORS_RESPONSE_HEADERS,
  'Access-Control-Request-Headers',
  'Access-Control-Request-Method',
  'Origin',
  'Vary',
];

/** `Access-Control-Allow-Origin` → `ACCESS_CONTROL_ALLOW_ORIGIN`, each prefixed. */
const constants = (headers: string[], prefix = ''): Record<string, (span: Span) => StaticValue> =>
  Object.fromEntries(
    headers.map((value) => [
      prefix + value.toUpperCase().replace(/-/g, '_'),
      (span: Span): StaticValue => ({ kind: 'str', value, span }),
    ]),
  );

export const libraryConstants: KnownModules = {
  'corsheaders.middleware': constants(CORS_RESPONSE_HEADERS),
  'aiohttp.hdrs': constants(AIOHTTP_HEADERS),
  // `from aiohttp import hdrs`: the module's names are read as `hdrs.X`.
  aiohttp: constants(AIOHTTP_HEADERS, 'hdrs.'),
};
