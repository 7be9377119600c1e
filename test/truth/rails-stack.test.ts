/**
 * The Rails middleware stack rack-cors-position reasons from, against a real Rails 6.1 app
 * (Debian's ruby-rails): where `use`, `insert_before` and `insert_after` put Rack::Cors decides
 * which middleware can answer before it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { RAILS_STACK } from '../../server/src/frameworks/rack-cors/middleware';

const run = spawnSync('/usr/bin/ruby', [path.join(__dirname, 'rails/stack.rb')], {
  encoding: 'utf8',
  env: { ...process.env, RAILS_ENV: 'development' },
  timeout: 60_000,
});
const lines = run.stdout.trim().split('\n');

test('ruby-rails 6.1 is installed and a default app starts', () => {
  assert.equal(
    run.status,
    0,
    `ruby could not start a Rails app: ${run.error?.message ?? run.stderr.trim().split('\n').slice(-3).join('\n')}\nInstall it with: apt-get install ruby-rails (see test/install-system.sh)`,
  );
  assert.match(lines[0], /^RAILS 6\.1\./);
});

test("the model's default stack is the real one, in order", () => {
  assert.deepEqual(RAILS_STACK, lines.slice(1));
});
