/**
 * A truth suite of the hand-set Python headers model against one real server: every fixture app
 * under `fixtures/<case>/app.py` is extracted into a policy (the real extractor), answered by the
 * python-handset model (through preview() for browser requests) and served by `serve` on
 * 127.0.0.1. Every exchange compares the status and every `access-control-*` and `vary` line
 * (names case-insensitively, values exactly, in order).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { extractPythonHandset } from '../../../server/src/frameworks/python-handset/extract';
import { pythonHandset } from '../../../server/src/frameworks/python-handset/model';
import type { HttpRequest } from '../../../server/src/fetch';
import {
  caseSuite,
  compareMatrix,
  missingPython,
  onePolicy,
  rawRequests,
  startServer,
} from './python-truth';

const ORIGINS = [
  'https://app.example.com',
  'https://evil.example',
  'null',
  'http://localhost:3000',
];

export interface HandsetSuite {
  title: string;
  /** The folder of fixture cases, each an `app.py`. */
  fixtures: string;
  /**
   * The case's file `serve` is given and the one the policy is read from (both `app.py` unless
   * said: a Django project is served from its settings, its middleware module read).
   */
  files?: { served: string; read: string };
  /** The script that serves one app (`serve.py APP_FILE`, printing `PORT <n>`). */
  serve: string;
  /** The Python modules the server needs, and how to install them. */
  modules: string[];
  installed: string;
  install: string;
  atLeast: number;
  /** Requests of the server's own edges, sent as they are, per origin (beside `methodEdges`). */
  edges: (origin: string) => HttpRequest[];
}

/**
 * Method edges every server answers in its own way: a method the routes do not take, a
 * lower-case method, a preflight for PATCH on a deeper path.
 */
const methodEdges = (origin: string): HttpRequest[] => [
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

export function pythonHandsetSuite(suite: HandsetSuite): void {
  const files = suite.files ?? { served: 'app.py', read: 'app.py' };
  caseSuite({
    title: suite.title,
    cases: readdirSync(suite.fixtures).sort(),
    missing: missingPython(suite.modules),
    installed: suite.installed,
    install: suite.install,
    atLeast: suite.atLeast,
    start: (c) => startServer(suite.serve, path.join(suite.fixtures, c, files.served)),
    run: async (name, port) => {
      const file = path.join(suite.fixtures, name, files.read);
      const policy = await onePolicy('python', file, extractPythonHandset, 'hand-set CORS policy');
      return compareMatrix(port, [policy], ORIGINS, () => pythonHandset, {
        policyFor: () => policy,
        raw: (origin) => [...rawRequests(origin), ...methodEdges(origin), ...suite.edges(origin)],
      });
    },
  });
}
