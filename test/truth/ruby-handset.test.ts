/**
 * Truth suite for the Rails hand-set model: the controller of every fixture under
 * test/fixtures/truth/ruby-handset/<case>/controller.rb is extracted into a policy (the real
 * extractor), answered by the model (through preview() for browser requests) and served by real
 * ActionController from Rails 6.1 (Debian's ruby-rails) under Puma on 127.0.0.1, routed as the
 * model assumes (see serve.rb). Every exchange compares the status and every `access-control-*`
 * and `vary` line (names case-insensitively, values exactly, in order).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { DiskReader } from '../../server/src/base/disk-reader';
import type { HttpRequest } from '../../server/src/fetch';
import { extractRubyHandset } from '../../server/src/frameworks/ruby-handset/extract';
import { rubyHandset } from '../../server/src/frameworks/ruby-handset/model';
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
const FIXTURES = path.resolve(__dirname, '../fixtures/truth/ruby-handset');
const SERVE = path.join(__dirname, 'ruby-handset/serve.rb');
const cases = readdirSync(FIXTURES).sort();

function missingRails(): string | undefined {
  const probe = spawnSync(RUBY, ['-e', 'require "action_controller"; require "puma"'], {
    encoding: 'utf8',
  });
  if (probe.error) return `${RUBY} cannot run (${probe.error.message})`;
  if (probe.status !== 0)
    return `ruby cannot load actionpack and puma: ${probe.stderr.trim().split('\n').pop()}`;
  return undefined;
}

/** Rails' own edges: OPTIONS through callbacks, HEAD, writes, unrouted methods. */
function railsRequests(origin: string): HttpRequest[] {
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
    const policies = await extractRubyHandset(file, text, tree, new DiskReader());
    assert.equal(policies.length, 1, `expected one controller in ${file}`);
    return policies[0];
  } finally {
    tree.delete();
  }
}

async function runCase(name: string, port: number): Promise<Outcome> {
  const policy = await policyOf(path.join(FIXTURES, name, 'controller.rb'));
  const outcome = await compareMatrix(port, [policy], ORIGINS, () => rubyHandset);
  for (const req of ORIGINS.flatMap(railsRequests)) {
    const diff = difference('rails', req, rubyHandset.respond(policy, req), await send(port, req));
    outcome.exchanges++;
    if (diff) outcome.failures.push(diff);
    else outcome.agreed++;
  }
  return outcome;
}

describe('Rails 6.1 hand-set model vs real ActionController', () => {
  const missing = missingRails();
  const { servers, outcomes } = serveCases(
    cases,
    (c) => startServer(SERVE, path.join(FIXTURES, c, 'controller.rb'), RUBY),
    { missing },
  );

  test('ruby, actionpack and puma are installed', () => {
    assert.equal(
      missing,
      undefined,
      `${missing}\nInstall them with: apt-get install ruby-rails puma (see test/install-system.sh)`,
    );
  });

  for (const name of cases) {
    test(
      name,
      { skip: missing ? 'Rails is missing (see the failing install test)' : false },
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
