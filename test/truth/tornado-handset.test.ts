/**
 * Truth suite for the hand-set headers model on Tornado: the fixture apps under
 * test/fixtures/truth/python-handset-tornado/<case>/app.py against the real Tornado 6.2 (Debian's
 * python3-tornado, /usr/bin/python3) on 127.0.0.1 (see support/python-handset-suite.ts). The
 * fixtures are written in the shapes real Tornado apps use (headers in `set_default_headers`, an
 * `options` method answering preflights, a base class the API's handlers extend): see
 * test/real-world/SOURCES.md.
 */
import path from 'node:path';
import { pythonHandsetSuite } from './support/python-handset-suite';

pythonHandsetSuite({
  title: 'hand-set headers model vs the real Tornado',
  fixtures: path.resolve(__dirname, '../fixtures/truth/python-handset-tornado'),
  serve: path.join(__dirname, 'tornado/serve.py'),
  modules: ['tornado'],
  installed: 'the real Tornado is installed',
  install: 'apt-get install python3-tornado (see test/install-system.sh)',
  atLeast: 3,
  // Tornado's own edge: HEAD beside GET, which a handler answers only with a `head` method.
  edges: (origin) => [{ method: 'HEAD', path: '/api/items', headers: [['Origin', origin]] }],
});
