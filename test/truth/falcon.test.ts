/**
 * Truth suite for the Falcon model: every fixture app under test/fixtures/truth/falcon/<case>/app.py
 * is extracted into its policy (the real extractor), answered by the model (through preview() for
 * browser requests) and served by the real Falcon 3.1.1 (Debian's python3-falcon, /usr/bin/python3,
 * wsgiref) on 127.0.0.1. Every exchange compares the status and every `access-control-*` and
 * `vary` line, plus the `allow` line the model predicts.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { extractFalcon } from '../../server/src/frameworks/falcon/extract';
import { falconCors } from '../../server/src/frameworks/falcon/model';
import type { HttpRequest } from '../../server/src/fetch';
import {
  caseSuite,
  compareMatrix,
  missingPython,
  onePolicy,
  startServer,
} from './support/python-truth';
import { rawPreflight } from './support/preflight';

const FIXTURES = path.resolve(__dirname, '../fixtures/truth/falcon');
const SERVE = path.join(__dirname, 'falcon/serve.py');
const cases = readdirSync(FIXTURES).sort();

/** Falcon's own edges: unrouted paths, a method the resource lacks, bare and header-less preflights. */
function falconRequests(origin: string): HttpRequest[] {
  return [
    { method: 'GET', path: '/nowhere', headers: [['Origin', origin]] },
    rawPreflight(origin, '/nowhere', 'PUT'),
    { method: 'DELETE', path: '/api/items', headers: [['Origin', origin]] },
    rawPreflight(origin, '/api/items', 'DELETE', 'x-token'),
    rawPreflight(origin, '/api/items/7', 'PATCH'),
    { method: 'GET', path: '/api/items/7', headers: [['Origin', origin]] },
  ];
}

const COMMON_ORIGINS = ['https://app.example.com', 'https://evil.example', 'null'];
/** Origins that probe what one case is about. */
const EXTRA_ORIGINS: Record<string, string[]> = {
  'credentials-for-some': ['https://admin.example.com', 'https://partner.example.org'],
};

caseSuite({
  title: 'Falcon 3.1.1 CORSMiddleware model vs the real library',
  cases,
  missing: missingPython(['falcon']),
  installed: 'the real Falcon is installed',
  install: 'apt-get install python3-falcon (see test/install-system.sh)',
  atLeast: 4,
  start: (c) => startServer(SERVE, path.join(FIXTURES, c, 'app.py')),
  run: async (name, port) => {
    const file = path.join(FIXTURES, name, 'app.py');
    const policy = await onePolicy('python', file, extractFalcon, 'Falcon CORS setup');
    const origins = [...COMMON_ORIGINS, ...(EXTRA_ORIGINS[name] ?? [])];
    return compareMatrix(port, [policy], origins, undefined, {
      extra: {
        label: 'falcon',
        requests: falconRequests,
        respond: (req) => falconCors.respond(policy, req),
      },
    });
  },
});
