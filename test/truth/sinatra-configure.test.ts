/**
 * Truth for the Sinatra reading of `configure :development, :test do ... end` (extract.ts's
 * `configuredFor`): real Sinatra (Debian's ruby-sinatra) runs such a block only in the
 * environments it names. The extension enabled there (jekyll-admin's sinatra-cross_origin, not in
 * Debian) is stood in for by a setting the block sets: present in development, absent in
 * production, as the policy's `environments` say.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { missingRuby, RUBY } from './support/preflight';

const APP = `
require 'sinatra/base'
class AdminApi < Sinatra::Base
  configure :development, :test do
    set :cross_origin_stand_in, true
  end
end
print AdminApi.respond_to?(:cross_origin_stand_in)
`;

const ranIn = (environment: string) =>
  execFileSync(RUBY, ['-e', APP], {
    env: { ...process.env, RACK_ENV: environment },
    encoding: 'utf8',
  });

test('sinatra is installed', () =>
  assert.equal(missingRuby(['sinatra/base'], 'sinatra'), undefined));

test('a configure :development, :test block runs in development and test, not in production', () => {
  assert.equal(ranIn('development'), 'true');
  assert.equal(ranIn('test'), 'true');
  assert.equal(ranIn('production'), 'false');
});
