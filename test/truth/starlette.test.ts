/**
 * Truth suite for the Starlette model: every fixture app under
 * test/fixtures/truth/starlette/<case>/app.py is extracted into policies (the real extractor),
 * answered by the model (through preview() for browser requests) and served by the real
 * Starlette 0.26.1 / FastAPI 0.92 under uvicorn (Debian packages, /usr/bin/python3) on 127.0.0.1.
 * Every exchange compares the status and every `access-control-*` and `vary` line (names
 * case-insensitively, values exactly, in order), plus any other line the model predicts (the
 * preflight's content-length and content-type).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { extractStarlette } from '../../server/src/frameworks/starlette/extract';
import type { HttpRequest } from '../../server/src/fetch';
import { starletteCors } from '../../server/src/frameworks/starlette/model';
import {
  caseSuite,
  compareMatrix,
  missingPython,
  onePolicy,
  startServer,
} from './support/python-truth';
import { rawPreflight } from './support/preflight';

const FIXTURES = path.resolve(__dirname, '../fixtures/truth/starlette');
const SERVE = path.join(__dirname, 'starlette/serve.py');
const cases = readdirSync(FIXTURES).sort();

/** Starlette's own edges, beyond the shared matrix: cookies, ACRM/ACRH spellings, bare OPTIONS. */
function starletteRequests(origin: string): HttpRequest[] {
  const preflight = (method: string, headers?: string) =>
    rawPreflight(origin, '/api/items', method, headers);
  return [
    {
      method: 'GET',
      path: '/api/items',
      headers: [
        ['Origin', origin],
        ['Cookie', 'session=1'],
      ],
    },
    {
      method: 'POST',
      path: '/api/items',
      headers: [
        ['Origin', origin],
        ['Cookie', ''],
      ],
    },
    preflight(''),
    preflight('GET', ''),
    preflight('POST', 'content-type, X-TOKEN'),
    preflight('DELETE', 'x-token,x-api-key , authorization'),
    preflight('PATCH', 'Accept,Accept-Language,Content-Language,X-Requested-With'),
  ];
}

const COMMON_ORIGINS = [
  'https://app.example.com',
  'https://evil.example',
  'null',
  'http://localhost:3000',
];
/** Origins that probe what one case is about. */
const EXTRA_ORIGINS: Record<string, string[]> = {
  'regex-fullmatch': [
    'https://a.example.com',
    'https://a.b.example.com',
    'https://example.com',
    'https://a.example.com.evil.net',
    'http://a.example.com',
    'https://aXexample.com',
    'http://localhost:5173',
  ],
  'string-arguments': [
    'https://app.example.co',
    'https://app',
    'app.example.com',
    'https://app.example.com.evil.net',
  ],
  'app-factory': ['https://admin.example.com'],
  'mixed-case-names': ['https://App.example.com', 'https://app.example.com/'],
  'wildcard-and-list': ['https://www.example.org', 'https://www.example.org.evil.net'],
  'direct-wrap': ['NULL'],
};

caseSuite({
  title: 'starlette 0.26.1 model vs the real library',
  cases,
  missing: missingPython(['fastapi', 'starlette', 'uvicorn']),
  installed: 'the real FastAPI, Starlette and uvicorn are installed',
  install:
    'apt-get install python3-fastapi python3-starlette python3-uvicorn (see test/install-system.sh)',
  atLeast: 10,
  start: (c) => startServer(SERVE, path.join(FIXTURES, c, 'app.py')),
  run: async (name, port) => {
    const file = path.join(FIXTURES, name, 'app.py');
    const policy = await onePolicy('python', file, extractStarlette, 'CORSMiddleware setup');
    const origins = [...COMMON_ORIGINS, ...(EXTRA_ORIGINS[name] ?? [])];
    return compareMatrix(port, [policy], origins, undefined, {
      extra: {
        label: 'starlette',
        requests: starletteRequests,
        respond: (req) => starletteCors.respond(policy, req),
      },
    });
  },
});
