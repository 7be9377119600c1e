/**
 * Truth suite for the Sinatra hand-set model: every fixture app under
 * test/fixtures/truth/sinatra/<case>/app.rb is extracted into a policy (the real extractor),
 * answered by the model (through preview() for browser requests) and served by the real
 * Sinatra 3.0.5 (rack-protection 3.0.5, Rack 2.2) under Puma 5.6 (Debian packages) on 127.0.0.1.
 * Every exchange compares the status and every `access-control-*` and `vary` line (names
 * case-insensitively, values exactly, in order). sinatra-cross_origin is not in Debian, so its
 * part of the model has no real counterpart here (see the model's comment).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { HttpRequest } from '../../server/src/fetch';
import { extractSinatra } from '../../server/src/frameworks/sinatra/extract';
import { sinatraModel } from '../../server/src/frameworks/sinatra/model';
import { caseSuite, compareMatrix, onePolicy, startServer } from './support/python-truth';

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

caseSuite({
  title: 'Sinatra 3.0.5 hand-set model vs the real framework',
  cases,
  missing: missingSinatra(),
  installed: 'ruby, sinatra and puma are installed',
  install: 'apt-get install ruby-sinatra puma (see test/install-system.sh)',
  start: (c) => startServer(SERVE, path.join(FIXTURES, c, 'app.rb'), RUBY),
  run: async (name, port) => {
    const policy = await onePolicy(
      'ruby',
      path.join(FIXTURES, name, 'app.rb'),
      extractSinatra,
      'Sinatra CORS setup',
    );
    return compareMatrix(port, [policy], ORIGINS, () => sinatraModel, {
      extra: {
        label: 'sinatra',
        requests: sinatraRequests,
        respond: (req) => sinatraModel.respond(policy, req),
      },
    });
  },
});
