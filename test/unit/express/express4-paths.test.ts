/**
 * Express 4 path matching (path-to-regexp 0.1) as our model reads it, for projects whose
 * package.json or lockfile says Express 4, against the real Express 4 (the `express4` npm alias
 * of express@4) and, for the paths Express 5 rejects, the real Express 5 (`express`).
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import express from 'express';
import express4 from 'express4';
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
  '/api/items',
  '/api/itemss',
  '/api/items/42/x',
  '/acd',
  '/abcd',
  '/files/a.json',
  '/a-b',
  '/a-b-c',
];

const PATHS = [
  '*',
  '/*',
  '/api/*',
  '/api/:id',
  '/api/:id?',
  '/users/:id/posts',
  '/v1.0/*',
  '/api',
  '/files/*.json',
  // Regex syntax 0.1 passes through to RegExp.
  '/ab?cd',
  '/api/item+s',
  '/api/(items)?',
  '/api/:id(\\d+)',
  '/api/item[s]',
  '/api/:rest*',
  '/files/:name.:ext',
  '/:a-:b',
  '/api/:id(\\d+)?',
];
const REGISTRATIONS = (['get', 'use'] as const).flatMap((method) =>
  PATHS.map((path, index) => ({ method, path, mount: `/${method}-${index}` })),
);

/** One real Express 4 app: each registration under its own router, reached through a prefix. */
let base = '';
let close: () => void = () => undefined;
before(async () => {
  const app = express4();
  for (const { method, path, mount } of REGISTRATIONS) {
    const router = express4.Router();
    router[method](path, (_request, response) => {
      response.status(200).end('hit');
    });
    app.use(mount, router);
  }
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
after(() => close());

async function realMatches(mount: string): Promise<string[]> {
  const matched: string[] = [];
  for (const url of URLS) {
    const response = await fetch(`${base}${mount}${url === '/' ? '' : url}`);
    if (response.status === 200) matched.push(url);
    await response.arrayBuffer();
  }
  return matched;
}

describe('Express 4 paths match as the real Express 4 matches them', () => {
  for (const { method, path, mount } of REGISTRATIONS)
    test(`${method} ${path}`, async () => {
      const ours = URLS.filter((url) =>
        expressPathMatches({ kind: 'string', value: path }, url, method === 'use', 4),
      );
      assert.deepEqual(ours, await realMatches(mount));
    });
});

test("Express 5 rejects the same '*' paths at start-up, and our Express 5 reading matches nothing", () => {
  for (const path of ['*', '/*', '/api/*', '/api/:id?']) {
    assert.throws(() => express().get(path, () => undefined), TypeError, path);
    assert.deepEqual(
      URLS.filter((url) => expressPathMatches({ kind: 'string', value: path }, url, false)),
      [],
    );
  }
});
