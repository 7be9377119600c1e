/**
 * Raw preflights and the Rack edge matrix the truth suites send as they are (no browser in
 * between), so each suite lists only the requests that pin down its own library's edges.
 */
import { spawnSync } from 'node:child_process';
import type { HttpRequest } from '../../../server/src/fetch';

/**
 * An `OPTIONS` preflight from `origin`: `method` and `headers` become
 * `Access-Control-Request-Method`/`-Headers`, each left out when undefined (an empty string is
 * sent as an empty line, which libraries treat apart from a missing one).
 */
export function rawPreflight(
  origin: string,
  path: string,
  method: string | undefined,
  headers?: string,
): HttpRequest {
  const line = (name: string, value: string | undefined): [string, string][] =>
    value === undefined ? [] : [[name, value]];
  return {
    method: 'OPTIONS',
    path,
    headers: [
      ['Origin', origin],
      ...line('Access-Control-Request-Method', method),
      ...line('Access-Control-Request-Headers', headers),
    ],
  };
}

export const RUBY = '/usr/bin/ruby';

/** Why `/usr/bin/ruby` cannot require `libraries` (named `what` in the message), or undefined. */
export function missingRuby(libraries: string[], what: string): string | undefined {
  const script = libraries.map((l) => `require "${l}"`).join('; ');
  const probe = spawnSync(RUBY, ['-e', script], { encoding: 'utf8' });
  if (probe.error) return `${RUBY} cannot run (${probe.error.message})`;
  if (probe.status !== 0)
    return `ruby cannot load ${what}: ${probe.stderr.trim().split('\n').pop()}`;
  return undefined;
}

/** The origins the Ruby hand-set suites (Rails, Sinatra) send. */
export const RUBY_ORIGINS = [
  'https://app.example.com',
  'https://evil.example',
  'null',
  'http://localhost:3000',
  'https://partner.example.org',
];

/**
 * Edges every Rack framework routes on its own: OPTIONS to routed and unrouted paths (through
 * the framework's callbacks or filters), HEAD, unsafe methods, a path nothing answers.
 */
export function rackEdgeRequests(origin: string): HttpRequest[] {
  return [
    rawPreflight(origin, '/api/items', 'PUT', 'content-type'),
    rawPreflight(origin, '/api/items/7', 'DELETE', 'authorization'),
    rawPreflight(origin, '/', 'GET'),
    { method: 'HEAD', path: '/api/items', headers: [['Origin', origin]] },
    { method: 'POST', path: '/api/items', headers: [['Origin', origin]] },
    { method: 'DELETE', path: '/api/items/7', headers: [['Origin', origin]] },
    { method: 'GET', path: '/nowhere', headers: [['Origin', origin]] },
    { method: 'OPTIONS', path: '/nowhere', headers: [] },
  ];
}

/**
 * Paths that differ from the matrix's routes only by case, a trailing slash or a bare prefix:
 * Fastify's find-my-way routes case-sensitively without folding a trailing slash, while Express
 * and middie (the Express middleware on Fastify) match paths case-insensitively.
 */
export function routerEdges(origin: string): HttpRequest[] {
  const get = (path: string): HttpRequest => ({
    method: 'GET',
    path,
    headers: [['Origin', origin]],
  });
  return [
    rawPreflight(origin, '/API/items', 'PUT'),
    rawPreflight(origin, '/Api/Items', 'DELETE', 'authorization'),
    rawPreflight(origin, '/api/items/', 'PUT'),
    rawPreflight(origin, '/api', 'PUT'),
    rawPreflight(origin, '/api/', 'PUT'),
    get('/API/items'),
    get('/api/items/'),
    get('/Public/Health'),
  ];
}
