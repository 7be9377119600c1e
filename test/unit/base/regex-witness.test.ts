/**
 * witnessOf: a text the pattern really matches (checked with the linear-time matcher), used to
 * ask a model about a path a policy covers.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { regexMatches, witnessOf } from '../../../server/src/base/regex';
import { sourceRegex } from '../../../server/src/frameworks/nextjs/paths';

test('a Next.js source with a group and an optional tail gives the shortest covered path', () => {
  const regex = sourceRegex('/api/(v1|v2)/client/:path*')!;
  assert.equal(witnessOf(regex, 'python-match'), '/api/v1/client');
  assert.equal(witnessOf(sourceRegex('/api/:id')!, 'python-match'), '/api/a');
});

test('classes, repeats and escapes give a matching text', () => {
  for (const pattern of [
    '^/v[0-9]+/items/\\d{2}$',
    '^/(?:admin|api)/[a-z_-]+\\.json$',
    '^/\\w+/$',
  ]) {
    const text = witnessOf(pattern, 'python-match');
    assert.ok(text !== undefined, pattern);
    assert.ok(regexMatches(pattern, 'python-match', '', text), `${pattern} on ${text}`);
  }
  assert.equal(witnessOf('^/v[0-9]+/items/\\d{2}$', 'python-match'), '/v1/items/11');
});

test('a pattern no simple text meets gives undefined, never a text it does not match', () => {
  assert.equal(witnessOf('^/a(?=b)$', 'js'), undefined); // lookahead: the engine cannot read it
  assert.equal(witnessOf('^/a\\bb$', 'python-match'), undefined); // the assertion fails on "/ab"
  assert.equal(witnessOf('^/x{300}$', 'python-match'), undefined); // longer than a witness is built for
});
