import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  authorRequestHeaders,
  corsUnsafeRequestHeaderNames,
  isCorsSafelistedMethod,
  isCorsSafelistedRequestHeader,
  isForbiddenMethod,
  isForbiddenRequestHeader,
  isSimpleRangeHeaderValue,
  mimeTypeEssence,
  normalizeMethod,
} from '../../../server/src/fetch';

describe('method normalize', () => {
  it('upper-cases DELETE, GET, HEAD, OPTIONS, POST, PUT only', () => {
    assert.deepEqual(['get', 'Post', 'delete', 'options', 'head', 'put'].map(normalizeMethod), [
      'GET',
      'POST',
      'DELETE',
      'OPTIONS',
      'HEAD',
      'PUT',
    ]);
    assert.equal(normalizeMethod('patch'), 'patch');
    assert.equal(normalizeMethod('Patch'), 'Patch');
  });
});

describe('CORS-safelisted method', () => {
  it('is GET, HEAD or POST, byte-exact', () => {
    assert.equal(isCorsSafelistedMethod('GET'), true);
    assert.equal(isCorsSafelistedMethod('HEAD'), true);
    assert.equal(isCorsSafelistedMethod('POST'), true);
    assert.equal(isCorsSafelistedMethod('PUT'), false);
    assert.equal(isCorsSafelistedMethod('get'), false);
  });
});

describe('forbidden method', () => {
  it('is CONNECT, TRACE or TRACK in any case', () => {
    assert.equal(isForbiddenMethod('trace'), true);
    assert.equal(isForbiddenMethod('Connect'), true);
    assert.equal(isForbiddenMethod('TRACK'), true);
    assert.equal(isForbiddenMethod('PATCH'), false);
  });
});

describe('forbidden request-header', () => {
  it('covers the listed names, Sec- and Proxy- prefixes, and User-Agent (Chromium)', () => {
    for (const name of [
      'Cookie',
      'Origin',
      'Host',
      'Sec-Custom',
      'proxy-authorization',
      'User-Agent',
      'DNT',
      'Set-Cookie',
      'Via',
      'Keep-Alive',
    ]) {
      assert.equal(isForbiddenRequestHeader(name, 'x'), true, name);
    }
    assert.equal(isForbiddenRequestHeader('X-Custom', 'x'), false);
    assert.equal(isForbiddenRequestHeader('Authorization', 'Bearer t'), false);
  });
  it('forbids a method-override header only when it names a forbidden method', () => {
    assert.equal(isForbiddenRequestHeader('X-HTTP-Method-Override', 'TRACE'), true);
    assert.equal(isForbiddenRequestHeader('X-Method-Override', 'put, trace'), true);
    assert.equal(isForbiddenRequestHeader('X-HTTP-Method-Override', 'PUT'), false);
  });
  it('is dropped from the request header list, repeats are combined and values trimmed', () => {
    const { kept, dropped } = authorRequestHeaders([
      ['Cookie', 'a=b'],
      ['X-A', ' 1 '],
      ['x-a', '2'],
      ['Sec-Thing', '1'],
    ]);
    assert.deepEqual(kept, [['X-A', '1, 2']]);
    assert.deepEqual(dropped, ['cookie', 'sec-thing']);
  });
});

describe('MIME type essence (parse a MIME type)', () => {
  it('lower-cases type/subtype and ignores parameters and surrounding whitespace', () => {
    assert.equal(mimeTypeEssence('Text/Plain ; charset=utf-8'), 'text/plain');
    assert.equal(mimeTypeEssence(' text/plain;'), 'text/plain');
    assert.equal(mimeTypeEssence('text /plain'), undefined);
    assert.equal(mimeTypeEssence('text'), undefined);
    assert.equal(mimeTypeEssence('text/plain, application/json'), undefined);
  });
});

