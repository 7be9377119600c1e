import assert from 'node:assert/strict';
import { test } from 'node:test';
import { wildcardMatch } from '../../../server/src/base/glob';

test('an include glob fits the names nginx would read with it', () => {
  assert.equal(wildcardMatch('*.conf', 'cors.conf'), true);
  assert.equal(wildcardMatch('*.conf', 'cors.conf.bak'), false);
  assert.equal(wildcardMatch('api-*', 'api-cors'), true);
  assert.equal(wildcardMatch('*', 'anything'), true);
  assert.equal(wildcardMatch('a*b*c', 'aXXbYYc'), true);
  assert.equal(wildcardMatch('a*b*c', 'aXXbYY'), false);
  assert.equal(wildcardMatch('cors.conf', 'cors.conf'), true);
  assert.equal(wildcardMatch('', ''), true);
});

test('a glob of many stars against a long name that fails answers (no backtracking blow-up)', () => {
  // As a `.*a.*a...` regex this pattern takes minutes on this name.
  assert.equal(wildcardMatch('*a*a*a*a*a*a*a*a*a*a*a*a*b', `${'a'.repeat(4000)}.conf`), false);
  assert.equal(wildcardMatch('*a*a*a*a*a*a*a*a*a*a*a*a*b', `${'a'.repeat(4000)}b`), true);
});
