/**
 * Truth suite for the hand-set headers model on aiohttp: the fixture apps under
 * test/fixtures/truth/python-handset-aiohttp/<case>/app.py against the real aiohttp 3.8 (Debian's
 * python3-aiohttp, /usr/bin/python3) on 127.0.0.1 (see support/python-handset-suite.ts). The
 * fixtures are written in the shapes real aiohttp apps use (an `on_response_prepare` hook,
 * `@web.middleware`, the older middleware factory, a view's `headers=` dict): see
 * test/real-world/shape-sources.json.
 */
import path from 'node:path';
import { pythonHandsetSuite } from './support/python-handset-suite';

pythonHandsetSuite({
  title: 'hand-set headers model vs the real aiohttp',
  fixtures: path.resolve(__dirname, '../fixtures/truth/python-handset-aiohttp'),
  serve: path.join(__dirname, 'aiohttp-cors/serve.py'),
  modules: ['aiohttp'],
  installed: 'the real aiohttp is installed',
  install:
    'apt-get install python3-aiohttp-cors, which brings python3-aiohttp (see test/install-system.sh)',
  atLeast: 4,
  // aiohttp's own edge: a path no route matches (404 through the middlewares).
  edges: (origin) => [{ method: 'GET', path: '/nowhere', headers: [['Origin', origin]] }],
});
