import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generatedScript, mayHoldCalls } from '../../../server/src/workspace/frontend-calls';

const line = (n: number) => `${'x'.repeat(n - 1)}\n`;

test('a minified bundle (over 64 KB in long lines) is generated; a small one-liner is not', () => {
  assert.equal(generatedScript(line(70 * 1024)), true);
  assert.equal(generatedScript(line(10 * 1024)), false);
});

test('a long file of short lines is written by hand up to 512 KB, generated beyond', () => {
  assert.equal(generatedScript(line(60).repeat(5_000)), false);
  assert.equal(generatedScript(line(60).repeat(10_000)), true);
});

test('calls are collected from hand-written files that name fetch, axios or XMLHttpRequest', () => {
  assert.equal(mayHoldCalls('fetch("/api/items")\n'), true);
  assert.equal(mayHoldCalls('console.log(1)\n'), false);
  assert.equal(mayHoldCalls(`fetch("/x");${'y'.repeat(80 * 1024)}`), false);
});
