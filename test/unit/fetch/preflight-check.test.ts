import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkPreflightResponse,
  parseAllowList,
  preflightCacheSeconds,
  type CorsRequest,
  type HeaderList,
} from '../../../server/src/fetch';

const origin = 'http://127.0.0.1:5000';
const req = (
  method: string,
  headers: HeaderList = [],
  credentials: CorsRequest['credentials'] = 'omit',
): CorsRequest => ({
  url: 'http://127.0.0.1:5001/x',
  origin,
  method,
  headers,
  credentials,
});
const star: [string, string] = ['Access-Control-Allow-Origin', '*'];

describe('CORS-preflight fetch', () => {
  it('refuses a redirect before anything else', () => {
    assert.deepEqual(
      checkPreflightResponse(req('PUT'), { status: 301, headers: [['Location', '/y']] }),
      {
        failure: { kind: 'PreflightDisallowedRedirect' },
      },
    );
  });
  it('runs the CORS check before the ok-status check', () => {
    assert.deepEqual(checkPreflightResponse(req('PUT'), { status: 403, headers: [] }), {
      failure: { kind: 'MissingAllowOriginHeader', preflight: true },
    });
    assert.deepEqual(checkPreflightResponse(req('PUT'), { status: 403, headers: [star] }), {
      failure: { kind: 'PreflightInvalidStatus' },
    });
    assert.deepEqual(checkPreflightResponse(req('PUT'), { status: 301, headers: [star] }), {
      failure: { kind: 'PreflightInvalidStatus' },
    });
  });
  it('compares methods case-sensitively; safelisted methods always pass', () => {
    const result = (
      method: string,
      acam: string,
      credentials: CorsRequest['credentials'] = 'omit',
    ) =>
      checkPreflightResponse(req(method, [], credentials), {
        status: 204,
        headers: [
          ['Access-Control-Allow-Origin', origin],
          ['Access-Control-Allow-Credentials', 'true'],
          ['Access-Control-Allow-Methods', acam],
        ],
      });
    assert.equal('pass' in result('PUT', 'PUT'), true);
    assert.deepEqual(result('put', 'put'), {
      failure: { kind: 'MethodDisallowedByPreflightResponse', hint: 'PUT' },
    });
    assert.deepEqual(result('patch', 'PATCH'), {
      failure: { kind: 'MethodDisallowedByPreflightResponse', hint: 'patch' },
    });
    assert.equal('pass' in result('patch', 'patch'), true);
    assert.equal('pass' in result('POST', 'DELETE'), true);
  });
  it('treats * in Access-Control-Allow-Methods as a wildcard only without credentials', () => {
    assert.equal(
      'pass' in
        checkPreflightResponse(req('DELETE'), {
          status: 200,
          headers: [star, ['Access-Control-Allow-Methods', '*']],
        }),
      true,
    );
    const credentialed = checkPreflightResponse(req('DELETE', [], 'include'), {
      status: 200,
      headers: [
        ['Access-Control-Allow-Origin', origin],
        ['Access-Control-Allow-Credentials', 'true'],
        ['Access-Control-Allow-Methods', '*'],
      ],
    });
    assert.deepEqual(credentialed, {
      failure: { kind: 'MethodDisallowedByPreflightResponse', hint: 'DELETE' },
    });
  });
  it('fails on an Access-Control-Allow-Methods or -Headers item that is not a token', () => {
    assert.deepEqual(
      checkPreflightResponse(req('PUT'), {
        status: 200,
        headers: [star, ['Access-Control-Allow-Methods', 'PUT DELETE']],
      }),
      {
        failure: { kind: 'InvalidAllowMethodsPreflightResponse' },
      },
    );
    assert.deepEqual(
      checkPreflightResponse(req('POST', [['X-A', '1']]), {
        status: 200,
        headers: [star, ['Access-Control-Allow-Headers', '"x-a"']],
      }),
      { failure: { kind: 'InvalidAllowHeadersPreflightResponse' } },
    );
  });
  it('matches header names case-insensitively across several lines with odd spacing', () => {
    const result = checkPreflightResponse(
      req('POST', [
        ['X-A', '1'],
        ['Authorization', 't'],
      ]),
      {
        status: 200,
        headers: [
          star,
          ['Access-Control-Allow-Headers', ' X-A ,'],
          ['Access-Control-Allow-Headers', '\tAUTHORIZATION'],
        ],
      },
    );
    assert.deepEqual(result, {
      pass: {
        methods: [],
        headers: ['x-a', 'authorization'],
        cacheSeconds: 5,
        authorizationByWildcard: false,
      },
    });
  });
  it('reports every header missing from Access-Control-Allow-Headers, sorted', () => {
    assert.deepEqual(
      checkPreflightResponse(
        req('POST', [
          ['X-C', '1'],
          ['X-A', '1'],
          ['X-B', '1'],
        ]),
        {
          status: 200,
          headers: [star, ['Access-Control-Allow-Headers', 'x-b']],
        },
      ),
      {
        failure: [
          { kind: 'HeaderDisallowedByPreflightResponse', hint: 'x-a' },
          { kind: 'HeaderDisallowedByPreflightResponse', hint: 'x-c' },
        ],
      },
    );
  });
  it('lets * cover Authorization without credentials as Chromium does, and flags it', () => {
    const result = checkPreflightResponse(req('POST', [['Authorization', 't']]), {
      status: 200,
      headers: [star, ['Access-Control-Allow-Headers', '*']],
    });
    assert.deepEqual(result, {
      pass: { methods: [], headers: ['*'], cacheSeconds: 5, authorizationByWildcard: true },
    });
  });
  it('treats * in Access-Control-Allow-Headers as a literal name with credentials', () => {
    const result = checkPreflightResponse(req('POST', [['X-A', '1']], 'include'), {
      status: 200,
      headers: [
        ['Access-Control-Allow-Origin', origin],
        ['Access-Control-Allow-Credentials', 'true'],
        ['Access-Control-Allow-Headers', '*'],
      ],
    });
    assert.deepEqual(result, {
      failure: [{ kind: 'HeaderDisallowedByPreflightResponse', hint: 'x-a' }],
    });
  });
});

describe('extract header list values (Access-Control-Allow-*)', () => {
  it('splits on commas, trims tab and space, skips empty items', () => {
    assert.deepEqual(parseAllowList(' PUT ,,\tDELETE, '), ['PUT', 'DELETE']);
    assert.deepEqual(parseAllowList(undefined), []);
    assert.equal(parseAllowList('PUT DELETE'), undefined);
  });
});

describe('CORS-preflight cache (Access-Control-Max-Age)', () => {
  it('defaults to 5 seconds, caps at 7200, and does not cache negative values', () => {
    assert.equal(preflightCacheSeconds(undefined), 5);
    assert.equal(preflightCacheSeconds('abc'), 5);
    assert.equal(preflightCacheSeconds('5, 6'), 5);
    assert.equal(preflightCacheSeconds('600'), 600);
    assert.equal(preflightCacheSeconds('99999'), 7200);
    assert.equal(preflightCacheSeconds('0'), 0);
    assert.equal(preflightCacheSeconds('-1'), 0);
  });
});
