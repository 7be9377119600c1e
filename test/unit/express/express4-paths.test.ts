/**
 * Express 4 path matching (path-to-regexp 0.1), for projects whose package.json or lockfile says
 * Express 4. Express 4 is no dependency here (node_modules has Express 5), so the table below was
 * recorded from express 4.22.3 installed in a scratch folder: each route (`app.get(path)`) or
 * mount (`app.use(path)`) and the request paths that reached its handler (200) out of URLS.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { expressPathMatches } from '../../../server/src/lang/javascript/express-path';

const URLS = [
  '/',
  '/api',
  '/api/',
  '/api/42',
  '/API/42/',
  '/api/42/x',
  '/users/7/posts',
  '/v1.0/x',
  '/files/a/b.json',
  '/apix',
];

/** What real Express 4.22.3 answered: registration → the URLs that matched. */
const EXPRESS_4: [string, string[]][] = [
  [
    'get *',
    [
      '/',
      '/api',
      '/api/',
      '/api/42',
      '/API/42/',
      '/api/42/x',
      '/users/7/posts',
      '/v1.0/x',
      '/files/a/b.json',
      '/apix',
    ],
  ],
  [
    'get /*',
    [
      '/',
      '/api',
      '/api/',
      '/api/42',
      '/API/42/',
      '/api/42/x',
      '/users/7/posts',
      '/v1.0/x',
      '/files/a/b.json',
      '/apix',
    ],
  ],
  ['get /api/*', ['/api/', '/api/42', '/API/42/', '/api/42/x']],
  ['get /api/:id', ['/api/42', '/API/42/']],
  ['get /api/:id?', ['/api', '/api/', '/api/42', '/API/42/']],
  ['get /users/:id/posts', ['/users/7/posts']],
  ['get /v1.0/*', ['/v1.0/x']],
  ['get /api', ['/api', '/api/']],
  ['get /files/*.json', ['/files/a/b.json']],
  [
    'use *',
    [
      '/',
      '/api',
      '/api/',
      '/api/42',
      '/API/42/',
      '/api/42/x',
      '/users/7/posts',
      '/v1.0/x',
      '/files/a/b.json',
      '/apix',
    ],
  ],
  [
    'use /*',
    [
      '/',
      '/api',
      '/api/',
      '/api/42',
      '/API/42/',
      '/api/42/x',
      '/users/7/posts',
      '/v1.0/x',
      '/files/a/b.json',
      '/apix',
    ],
  ],
  ['use /api/*', ['/api/', '/api/42', '/API/42/', '/api/42/x']],
  ['use /api/:id', ['/api/42', '/API/42/', '/api/42/x']],
  ['use /api/:id?', ['/api', '/api/', '/api/42', '/API/42/', '/api/42/x']],
  ['use /users/:id/posts', ['/users/7/posts']],
  ['use /v1.0/*', ['/v1.0/x']],
  ['use /api', ['/api', '/api/', '/api/42', '/API/42/', '/api/42/x']],
  ['use /files/*.json', ['/files/a/b.json']],
];

describe('Express 4 paths match as express 4.22.3 matched them', () => {
  for (const [registration, matched] of EXPRESS_4)
    test(registration, () => {
      const [method, path] = registration.split(' ');
      const ours = URLS.filter((url) =>
        expressPathMatches({ kind: 'string', value: path }, url, method === 'use', 4),
      );
      assert.deepEqual(ours, matched);
    });
});

test("Express 5 reads the same '*' paths as start-up errors that match nothing", () => {
  for (const path of ['*', '/*', '/api/*', '/api/:id?'])
    assert.deepEqual(
      URLS.filter((url) => expressPathMatches({ kind: 'string', value: path }, url, false)),
      [],
    );
});
