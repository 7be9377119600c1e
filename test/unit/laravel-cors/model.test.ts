/**
 * The laravel-cors model's cases, read off the source of Laravel's HandleCors and
 * fruitcake/php-cors' CorsService (no Laravel runs here: neither Debian nor npm ships it). Each row
 * is one config, one request and the exact CORS lines and status the source produces.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LaravelCorsFacts } from '../../../server/src/frameworks/laravel-cors/facts';
import {
  laravelRespond,
  pathMatches,
  strIs,
} from '../../../server/src/frameworks/laravel-cors/model';
import type { HeaderList } from '../../../server/src/fetch/types';

const span = { file: 'config/cors.php', start: 0, end: 0 };
const config = (
  over: Partial<Omit<LaravelCorsFacts, 'allowedOrigins' | 'patterns'>> & {
    origins?: string[];
    patterns?: string[];
  } = {},
): LaravelCorsFacts => {
  const { origins = ['*'], patterns = [], ...rest } = over;
  return {
    // Laravel's published config/cors.php.
    paths: ['api/*', 'sanctum/csrf-cookie'],
    allowedOrigins: origins.map((value) => ({ value, span })),
    patterns: patterns.map((value) => ({ value, span })),
    allowedMethods: ['*'],
    allowedHeaders: ['*'],
    exposedHeaders: [],
    maxAge: 0,
    supportsCredentials: false,
    middleware: 'global',
    lists: {},
    names: {
      origins: 'allowed_origins',
      patterns: 'allowed_origins_patterns',
      methods: 'allowed_methods',
      headers: 'allowed_headers',
      exposed: 'exposed_headers',
      maxAge: 'max_age',
      credentials: 'supports_credentials',
    },
    ...rest,
  };
};
const get = (
  origin?: string,
  path = '/api/items',
): { method: string; path: string; headers: HeaderList } => ({
  method: 'GET',
  path,
  headers: origin ? [['Origin', origin]] : [],
});
const preflight = (origin: string, method = 'PUT', headers?: string, path = '/api/items') => ({
  method: 'OPTIONS',
  path,
  headers: [
    ['Origin', origin],
    ['Access-Control-Request-Method', method],
    ...(headers ? [['Access-Control-Request-Headers', headers]] : []),
  ] as HeaderList,
});

const rows: [string, LaravelCorsFacts, ReturnType<typeof get>, number, HeaderList][] = [
  [
    'default config, simple GET: *',
    config(),
    get('https://a.test'),
    200,
    [['Access-Control-Allow-Origin', '*']],
  ],
  [
    'default config, GET without Origin: * all the same',
    config(),
    get(),
    200,
    [['Access-Control-Allow-Origin', '*']],
  ],
  [
    'default config, a path outside paths: nothing',
    config(),
    get('https://a.test', '/web'),
    200,
    [],
  ],
  ['`api/*` does not cover /api itself', config(), get('https://a.test', '/api'), 200, []],
  [
    'default config, preflight: 204, requested method and headers echoed, Max-Age 0, Vary for both',
    config(),
    preflight('https://a.test', 'put', 'X-A, content-type'),
    204,
    [
      ['Access-Control-Allow-Origin', '*'],
      ['Vary', 'Access-Control-Request-Method, Access-Control-Request-Headers'],
      ['Access-Control-Allow-Methods', 'PUT'],
      ['Access-Control-Allow-Headers', 'X-A, content-type'],
      ['Access-Control-Max-Age', '0'],
    ],
  ],
  [
    '* with supports_credentials: the Origin is echoed with Vary',
    config({ supportsCredentials: true }),
    get('https://evil.test'),
    200,
    [
      ['Access-Control-Allow-Origin', 'https://evil.test'],
      ['Vary', 'Origin'],
      ['Access-Control-Allow-Credentials', 'true'],
    ],
  ],
  [
    'one origin: sent to every request, no Vary',
    config({ origins: ['https://app.test'] }),
    get('https://evil.test'),
    200,
    [['Access-Control-Allow-Origin', 'https://app.test']],
  ],
  [
    'two origins, an unlisted one: only Vary',
    config({ origins: ['https://a.test', 'https://b.test'] }),
    get('https://evil.test'),
    200,
    [['Vary', 'Origin']],
  ],
  [
    'two origins, a listed one, exposed headers',
    config({ origins: ['https://a.test', 'https://b.test'], exposedHeaders: ['X-Total'] }),
    get('https://b.test'),
    200,
    [
      ['Access-Control-Allow-Origin', 'https://b.test'],
      ['Vary', 'Origin'],
      ['Access-Control-Expose-Headers', 'X-Total'],
    ],
  ],
  [
    'a wildcard origin becomes a pattern',
    config({ origins: ['https://*.example.com'] }),
    get('https://x.example.com'),
    200,
    [
      ['Access-Control-Allow-Origin', 'https://x.example.com'],
      ['Vary', 'Origin'],
    ],
  ],
  [
    'a pattern, no match',
    config({ origins: [], patterns: ['/^https:\\/\\/a\\.test$/'] }),
    get('https://a.test.evil'),
    200,
    [['Vary', 'Origin']],
  ],
  [
    'a pattern without delimiters: preg_match warns, Laravel answers 500 without CORS headers',
    config({ origins: ['https://a.test'], patterns: ['http://localhost:[0-9]+'] }),
    get('http://localhost:5173'),
    500,
    [],
  ],
  [
    'a pattern without delimiters: an origin listed exactly never reaches preg_match',
    config({ origins: ['https://a.test'], patterns: ['http://localhost:[0-9]+'] }),
    get('https://a.test'),
    200,
    [
      ['Access-Control-Allow-Origin', 'https://a.test'],
      ['Vary', 'Origin'],
    ],
  ],
  [
    'a pattern without delimiters: a request without Origin is not asked about',
    config({ origins: ['https://a.test'], patterns: ['http://localhost:[0-9]+'] }),
    get(),
    200,
    [['Vary', 'Origin']],
  ],
  [
    'listed methods and headers, null max_age',
    config({
      origins: ['https://a.test', 'https://b.test'],
      allowedMethods: ['get', 'post'],
      allowedHeaders: ['Content-Type', 'X-Token'],
      maxAge: null,
    }),
    preflight('https://a.test'),
    204,
    [
      ['Access-Control-Allow-Origin', 'https://a.test'],
      ['Vary', 'Origin, Access-Control-Request-Method'],
      ['Access-Control-Allow-Methods', 'GET, POST'],
      ['Access-Control-Allow-Headers', 'content-type, x-token'],
    ],
  ],
  [
    'a refused preflight: 204 with Vary only',
    config({ origins: ['https://a.test', 'https://b.test'] }),
    preflight('https://evil.test'),
    204,
    [['Vary', 'Origin, Access-Control-Request-Method']],
  ],
  [
    'OPTIONS without Access-Control-Request-Method reaches the app',
    config(),
    { method: 'OPTIONS', path: '/api/items', headers: [['Origin', 'https://a.test']] },
    200,
    [
      ['Vary', 'Access-Control-Request-Method'],
      ['Access-Control-Allow-Origin', '*'],
    ],
  ],
  [
    'HandleCors not in the stack: nothing',
    config({ middleware: 'missing' }),
    get('https://a.test'),
    200,
    [],
  ],
];

for (const [name, facts, request, status, headers] of rows) {
  test(name, () => assert.deepEqual(laravelRespond(facts, request), { status, headers }));
}

test('paths: Str::is on the decoded path without its leading slash', () => {
  assert.ok(strIs('api/*', 'api/users/1'));
  assert.ok(!strIs('api/*', 'API/users'));
  assert.ok(pathMatches(['/'], '/'));
  assert.ok(!pathMatches(['/'], '/api/x'));
  assert.ok(pathMatches(['/api/*/'], '/api/x?y=1'));
  assert.ok(pathMatches(['*'], '/anything'));
  assert.ok(pathMatches('all', '/x'));
});
