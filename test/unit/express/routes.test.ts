/**
 * The Express route index answers what a scan of every route answers: the routes a request path
 * matches, and the routes a prefix mount covers, in registration order.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ExpressLayer } from '../../../server/src/frameworks/express-cors/facts';
import {
  ExpressRoutes,
  routesOf,
  samplePath,
} from '../../../server/src/frameworks/express-cors/routes';
import {
  type ExpressPath,
  expressPathMatches,
} from '../../../server/src/lang/javascript/express-path';

const span = { file: 'app.js', start: 0, end: 0 };
const str = (value: string): ExpressPath => ({ kind: 'string', value });

/** Route and mount paths of every kind the index treats apart. */
const paths: ExpressPath[] = [
  ...[
    '/',
    '',
    '//',
    '//a',
    '/a',
    '/A/',
    'a',
    '/a//',
    '/a/b',
    '/a/B/c',
    '/api/items',
    '/api/items/:id',
    '/api/:v/items',
    '/api{/:v}',
    '/api/*rest',
    '/:id',
    '/*all',
    '/a/(x)',
    '/a\\/b',
    '/ſtatus',
    '/status',
    '/café/menu',
    '/a.b',
    '/x y',
  ].map(str),
  { kind: 'regex', pattern: '^\\/api\\/v\\d+', flags: '' },
  { kind: 'regex', pattern: 'items', flags: 'i' },
  { kind: 'dynamic' },
  { kind: 'all' },
];

const requests = [
  '',
  '/',
  '//',
  '//a',
  '/a',
  '/a/',
  '/A',
  'a',
  '/a//',
  '/a/b',
  '/a/b/c',
  '/A/b/C',
  '/api/items',
  '/API/Items/',
  '/api/items/7',
  '/api/v2/items',
  '/api',
  '/api/v1',
  '/api/a/b/c',
  '/status',
  '/STATUS',
  '/ſtatus',
  '/café/menu',
  '/a.b',
  '/aXb',
  '/x y',
  '/nowhere',
];

/** Each path as a route, twice (once per method), at increasing places. */
function routes(): ExpressLayer[] {
  return paths.flatMap((path, i) =>
    ['GET', 'POST'].map((method, j) => ({
      kind: 'route' as const,
      methods: [method],
      path,
      prefix: false,
      span,
      at: 4 * i + 2 * j + 1,
    })),
  );
}

test('the routes that can match a path are every route a scan finds, in order', () => {
  const all = routes();
  const index = routesOf(all);
  for (const pathname of requests) {
    const matches = (list: ExpressLayer[]) =>
      list.filter((r) => expressPathMatches(r.path, pathname, false));
    const expected = matches(all);
    assert.deepEqual(matches(index.candidates(pathname)), expected, pathname);
    assert.ok(expected.length > 0 || pathname === '/nowhere', `nothing matched ${pathname}`);
  }
  // A path no literal route starts like needs only the routes that do not start with a literal.
  const label = (p: ExpressPath) => (p.kind === 'string' ? p.value : p.kind);
  assert.deepEqual([...new Set(index.candidates('/nowhere').map((r) => r.path))].map(label), [
    '/api{/:v}',
    '/:id',
    '/*all',
    '/a\\/b',
    '/ſtatus',
    '/café/menu',
    'regex',
    'regex',
    'dynamic',
    'all',
  ]);
});

test('the routes a prefix mount covers are every earlier route a scan finds', () => {
  const all = routes();
  const index = new ExpressRoutes();
  all.forEach((r) => index.add(r));
  for (const path of paths)
    for (const at of [0, 30, 62, 1000]) {
      const mount: ExpressLayer = { kind: 'cors', methods: 'all', path, prefix: true, span, at };
      const expected = all.filter((r) => {
        const sample = samplePath(r);
        return r.at < at && sample !== undefined && expressPathMatches(path, sample, true);
      });
      assert.deepEqual(index.coveredBy(mount), expected, `${JSON.stringify(path)} at ${at}`);
    }
});

test('every policy of an app shares one index, written once as a digest', () => {
  const index = routesOf(routes());
  const text = JSON.stringify([{ routes: index }, { routes: index }]);
  assert.match(text, /^\[\{"routes":"[0-9a-f]{64}"\},\{"routes":"[0-9a-f]{64}"\}\]$/);
  const other = routesOf(routes().slice(1));
  assert.notEqual(JSON.stringify(other), JSON.stringify(index));
});
