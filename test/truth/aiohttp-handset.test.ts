/**
 * Truth suite for the hand-set headers model on aiohttp: every fixture app under
 * test/fixtures/truth/python-handset-aiohttp/<case>/app.py is extracted into a policy (the real
 * extractor), answered by the python-handset model (through preview() for browser requests) and
 * served by the real aiohttp 3.8 (Debian's python3-aiohttp, /usr/bin/python3) on 127.0.0.1.
 * Every exchange compares the status and every `access-control-*` and `vary` line (names
 * case-insensitively, values exactly, in order). The fixtures are written in the shapes real
 * aiohttp apps use (an `on_response_prepare` hook, `@web.middleware`, the older middleware
 * factory, a view's `headers=` dict): see test/real-world/shape-sources.json.
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

const FIXTURES = path.resolve(__dirname, '../fixtures/truth/python-handset-aiohttp');
const SERVE = path.join(__dirname, 'aiohttp-cors/serve.py');
const cases = readdirSync(FIXTURES).sort();

const COMMON_ORIGINS = [
  'https://app.example.com',
  'https://evil.example',
  'null',
  'http://localhost:3000',
];

/** aiohttp's routing edges: an unrouted path, a routed path with another method, a lower-case method. */
const routingRequests = (origin: string): HttpRequest[] => [
  { method: 'GET', path: '/nowhere', headers: [['Origin', origin]] },
  { method: 'DELETE', path: '/api/items', headers: [['Origin', origin]] },
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
  title: 'hand-set headers model vs the real aiohttp',
  cases,
  missing: missingPython(['aiohttp']),
  installed: 'the real aiohttp is installed',
  install:
    'apt-get install python3-aiohttp-cors, which brings python3-aiohttp (see test/install-system.sh)',
  atLeast: 4,
  start: (c) => startServer(SERVE, path.join(FIXTURES, c, 'app.py')),
  run: async (name, port) => {
    const file = path.join(FIXTURES, name, 'app.py');
    const policy = await onePolicy('python', file, extractPythonHandset, 'hand-set CORS policy');
    return compareMatrix(port, [policy], COMMON_ORIGINS, () => pythonHandset, {
      policyFor: () => policy,
      raw: (origin) => [...rawRequests(origin), ...routingRequests(origin)],
    });
  },
});
