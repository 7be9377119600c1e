/**
 * Truth suite for the Sinatra hand-set model: every fixture app under
 * test/fixtures/truth/sinatra/<case>/app.rb is extracted into a policy (the real extractor),
 * answered by the model (through preview() for browser requests) and served by the real
 * Sinatra 3.0.5 (rack-protection 3.0.5, Rack 2.2) under Puma 5.6 (Debian packages) on 127.0.0.1.
 * Every exchange compares the status and every `access-control-*` and `vary` line (names
 * case-insensitively, values exactly, in order). sinatra-cross_origin is not in Debian, so its
 * part of the model has no real counterpart here (see the model's comment).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { DiskReader } from '../../server/src/base/disk-reader';
import type { HttpRequest } from '../../server/src/fetch';
import { extractSinatra } from '../../server/src/frameworks/sinatra/extract';
import { sinatraModel } from '../../server/src/frameworks/sinatra/model';
import { parseText } from '../../server/src/parsing/parser';
import type { Policy } from '../../server/src/policy/types';
import {
  compareMatrix,
  difference,
  send,
  serveCases,
  startServer,
  type Outcome,
} from './support/python-truth';

const RUBY = '/usr/bin/ruby';
const FIXTURES = path.resolve(__dirname, '../fixtures/truth/sinatra');
const SERVE = path.join(__dirname, 'sinatra/serve.rb');
const cases = readdirSync(FIXTURES).sort();

function missingSinatra(): string | undefined {
  const probe = spawnSync(RUBY, ['-e', 'require "sinatra/base"; require "puma"'], {
    encoding: 'utf8',
  });
  if (probe.error) return `${RUBY} cannot run (${probe.error.message})`;
  if (probe.status !== 0)
    return `ruby cannot load sinatra and puma: ${probe.stderr.trim().split('\n').pop()}`;
  return undefined;
}

/** Sinatra's own edges: OPTIONS routes and filters by path, HEAD, unsafe methods, halts. */
function sinatraRequests(origin: string): HttpRequest[] {
  const preflight = (p: string, method: string, headers?: string): HttpRequest => ({
    method: 'OPTIONS',
    path: p,
    headers: [
      ['Origin', origin],
      ['Access-Control-Request-Method', method],
      ...(headers === undefined
        ? []
        : [['Access-Control-Request-Headers', headers] as [string, string]]),
    ],
  });
  return [
    preflight('/api/items', 'PUT', 'content-type'),
    preflight('/api/items/7', 'DELETE', 'authorization'),
    preflight('/', 'GET'),
    { method: 'HEAD', path: '/api/items', headers: [['Origin', origin]] },
    { method: 'POST', path: '/api/items', headers: [['Origin', origin]] },
    { method: 'DELETE', path: '/api/items/7', headers: [['Origin', origin]] },
    { method: 'GET', path: '/nowhere', headers: [['Origin', origin]] },
    { method: 'OPTIONS', path: '/nowhere', headers: [] },
  ];
}

const ORIGINS = [
  'https://app.example.com',
  'https://evil.example',
  'null',
  'http://localhost:3000',
  'https://partner.example.org',
];

async function policyOf(file: string): Promise<Policy> {
  const text = readFileSync(file, 'utf8');
  const tree = await parseText('ruby', text);
  try {
    const policies = await extractSinatra(file, text, tree, new DiskReader());
    assert.equal(policies.length, 1, `expected one Sinatra CORS setup in ${file}`);
    return policies[0];
  } finally {
    tree.delete();
  }
}

async function runCase(name: string, port: number): Promise<Outcome> {
  const policy = await policyOf(path.join(FIXTURES, name, 'app.rb'));
  const outcome = await compareMatrix(port, [policy], ORIGINS, () => sinatraModel);
  for (const req of ORIGINS.flatMap(sinatraRequests)) {
    const diff = difference(
      'sinatra',
      req,
      sinatraModel.respond(policy, req),
      await send(port, req),
    );
    outcome.exchanges++;
    if (diff) outcome.failures.push(diff);
    else outcome.agreed++;
  }
  return outcome;
}

describe('Sinatra 3.0.5 hand-set model vs the real framework', () => {
  const missing = missingSinatra();
  const { servers, outcomes } = serveCases(
    cases,
    (c) => startServer(SERVE, path.join(FIXTURES, c, 'app.rb'), RUBY),
    { missing },
  );

  test('ruby, sinatra and puma are installed', () => {
    assert.equal(
      missing,
      undefined,
      `${missing}\nInstall them with: apt-get install ruby-sinatra puma (see test/install-system.sh)`,
    );
  });

  for (const name of cases) {
    test(
      name,
      { skip: missing ? 'Sinatra is missing (see the failing install test)' : false },
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
