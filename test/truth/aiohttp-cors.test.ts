/**
 * Truth suite for the aiohttp_cors model: every fixture app under
 * test/fixtures/truth/aiohttp-cors/<case>/app.py is extracted into a policy (the real extractor),
 * answered by the model (through preview() for browser requests) and served by the real
 * aiohttp_cors 0.7.0 over aiohttp 3.8.4 (Debian packages, /usr/bin/python3) on 127.0.0.1.
 * Every exchange compares the status and every `access-control-*` and `vary` line (names
 * case-insensitively, values exactly, in order). aiohttp_cors joins Allow-Headers and
 * Expose-Headers from Python sets, whose order changes with each process's string hashing, so
 * those two values are compared as sets of names (the model lists them sorted). The test client
 * closes each connection, so with `expose_headers="*"` aiohttp also lists the `Connection: close`
 * it adds; a browser keeps the connection alive and gets no such line, which is what the model
 * predicts, so `Connection` is left out of the real Expose-Headers value.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { HttpRequest, HttpResponse } from '../../server/src/fetch';
import { extractAiohttpCors } from '../../server/src/frameworks/aiohttp-cors/extract';
import { aiohttpCors } from '../../server/src/frameworks/aiohttp-cors/model';
import { factsOf } from '../../server/src/policy/types';
import {
  caseSuite,
  compareMatrix,
  missingPython,
  onePolicy,
  rawRequests,
  startServer,
} from './support/python-truth';
import { rawPreflight } from './support/preflight';

const FIXTURES = path.resolve(__dirname, '../fixtures/truth/aiohttp-cors');
const SERVE = path.join(__dirname, 'aiohttp-cors/serve.py');
const cases = readdirSync(FIXTURES).sort();

const SET_VALUED = new Set(['access-control-allow-headers', 'access-control-expose-headers']);
/** The response with set-ordered values sorted, so only their names are compared. */
const canonical = (response: HttpResponse): HttpResponse => ({
  status: response.status,
  headers: response.headers.map(([n, v]) => [
    n,
    SET_VALUED.has(n.toLowerCase())
      ? v
          .split(',')
          .filter((name) => name !== 'Connection')
          .sort()
          .join(',')
      : v,
  ]),
});

/** aiohttp_cors's own edges: method spelling, header spelling and spacing, missing parts. */
function aiohttpRequests(origin: string, routesKnown: boolean): HttpRequest[] {
  const preflight = (p: string, method: string | undefined, headers?: string) =>
    rawPreflight(origin, p, method, headers);
  return [
    preflight('/api/items', 'GET'),
    preflight('/api/items', 'get'),
    preflight('/api/items', 'PATCH', 'content-type,  X-Session-Token ,,'),
    preflight('/api/items', 'PUT', 'x-session-token'),
    preflight('/api/items', 'DELETE', 'Authorization'),
    preflight('/api/items/7', 'DELETE', 'content-type'),
    preflight('/api/items/7', 'patch'),
    preflight('/public/health', 'GET', ''),
    preflight('/', 'POST', 'x-unlisted'),
    { method: 'HEAD', path: '/api/items', headers: [['Origin', origin]] },
    {
      method: 'PUT',
      path: '/api/items',
      headers: [
        ['Origin', origin],
        ['Cookie', 'a=1'],
      ],
    },
    // The model assumes every path is routed when the module's routes cannot be listed.
    ...(routesKnown
      ? [{ method: 'GET', path: '/nowhere', headers: [['Origin', origin]] } satisfies HttpRequest]
      : []),
  ];
}

const COMMON_ORIGINS = [
  'https://app.example.com',
  'https://evil.example',
  'null',
  'http://localhost:3000',
];
const EXTRA_ORIGINS: Record<string, string[]> = {
  'comprehension-origins': ['https://admin.example.com', 'https://APP.example.com'],
  'exact-origins': ['https://app.example.com/', 'http://app.example.com'],
};

caseSuite({
  title: 'aiohttp_cors 0.7.0 model vs the real library',
  cases,
  missing: missingPython(['aiohttp', 'aiohttp_cors']),
  installed: 'the real aiohttp and aiohttp_cors are installed',
  install: 'apt-get install python3-aiohttp-cors (see test/install-system.sh)',
  atLeast: 10,
  start: (c) => startServer(SERVE, path.join(FIXTURES, c, 'app.py')),
  run: async (name, port) => {
    const file = path.join(FIXTURES, name, 'app.py');
    const policy = await onePolicy('python', file, extractAiohttpCors, 'aiohttp_cors setup');
    const routesKnown = !factsOf(policy, 'aiohttp-cors')?.routesUnknown;
    return compareMatrix(
      port,
      [policy],
      [...COMMON_ORIGINS, ...(EXTRA_ORIGINS[name] ?? [])],
      () => aiohttpCors,
      {
        policyFor: () => policy,
        raw: (origin) => [...rawRequests(origin), ...aiohttpRequests(origin, routesKnown)],
        canonical,
      },
    );
  },
});
