/**
 * Truth suite for the Rails hand-set model: the controller of every fixture under
 * test/fixtures/truth/ruby-handset/<case>/controller.rb is extracted into a policy (the real
 * extractor), answered by the model (through preview() for browser requests) and served by real
 * ActionController from Rails 6.1 (Debian's ruby-rails) under Puma on 127.0.0.1, routed as the
 * model assumes (see serve.rb). Every exchange compares the status and every `access-control-*`
 * and `vary` line (names case-insensitively, values exactly, in order).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { extractRubyHandset } from '../../server/src/frameworks/ruby-handset/extract';
import { rubyHandset } from '../../server/src/frameworks/ruby-handset/model';
import { caseSuite, compareMatrix, onePolicy, startServer } from './support/python-truth';
import { missingRuby, rackEdgeRequests, RUBY, RUBY_ORIGINS } from './support/preflight';

const FIXTURES = path.resolve(__dirname, '../fixtures/truth/ruby-handset');
const SERVE = path.join(__dirname, 'ruby-handset/serve.rb');
const cases = readdirSync(FIXTURES).sort();

caseSuite({
  title: 'Rails 6.1 hand-set model vs real ActionController',
  cases,
  missing: missingRuby(['action_controller', 'puma'], 'actionpack and puma'),
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
    return compareMatrix(port, [policy], RUBY_ORIGINS, () => rubyHandset, {
      extra: {
        label: 'rails',
        requests: rackEdgeRequests,
        respond: (req) => rubyHandset.respond(policy, req),
      },
    });
  },
});
