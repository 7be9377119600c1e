import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate, type CorsRequest } from '../../../server/src/fetch';

const origin = 'http://127.0.0.1:5000';
const req: CorsRequest = {
  url: 'http://127.0.0.1:5001/x',
  origin,
  method: 'GET',
  headers: [],
  credentials: 'omit',
};
const prefix =
  "Access to fetch at 'http://127.0.0.1:5001/x' from origin 'http://127.0.0.1:5000' has been blocked by CORS policy: ";

describe('evaluate (main fetch with CORS check and CORS-preflight fetch)', () => {
  it("blocks at the preflight with Chromium's message", () => {
    const verdict = evaluate(
      { ...req, method: 'PUT' },
      { preflight: { status: 204, headers: [] }, actual: { status: 200, headers: [] } },
    );
    assert.deepEqual(verdict, {
      allowed: false,
      stage: 'preflight',
      reasons: [
        `${prefix}Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.`,
      ],
      readableHeaders: [],
      warnings: [],
    });
  });
  it('blocks at the actual response after a passing preflight, keeping the cache lifetime', () => {
    const verdict = evaluate(
      { ...req, method: 'DELETE' },
      {
        preflight: {
          status: 200,
          headers: [
            ['Access-Control-Allow-Origin', '*'],
            ['Access-Control-Allow-Methods', 'DELETE'],
            ['Access-Control-Max-Age', '600'],
          ],
        },
        actual: { status: 200, headers: [] },
      },
    );
    assert.equal(verdict.allowed, false);
    assert.equal(verdict.stage, 'actual');
    assert.equal(verdict.preflightCacheSeconds, 600);
    assert.deepEqual(verdict.reasons, [
      `${prefix}No 'Access-Control-Allow-Origin' header is present on the requested resource.`,
    ]);
  });
  it('allows and explains why, with readable headers', () => {
    const verdict = evaluate(req, {
      actual: {
        status: 200,
        headers: [
          ['Access-Control-Allow-Origin', '*'],
          ['Content-Type', 'text/plain'],
          ['X-A', '1'],
        ],
      },
    });
    assert.deepEqual(verdict, {
      allowed: true,
      stage: 'actual',
      reasons: [
        'No preflight needed: the method and every request header are CORS-safelisted.',
        "Access-Control-Allow-Origin is '*' and the request carries no credentials.",
      ],
      readableHeaders: ['content-type'],
      preflightCacheSeconds: undefined,
      warnings: [],
    });
  });
  it('warns when a specific Access-Control-Allow-Origin is not varied on Origin', () => {
    const headers: [string, string][] = [
      ['Access-Control-Allow-Origin', origin],
      ['Access-Control-Allow-Credentials', 'true'],
    ];
    const credentialed = { ...req, credentials: 'include' as const };
    const unvaried = evaluate(credentialed, { actual: { status: 200, headers } });
    assert.equal(unvaried.allowed, true);
    assert.deepEqual(unvaried.reasons.slice(1), [
      'Access-Control-Allow-Origin matches the request origin.',
      "Access-Control-Allow-Credentials is 'true'.",
    ]);
    assert.equal(unvaried.warnings.length, 1);
    assert.match(unvaried.warnings[0] ?? '', /Vary does not list Origin/);
    const varied = evaluate(credentialed, {
      actual: { status: 200, headers: [...headers, ['Vary', 'Accept-Encoding, origin']] },
    });
    assert.deepEqual(varied.warnings, []);
  });
  it('warns about forbidden request headers that fetch() drops, and about * covering Authorization', () => {
    const verdict = evaluate(
      {
        ...req,
        method: 'POST',
        headers: [
          ['Cookie', 'a=b'],
          ['Authorization', 'Bearer t'],
        ],
      },
      {
        preflight: {
          status: 204,
          headers: [
            ['Access-Control-Allow-Origin', '*'],
            ['Access-Control-Allow-Headers', '*'],
          ],
        },
        actual: { status: 200, headers: [['Access-Control-Allow-Origin', '*']] },
      },
    );
    assert.equal(verdict.allowed, true);
    assert.equal(verdict.warnings.length, 2);
    assert.match(verdict.warnings[0] ?? '', /forbidden request header 'cookie'/);
    assert.match(verdict.warnings[1] ?? '', /does not cover Authorization/);
  });
  it('refuses forbidden methods as fetch() does', () => {
    const verdict = evaluate({ ...req, method: 'TRACE' }, {});
    assert.deepEqual(verdict.reasons, [
      "Failed to execute 'fetch' on 'Window': 'TRACE' HTTP method is unsupported.",
    ]);
    assert.equal(verdict.allowed, false);
  });
  it('throws when a needed preflight response is missing', () => {
    assert.throws(
      () => evaluate({ ...req, method: 'PUT' }, { actual: { status: 200, headers: [] } }),
      /needs a preflight/,
    );
    assert.throws(() => evaluate(req, {}), /no actual response/);
  });
});
