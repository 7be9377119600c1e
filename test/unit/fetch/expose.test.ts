import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  parseExposeHeaders,
  readableResponseHeaders,
  type HeaderList,
} from '../../../server/src/fetch';

const response = (aceh?: string): HeaderList => [
  ['Content-Type', 'text/plain'],
  ['Cache-Control', 'no-store'],
  ['X-Exposed', '1'],
  ['X-Other', '2'],
  ['Set-Cookie', 'a=b'],
  ['Date', 'Mon, 01 Jan 2024 00:00:00 GMT'],
  ...(aceh === undefined ? [] : [['Access-Control-Expose-Headers', aceh] as [string, string]]),
];

describe('CORS-safelisted response-header name', () => {
  it('is all script reads without Access-Control-Expose-Headers', () => {
    assert.deepEqual(readableResponseHeaders(response(), 'omit'), [
      'cache-control',
      'content-type',
    ]);
  });
});

describe('CORS-filtered response (Access-Control-Expose-Headers)', () => {
  it('adds the exposed names, case-insensitively', () => {
    assert.deepEqual(readableResponseHeaders(response('x-EXPOSED'), 'include'), [
      'cache-control',
      'content-type',
      'x-exposed',
    ]);
  });
  it('exposes every name for * without credentials, but never Set-Cookie', () => {
    assert.deepEqual(readableResponseHeaders(response('*'), 'omit'), [
      'access-control-expose-headers',
      'cache-control',
      'content-type',
      'date',
      'x-exposed',
      'x-other',
    ]);
  });
  it('treats * as a literal name with credentials', () => {
    assert.deepEqual(readableResponseHeaders(response('*, x-other'), 'include'), [
      'cache-control',
      'content-type',
      'x-other',
    ]);
  });
  it('skips empty items but exposes nothing when an item is not a token', () => {
    assert.deepEqual(parseExposeHeaders(',X-Exposed,,x-other,'), ['x-exposed', 'x-other']);
    assert.deepEqual(parseExposeHeaders('x exposed, x-other'), []);
  });
});
