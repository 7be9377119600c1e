/**
 * Truth suite for the Sinatra hand-set model: every fixture app under
 * test/fixtures/truth/sinatra/<case>/app.rb is extracted into a policy (the real extractor),
 * answered by the model (through preview() for browser requests) and served by the real
 * Sinatra 3.0.5 (rack-protection 3.0.5, Rack 2.2) under Puma 5.6 (Debian packages) on 127.0.0.1.
 * Every exchange compares the status and every `access-control-*` and `vary` line (names
 * case-insensitively, values exactly, in order). sinatra-cross_origin is not in Debian, so its
 * part of the model has no real counterpart here (see the model's comment).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { extractSinatra } from '../../server/src/frameworks/sinatra/extract';
import { sinatraModel } from '../../server/src/frameworks/sinatra/model';
import { caseSuite, compareMatrix, onePolicy, startServer } from './support/python-truth';
import { missingRuby, rackEdgeRequests, RUBY, RUBY_ORIGINS } from './support/preflight';

const FIXTURES = path.resolve(__dirname, '../fixtures/truth/sinatra');
const SERVE = path.join(__dirname, 'sinatra/serve.rb');
const cases = readdirSync(FIXTURES).sort();

caseSuite({
  title: 'Sinatra 3.0.5 hand-set model vs the real framework',
  cases,
  missing: missingRuby(['sinatra/base', 'puma'], 'sinatra and puma'),
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
    return compareMatrix(port, [policy], RUBY_ORIGINS, () => sinatraModel, {
      extra: {
        label: 'sinatra',
        requests: rackEdgeRequests,
        respond: (req) => sinatraModel.respond(policy, req),
      },
    });
  },
});
