/**
 * The nelmio-cors model's cases, read off NelmioCorsBundle 2.6.0's CorsListener and ConfigProvider
 * (no Symfony runs here: neither Debian nor npm ships it). Each row is one set of options, one
 * request, and the exact status and CORS lines the source produces.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type {
  NelmioCorsFacts,
  NelmioOptions,
} from '../../../server/src/frameworks/nelmio-cors/facts';
import { nelmioRespond } from '../../../server/src/frameworks/nelmio-cors/model';
import type { HeaderList } from '../../../server/src/fetch/types';

const span = { file: 'nelmio_cors.yaml', start: 0, end: 0 };
const opts = (over: Partial<NelmioOptions> & { origins?: string[] } = {}): NelmioOptions => {
  const { origins = ['https://app.test'], ...rest } = over;
  return {
    allowOrigin: origins.includes('*')
      ? true
      : origins.map((value) => ({ value, span, known: true })),
    originRegex: false,
    allowCredentials: false,
    allowHeaders: ['content-type', 'authorization'],
    allowMethods: ['GET', 'POST', 'PUT'],
    exposeHeaders: [],
    maxAge: 3600,
    allowPrivateNetwork: false,
    ...rest,
  };
};
const facts = (defaults: NelmioOptions, paths: NelmioCorsFacts['paths'] = []): NelmioCorsFacts => ({
  defaults,
  paths,
});
const get = (origin?: string, path = '/api/items') => ({
  method: 'GET',
  path,
  headers: (origin ? [['Origin', origin]] : []) as HeaderList,
});
const preflight = (origin: string, method = 'PUT', headers?: string) => ({
  method: 'OPTIONS',
  path: '/api/items',
  headers: [
    ['Origin', origin],
    ['Access-Control-Request-Method', method],
    ...(headers ? [['Access-Control-Request-Headers', headers]] : []),
  ] as HeaderList,
});

const rows: [string, NelmioCorsFacts, ReturnType<typeof get>, number, HeaderList][] = [
  [
    'an allowed origin: echoed, no Vary on the actual response',
    facts(opts()),
    get('https://app.test'),
    200,
    [['Access-Control-Allow-Origin', 'https://app.test']],
  ],
  ['no Origin: nothing', facts(opts()), get(), 200, []],
  [
    'a refused origin: the app answers without CORS headers',
    facts(opts()),
    get('https://evil.test'),
    200,
    [],
  ],
  [
    '* with credentials: every origin echoed',
    facts(opts({ origins: ['*'], allowCredentials: true })),
    get('https://evil.test'),
    200,
    [
      ['Access-Control-Allow-Origin', 'https://evil.test'],
      ['Access-Control-Allow-Credentials', 'true'],
    ],
  ],
  [
    'preflight, allowed',
    facts(opts({ allowCredentials: true })),
    preflight('https://app.test', 'PUT', 'content-type'),
    200,
    [
      ['Vary', 'Origin'],
      ['Access-Control-Allow-Credentials', 'true'],
      ['Access-Control-Allow-Methods', 'GET, POST, PUT'],
      ['Access-Control-Allow-Headers', 'content-type, authorization'],
      ['Access-Control-Max-Age', '3600'],
      ['Access-Control-Allow-Origin', 'https://app.test'],
    ],
  ],
  [
    'preflight, refused origin: lines but no Allow-Origin',
    facts(opts()),
    preflight('https://evil.test'),
    200,
    [
      ['Vary', 'Origin'],
      ['Access-Control-Allow-Methods', 'GET, POST, PUT'],
      ['Access-Control-Allow-Headers', 'content-type, authorization'],
      ['Access-Control-Max-Age', '3600'],
    ],
  ],
  [
    'preflight, method not allowed: 405',
    facts(opts()),
    preflight('https://app.test', 'DELETE'),
    405,
    [
      ['Vary', 'Origin'],
      ['Access-Control-Allow-Methods', 'GET, POST, PUT'],
      ['Access-Control-Allow-Headers', 'content-type, authorization'],
      ['Access-Control-Max-Age', '3600'],
      ['Access-Control-Allow-Origin', 'https://app.test'],
    ],
  ],
  [
    'preflight, header not allowed: 400',
    facts(opts({ maxAge: 0 })),
    preflight('https://app.test', 'PUT', 'x-token'),
    400,
    [
      ['Vary', 'Origin'],
      ['Access-Control-Allow-Methods', 'GET, POST, PUT'],
      ['Access-Control-Allow-Headers', 'content-type, authorization'],
      ['Access-Control-Allow-Origin', 'https://app.test'],
    ],
  ],
  [
    'origin_regex: searched case-insensitively',
    facts(opts({ origins: ['^https://[a-z]+\\.app\\.test$'], originRegex: true })),
    get('https://X.APP.test'),
    200,
    [['Access-Control-Allow-Origin', 'https://X.APP.test']],
  ],
  [
    'a path regex picks its options; other paths get the defaults',
    facts(opts({ origins: [] }), [
      { regex: '^/api/', options: opts({ origins: ['https://b.test'] }), span },
    ]),
    get('https://b.test'),
    200,
    [['Access-Control-Allow-Origin', 'https://b.test']],
  ],
  [
    'the defaults outside the paths',
    facts(opts({ origins: [] }), [
      { regex: '^/api/', options: opts({ origins: ['https://b.test'] }), span },
    ]),
    get('https://b.test', '/web'),
    200,
    [],
  ],
];

for (const [name, f, request, status, headers] of rows) {
  test(name, () => assert.deepEqual(nelmioRespond(f, request), { status, headers }));
}
