/**
 * Truth suite for the hand-set headers model on Tornado: every fixture app under
 * test/fixtures/truth/python-handset-tornado/<case>/app.py is extracted into a policy (the real
 * extractor), answered by the python-handset model (through preview() for browser requests) and
 * served by the real Tornado 6.2 (Debian's python3-tornado, /usr/bin/python3) on 127.0.0.1.
 * Every exchange compares the status and every `access-control-*` and `vary` line (names
 * case-insensitively, values exactly, in order). The fixtures are written in the shapes real
 * Tornado apps use (headers in `set_default_headers`, an `options` method answering preflights,
 * a base class the API's handlers extend): see test/real-world/SOURCES.md.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { extractPythonHandset } from '../../server/src/frameworks/python-handset/extract';
import { pythonHandset } from '../../server/src/frameworks/python-handset/model';
import type { HttpRequest } from '../../server/src/fetch';
import {
  caseSuite,
  compareMatrix,
  missingPython,
  onePolicy,
  rawRequests,
  startServer,
} from './support/python-truth';

const FIXTURES = path.resolve(__dirname, '../fixtures/truth/python-handset-tornado');
const SERVE = path.join(__dirname, 'tornado/serve.py');
const cases = readdirSync(FIXTURES).sort();

const COMMON_ORIGINS = [
  'https://app.example.com',
  'https://evil.example',
  'null',
  'http://localhost:3000',
];

/** Tornado's edges: a method no handler method takes, HEAD beside GET, a lower-case method. */
const methodRequests = (origin: string): HttpRequest[] => [
  { method: 'DELETE', path: '/api/items', headers: [['Origin', origin]] },
  { method: 'HEAD', path: '/api/items', headers: [['Origin', origin]] },
  { method: 'get', path: '/api/items', headers: [['Origin', origin]] },
  {
    method: 'OPTIONS',
    path: '/api/items/7',
    headers: [
      ['Origin', origin],
      ['Access-Control-Request-Method', 'PATCH'],
    ],
  },
];

caseSuite({
  title: 'hand-set headers model vs the real Tornado',
  cases,
  missing: missingPython(['tornado']),
  installed: 'the real Tornado is installed',
  install: 'apt-get install python3-tornado (see test/install-system.sh)',
  atLeast: 3,
  start: (c) => startServer(SERVE, path.join(FIXTURES, c, 'app.py')),
  run: async (name, port) => {
    const file = path.join(FIXTURES, name, 'app.py');
    const policy = await onePolicy('python', file, extractPythonHandset, 'hand-set CORS policy');
    return compareMatrix(port, [policy], COMMON_ORIGINS, () => pythonHandset, {
      policyFor: () => policy,
      raw: (origin) => [...rawRequests(origin), ...methodRequests(origin)],
    });
  },
});