describe('simple range header value', () => {
  it('accepts bytes=N- and bytes=N-M with N <= M, nothing else', () => {
    assert.equal(isSimpleRangeHeaderValue('bytes=0-1'), true);
    assert.equal(isSimpleRangeHeaderValue('bytes=5-'), true);
    assert.equal(isSimpleRangeHeaderValue('bytes=-5'), false);
    assert.equal(isSimpleRangeHeaderValue('bytes=5-1'), false);
    assert.equal(isSimpleRangeHeaderValue('bytes = 0-1'), false);
    assert.equal(isSimpleRangeHeaderValue('bytes=0-1,3-4'), false);
    assert.equal(isSimpleRangeHeaderValue('Bytes=0-1'), false);
  });
});

describe('CORS-safelisted request-header', () => {
  it('allows values up to 128 bytes and no more', () => {
    assert.equal(isCorsSafelistedRequestHeader('Accept', 'a/' + 'b'.repeat(126)), true);
    assert.equal(isCorsSafelistedRequestHeader('Accept', 'a/' + 'b'.repeat(127)), false);
  });
  it('rejects CORS-unsafe request-header bytes in Accept', () => {
    assert.equal(isCorsSafelistedRequestHeader('accept', 'text/html'), true);
    assert.equal(isCorsSafelistedRequestHeader('accept', 'text/"html"'), false);
    assert.equal(isCorsSafelistedRequestHeader('accept', 'a@b'), false);
  });
  it('limits Accept-Language and Content-Language to alphanumerics and " *,-.;="', () => {
    assert.equal(isCorsSafelistedRequestHeader('Accept-Language', 'en-US,en;q=0.9'), true);
    assert.equal(isCorsSafelistedRequestHeader('Content-Language', '*'), true);
    assert.equal(isCorsSafelistedRequestHeader('Accept-Language', 'en_US'), false);
    assert.equal(isCorsSafelistedRequestHeader('Content-Language', 'de:ch'), false);
  });
  it('allows Content-Type only for the three form essences', () => {
    assert.equal(isCorsSafelistedRequestHeader('Content-Type', 'text/plain;charset=utf-8'), true);
    assert.equal(
      isCorsSafelistedRequestHeader('Content-Type', 'multipart/form-data; boundary=x'),
      true,
    );
    assert.equal(
      isCorsSafelistedRequestHeader('Content-Type', 'application/x-www-form-urlencoded'),
      true,
    );
    assert.equal(isCorsSafelistedRequestHeader('Content-Type', 'application/json'), false);
    assert.equal(
      isCorsSafelistedRequestHeader('Content-Type', 'text/plain; charset="utf-8"'),
      false,
    );
  });
  it('allows Range only as a simple range', () => {
    assert.equal(isCorsSafelistedRequestHeader('Range', 'bytes=0-1'), true);
    assert.equal(isCorsSafelistedRequestHeader('Range', 'bytes=-1'), false);
  });
  it('does not safelist any other name', () => {
    assert.equal(isCorsSafelistedRequestHeader('X-Custom', '1'), false);
    assert.equal(isCorsSafelistedRequestHeader('Authorization', 'Bearer t'), false);
  });
});

describe('CORS-unsafe request-header names', () => {
  it('lists unsafe names lowercased in header-list order', () => {
    assert.deepEqual(
      corsUnsafeRequestHeaderNames([
        ['X-B', '1'],
        ['Accept', 'text/html'],
        ['Content-Type', 'application/json'],
      ]),
      ['x-b', 'content-type'],
    );
  });
  it('makes every safelisted header unsafe once their values exceed 1024 bytes in total', () => {
    const v = 'a'.repeat(120);
    const headers: [string, string][] = Array.from({ length: 9 }, (_, i) => [
      `Content-Language`,
      `${v}${i}`,
    ]);
    assert.equal(corsUnsafeRequestHeaderNames(headers).length, 9);
    assert.deepEqual(corsUnsafeRequestHeaderNames(headers.slice(0, 8)), []);
  });
});
