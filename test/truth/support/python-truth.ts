/**
 * Shared by the Python truth suites that compare a model with a real server started per fixture:
 * start `/usr/bin/python3 <script> <fixture>` (it prints `PORT n`), send raw HTTP requests, run
 * the browser's request matrix through `preview()` and the model, and compare line by line.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { DiskReader } from '../../../server/src/base/disk-reader';
import type { SourceReader } from '../../../server/src/base/source-reader';
import { parseText, type GrammarId } from '../../../server/src/parsing/parser';
import type { SourceTree } from '../../../server/src/parsing/source-tree';
import { modelFor } from '../../../server/src/frameworks';
import { policyForPath } from '../../../server/src/policy/paths';
import { preview } from '../../../server/src/replay/replay';
import {
  buildActualRequest,
  buildPreflightRequest,
  type CorsRequest,
  type HeaderList,
  type HttpRequest,
  type HttpResponse,
} from '../../../server/src/fetch';
import type { LibraryModel } from '../../../server/src/replay/library-model';
import type { Policy } from '../../../server/src/policy/types';
import {
  exchanges,
  startServer as startRealServer,
  type Outcome,
  type RealServer,
} from './real-server';

// Sending, comparing and tabulating are shared with the other truth suites.
export {
  agreementTable,
  assertAgreement,
  caseSuite,
  exchanges,
  installTest,
  responseDifference as difference,
  sendRaw as send,
  serveCases,
  type Outcome,
} from './real-server';

export const PYTHON = '/usr/bin/python3';

/** Why `/usr/bin/python3` cannot import `modules`, or undefined when it can. */
export function missingPython(modules: string[]): string | undefined {
  const probe = spawnSync(PYTHON, ['-c', `import ${modules.join(', ')}`], { encoding: 'utf8' });
  if (probe.error) return `${PYTHON} cannot run (${probe.error.message})`;
  if (probe.status !== 0)
    return `${PYTHON} cannot import ${modules.join(', ')}: ${probe.stderr.trim().split('\n').pop()}`;
  return undefined;
}

/** A started server and its port. */
export type Server = RealServer;

/** Starts `python3 script fixture` (or another `command`) and resolves once it prints `PORT n`. */
export function startServer(script: string, fixture: string, command = PYTHON): Promise<Server> {
  return startRealServer(command, [script, fixture], `the server for ${fixture}`);
}

const BASE = 'http://127.0.0.1:8000';
const json: HeaderList = [['Content-Type', 'application/json']];

/** Browser requests for one origin: simple, credentialed, preflighted, unlisted headers, paths. */
export function browserRequests(origin: string): CorsRequest[] {
  const r = (
    method: string,
    p: string,
    headers: HeaderList,
    credentials: CorsRequest['credentials'] = 'omit',
  ): CorsRequest => ({
    url: BASE + p,
    origin,
    method,
    headers,
    credentials,
  });
  return [
    r('GET', '/api/items', []),
    r('GET', '/api/items?page=2', [], 'include'),
    r('POST', '/api/items', json),
    r('PUT', '/api/items', [...json, ['X-Session-Token', 'abc']], 'include'),
    r('DELETE', '/api/items/42', [['Authorization', 'Bearer t']]),
    r('patch', '/api/items/42', json),
    r('GET', '/', [['X-Unlisted', '1']]),
    r('GET', '/public/health', []),
    r('POST', '/public/health', json),
  ];
}

/** Raw requests a browser would not send this way, to pin down the server's edges. */
export function rawRequests(origin: string): HttpRequest[] {
  return [
    { method: 'GET', path: '/api/items', headers: [] },
    { method: 'OPTIONS', path: '/api/items', headers: [['Origin', origin]] },
    {
      method: 'OPTIONS',
      path: '/api/items',
      headers: [
        ['Origin', origin],
        ['Access-Control-Request-Method', 'GE'],
      ],
    },
    {
      method: 'OPTIONS',
      path: '/api/items',
      headers: [
        ['Origin', origin],
        ['Access-Control-Request-Method', 'put'],
        ['Access-Control-Request-Headers', 'x-b, content-type,x-session-token'],
      ],
    },
    { method: 'OPTIONS', path: '/api/items', headers: [['Access-Control-Request-Method', 'PUT']] },
    { method: 'GET', path: '/api/items', headers: [['Origin', '']] },
  ];
}

/** Agreement of one fixture. */

/** What a suite changes in the matrix `compareMatrix` sends. */
export interface MatrixOptions {
  /** The policy that answers a path; by default the one `preview` picks among the policies. */
  policyFor?: (path: string) => Policy | undefined;
  /** The browser's requests per origin (default: `browserRequests`). */
  browser?: (origin: string) => CorsRequest[];
  /** Requests sent as they are, per origin (default: `rawRequests`). */
  raw?: (origin: string) => HttpRequest[];
  /** Normalises the model's and the server's responses before they are compared. */
  canonical?: (response: HttpResponse) => HttpResponse;
  /** A framework's own edge requests per origin, sent after the rest, with their model answer. */
  extra?: {
    label: string;
    requests: (origin: string) => HttpRequest[];
    respond: (req: HttpRequest) => HttpResponse;
  };
}

/**
 * Sends the whole matrix for each origin to the server and compares it with what the policy
 * covering each path (as `preview` picks it) and its model answer.
 */
export async function compareMatrix(
  port: number,
  policies: Policy[],
  origins: string[],
  model: (policy: Policy) => LibraryModel = modelFor,
  options: MatrixOptions = {},
): Promise<Outcome> {
  const { outcome, compare } = exchanges(port, options.canonical);
  const pick = options.policyFor ?? ((path: string) => policyForPath(policies, path));
  const answer = (req: HttpRequest): HttpResponse => {
    const policy = pick(req.path);
    return policy ? model(policy).respond(policy, req) : { status: 200, headers: [] };
  };
  for (const origin of origins) {
    for (const req of (options.browser ?? browserRequests)(origin)) {
      const policy = pick(new URL(req.url).pathname);
      const p = policy ? preview(policy, model(policy), req) : undefined;
      const preflight = buildPreflightRequest(req);
      if (p?.preflight.needed) await compare('preflight', preflight, p.preflight);
      // When the preflight fails the browser stops; the server's answer is still compared.
      const actual = buildActualRequest(req);
      await compare(
        p?.actual ? 'actual' : 'actual (not sent by a browser)',
        actual,
        p?.actual ?? answer(actual),
      );
    }
    for (const req of (options.raw ?? rawRequests)(origin)) await compare('raw', req, answer(req));
  }
  const extra = options.extra;
  if (extra)
    for (const req of origins.flatMap(extra.requests))
      await compare(extra.label, req, extra.respond(req));
  return outcome;
}

/** The one policy `extract` finds in `file` (parsed as `grammar`); fails when there is not one. */
export async function onePolicy(
  grammar: GrammarId,
  file: string,
  extract: (
    file: string,
    text: string,
    tree: SourceTree,
    reader: SourceReader,
  ) => Promise<Policy[]>,
  what: string,
): Promise<Policy> {
  const text = readFileSync(file, 'utf8');
  const tree = await parseText(grammar, text);
  try {
    const policies = await extract(file, text, tree, new DiskReader());
    assert.equal(policies.length, 1, `expected one ${what} in ${file}`);
    return policies[0];
  } finally {
    tree.delete();
  }
}
