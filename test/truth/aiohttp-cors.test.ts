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
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { DiskReader } from '../../server/src/base/disk-reader';
import type { HttpRequest, HttpResponse } from '../../server/src/fetch';
import { extractAiohttpCors } from '../../server/src/frameworks/aiohttp-cors/extract';
import { aiohttpCors } from '../../server/src/frameworks/aiohttp-cors/model';
import { parseText } from '../../server/src/parsing/parser';
import { factsOf, type Policy } from '../../server/src/policy/types';
import {
  browserRequests,
  missingPython,
  rawRequests,
  send,
  serveCases,
  startServer,
  type Outcome,
} from './support/python-truth';
import { buildActualRequest, buildPreflightRequest } from '../../server/src/fetch';
import { preview } from '../../server/src/replay/replay';
import { responseDifference } from './support/real-server';

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
  const preflight = (p: string, method: string | undefined, headers?: string): HttpRequest => ({
    method: 'OPTIONS',
    path: p,
    headers: [
      ['Origin', origin],
      ...(method === undefined
        ? []
        : [['Access-Control-Request-Method', method] as [string, string]]),
      ...(headers === undefined
        ? []
        : [['Access-Control-Request-Headers', headers] as [string, string]]),
    ],
  });
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

async function policyOf(file: string): Promise<Policy> {
  const text = readFileSync(file, 'utf8');
  const tree = await parseText('python', text);
  try {
    const policies = await extractAiohttpCors(file, text, tree, new DiskReader());
    assert.equal(policies.length, 1, `expected one aiohttp_cors setup in ${file}`);
    return policies[0];
  } finally {
    tree.delete();
  }
}

async function runCase(name: string, port: number): Promise<Outcome> {
  const policy = await policyOf(path.join(FIXTURES, name, 'app.py'));
  const outcome: Outcome = { exchanges: 0, agreed: 0, failures: [] };
  const compare = async (label: string, req: HttpRequest, predicted: HttpResponse) => {
    const diff = responseDifference(
      label,
      req,
      canonical(predicted),
      canonical(await send(port, req)),
    );
    outcome.exchanges++;
    if (diff) outcome.failures.push(diff);
    else outcome.agreed++;
  };
  for (const origin of [...COMMON_ORIGINS, ...(EXTRA_ORIGINS[name] ?? [])]) {
    for (const req of browserRequests(origin)) {
      const p = preview(policy, aiohttpCors, req);
      if (p.preflight.needed) await compare('preflight', buildPreflightRequest(req), p.preflight);
      const actual = buildActualRequest(req);
      await compare(
        p.actual ? 'actual' : 'actual (not sent by a browser)',
        actual,
        p.actual ?? aiohttpCors.respond(policy, actual),
      );
    }
    for (const req of [
      ...rawRequests(origin),
      ...aiohttpRequests(origin, !factsOf(policy, 'aiohttp-cors')?.routesUnknown),
    ])
      await compare('raw', req, aiohttpCors.respond(policy, req));
  }
  return outcome;
}

describe('aiohttp_cors 0.7.0 model vs the real library', () => {
  const missing = missingPython(['aiohttp', 'aiohttp_cors']);
  const { servers, outcomes } = serveCases(
    cases,
    (c) => startServer(SERVE, path.join(FIXTURES, c, 'app.py')),
    { missing },
  );

  test('the real aiohttp and aiohttp_cors are installed', () => {
    assert.equal(
      missing,
      undefined,
      `${missing}\nInstall them with: apt-get install python3-aiohttp-cors (see test/install-system.sh)`,
    );
  });

  test('there are at least 10 configurations', () =>
    assert.ok(cases.length >= 10, `expected at least 10 truth fixtures in ${FIXTURES}`));

  for (const name of cases) {
    test(
      name,
      { skip: missing ? 'aiohttp_cors is missing (see the failing install test)' : false },
      async () => {
        const server = servers.get(name);
        assert.ok(server, `no server for ${name}`);
        const outcome = await runCase(name, server.port);
        outcomes.set(name, outcome);
        assert.equal(
          outcome.failures.length,
          0,
          `${outcome.failures.length} of ${outcome.exchanges} exchanges disagree:\n${outcome.failures.slice(0, 8).join('\n')}`,
        );
      },
    );
  }
});
