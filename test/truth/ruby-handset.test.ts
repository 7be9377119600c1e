/**
 * Truth suite for the Rails hand-set model: the controller of every fixture under
 * test/fixtures/truth/ruby-handset/<case>/controller.rb is extracted into a policy (the real
 * extractor), answered by the model (through preview() for browser requests) and served by real
 * ActionController from Rails 6.1 (Debian's ruby-rails) under Puma on 127.0.0.1, routed as the
 * model assumes (see serve.rb). Every exchange compares the status and every `access-control-*`
 * and `vary` line (names case-insensitively, values exactly, in order).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { HttpRequest } from '../../server/src/fetch';
import { extractRubyHandset } from '../../server/src/frameworks/ruby-handset/extract';
import { rubyHandset } from '../../server/src/frameworks/ruby-handset/model';
import { caseSuite, compareMatrix, onePolicy, startServer } from './support/python-truth';

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

caseSuite({
  title: 'Rails 6.1 hand-set model vs real ActionController',
  cases,
  missing: missingRails(),
  installed: 'ruby, actionpack and puma are installed',
  install: 'apt-get install ruby-rails puma (see test/install-system.sh)',
  start: (c) => startServer(SERVE, path.join(FIXTURES, c, 'controller.rb'), RUBY),
  run: async (name, port) => {
    const policy = await onePolicy(
      'ruby',
      path.join(FIXTURES, name, 'controller.rb'),
      extractRubyHandset,
      'controller',
    );
    return compareMatrix(port, [policy], ORIGINS, () => rubyHandset, {
      extra: {
        label: 'rails',
        requests: railsRequests,
        respond: (req) => rubyHandset.respond(policy, req),
      },
    });
  },
});
