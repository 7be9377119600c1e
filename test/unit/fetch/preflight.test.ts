import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildActualRequest,
  buildPreflightRequest,
  needsPreflight,
  type CorsRequest,
} from '../../../server/src/fetch';

const base: CorsRequest = {
  url: 'http://127.0.0.1:5001/api/items?x=1#frag',
  origin: 'http://127.0.0.1:5000',
  method: 'GET',
  headers: [],
  credentials: 'omit',
};

describe('CORS-preflight flag (HTTP fetch)', () => {
  it('is not needed for a safelisted method with safelisted headers', () => {
    assert.deepEqual(needsPreflight({ ...base, headers: [['Content-Type', 'text/plain']] }), {
      needed: false,
      reasons: [],
      unsafeHeaderNames: [],
    });
  });
  it('is needed for a method that is not CORS-safelisted after normalization', () => {
    assert.equal(needsPreflight({ ...base, method: 'post' }).needed, false);
    assert.deepEqual(needsPreflight({ ...base, method: 'patch' }), {
      needed: true,
      reasons: ['method patch is not a CORS-safelisted method (GET, HEAD, POST)'],
      unsafeHeaderNames: [],
    });
  });
  it('is needed for CORS-unsafe request-header names, lowercased, unique and sorted', () => {
    const need = needsPreflight({
      ...base,
      method: 'POST',
      headers: [
        ['X-B', '1'],
        ['Content-Type', 'application/json'],
        ['x-b', '2'],
        ['X-A', '1'],
      ],
    });
    assert.deepEqual(need.unsafeHeaderNames, ['content-type', 'x-a', 'x-b']);
    assert.equal(
      need.reasons[0],
      'request header content-type is not a CORS-safelisted request-header',
    );
  });
  it('ignores forbidden request-headers, which fetch() drops', () => {
    assert.equal(
      needsPreflight({
        ...base,
        headers: [
          ['Cookie', 'a=b'],
          ['Sec-X', '1'],
          ['Origin', 'http://evil'],
        ],
      }).needed,
      false,
    );
  });
  it('treats repeated safelisted headers as one combined value (128-byte rule)', () => {
    const need = needsPreflight({
      ...base,
      headers: [
        ['Accept', 'a/' + 'b'.repeat(68)],
        ['Accept', 'c/' + 'd'.repeat(67)],
      ],
    });
    assert.deepEqual(need.unsafeHeaderNames, ['accept']);
  });
});

describe('CORS-preflight request', () => {
  it('is OPTIONS with Origin, Access-Control-Request-Method and sorted Access-Control-Request-Headers without spaces', () => {
    assert.deepEqual(
      buildPreflightRequest({
        ...base,
        method: 'patch',
        headers: [
          ['X-B', '1'],
          ['Authorization', 'x'],
          ['Cookie', 'c=1'],
        ],
      }),
      {
        method: 'OPTIONS',
        path: '/api/items?x=1',
        headers: [
          ['Origin', 'http://127.0.0.1:5000'],
          ['Access-Control-Request-Method', 'patch'],
          ['Access-Control-Request-Headers', 'authorization,x-b'],
        ],
      },
    );
  });
  it('has no Access-Control-Request-Headers when every header is safelisted', () => {
    assert.deepEqual(
      buildPreflightRequest({ ...base, method: 'delete', headers: [['Accept', 'text/html']] })
        .headers,
      [
        ['Origin', 'http://127.0.0.1:5000'],
        ['Access-Control-Request-Method', 'DELETE'],
      ],
    );
  });
});

describe('actual request', () => {
  it('carries the normalized method, Origin and the headers fetch() keeps', () => {
    assert.deepEqual(
      buildActualRequest({
        ...base,
        method: 'put',
        headers: [
          ['X-A', '1'],
          ['Host', 'evil'],
          ['x-a', '2'],
        ],
      }),
      {
        method: 'PUT',
        path: '/api/items?x=1',
        headers: [
          ['Origin', 'http://127.0.0.1:5000'],
          ['X-A', '1, 2'],
        ],
      },
    );
  });
  it('re-serializes a single byte Range on GET as Chromium does, not on POST', () => {
    assert.deepEqual(
      buildActualRequest({ ...base, headers: [['Range', 'Bytes = 0-1']] }).headers[1],
      ['Range', 'bytes=0-1'],
    );
    assert.deepEqual(
      buildActualRequest({ ...base, method: 'POST', headers: [['Range', 'Bytes = 0-1']] })
        .headers[1],
      ['Range', 'Bytes = 0-1'],
    );
  });
});
