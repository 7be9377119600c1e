/**
 * The message parser reads back every sentence the evaluator writes in Chromium's wording (which
 * test/truth/chromium-fetch.test.ts holds to the real browser), the Private Network Access
 * forms, Firefox's reasons and Safari's split lines, through console noise and line wrapping.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { corsErrorMessage, type CorsErrorKind, type CorsFailure } from '../../../server/src/fetch';
import { parseMessages } from '../../../server/src/explain';

const URL_ = 'http://127.0.0.1:8000/api/items';
const ORIGIN = 'http://localhost:5173';

/** Every Chromium failure, with the operand the parser must read back. */
const CHROMIUM: { failure: CorsFailure; expect: Record<string, string | undefined> }[] = [
  { failure: { kind: 'MissingAllowOriginHeader' }, expect: {} },
  {
    failure: { kind: 'MissingAllowOriginHeader', preflight: true },
    expect: { stage: 'preflight' },
  },
  { failure: { kind: 'WildcardOriginNotAllowed' }, expect: {} },
  {
    failure: { kind: 'MultipleAllowOriginValues', hint: 'https://a.example, https://b.example' },
    expect: { value: 'https://a.example, https://b.example' },
  },
  {
    failure: { kind: 'InvalidAllowOriginValue', hint: 'https://app.example/' },
    expect: { value: 'https://app.example/' },
  },
  {
    failure: { kind: 'AllowOriginMismatch', hint: 'https://app.example.com' },
    expect: { value: 'https://app.example.com' },
  },
  { failure: { kind: 'InvalidAllowCredentials', hint: '' }, expect: { value: '' } },
  {
    failure: { kind: 'InvalidAllowCredentials', hint: 'TRUE', preflight: true },
    expect: { value: 'TRUE', stage: 'preflight' },
  },
  { failure: { kind: 'PreflightInvalidStatus' }, expect: { stage: 'preflight' } },
  { failure: { kind: 'PreflightDisallowedRedirect' }, expect: { stage: 'preflight' } },
  { failure: { kind: 'InvalidAllowMethodsPreflightResponse' }, expect: { stage: 'preflight' } },
  { failure: { kind: 'InvalidAllowHeadersPreflightResponse' }, expect: { stage: 'preflight' } },
  {
    failure: { kind: 'MethodDisallowedByPreflightResponse', hint: 'PATCH' },
    expect: { method: 'PATCH', stage: 'preflight' },
  },
  {
    failure: { kind: 'HeaderDisallowedByPreflightResponse', hint: 'x-session-token' },
    expect: { header: 'x-session-token', stage: 'preflight' },
  },
];

describe('explain: parsing Chromium messages', () => {
  for (const { failure, expect } of CHROMIUM) {
    it(`reads back ${failure.kind}${failure.preflight ? ' (preflight)' : ''}`, () => {
      const [m, ...rest] = parseMessages(corsErrorMessage(URL_, ORIGIN, failure));
      assert.equal(rest.length, 0);
      assert.equal(m.browser, 'chromium');
      assert.equal(m.rule, failure.kind satisfies CorsErrorKind);
      assert.equal(m.url, URL_);
      assert.equal(m.origin, ORIGIN);
      for (const [key, value] of Object.entries(expect))
        assert.equal(m[key as keyof typeof m], value, key);
      if (failure.kind === 'WildcardOriginNotAllowed' || failure.kind === 'InvalidAllowCredentials')
        assert.equal(m.credentials, true);
    });
  }

  it('reads a console copy: wrapped lines, `:1` prefixes, net::ERR_FAILED lines, stack frames, each failure once', () => {
    const text = [
      "localhost/:1 Access to fetch at 'http://127.0.0.1:8000/api/items' from origin 'http://localhost:5173' has been blocked",
      'by CORS policy: Request header field x-session-token is not allowed by',
      '  Access-Control-Allow-Headers in preflight response.',
      'api.ts:12  PUT http://127.0.0.1:8000/api/items net::ERR_FAILED',
      'loadItems @ api.ts:12',
      '(anonymous) @ App.tsx:30',
      "Access to fetch at 'http://127.0.0.1:8000/api/items' from origin 'http://localhost:5173' has been blocked by CORS policy: Request header field x-session-token is not allowed by Access-Control-Allow-Headers in preflight response.",
      "Access to XMLHttpRequest at 'http://127.0.0.1:8000/api/me' from origin 'http://localhost:5173' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
      'GET http://127.0.0.1:8000/api/me net::ERR_FAILED 200 (OK)',
      'Uncaught (in promise) TypeError: Failed to fetch',
    ].join('\n');
    const parsed = parseMessages(text);
    assert.deepEqual(
      parsed.map((m) => [m.rule, m.url, m.header, m.method, m.status]),
      [
        [
          'HeaderDisallowedByPreflightResponse',
          'http://127.0.0.1:8000/api/items',
          'x-session-token',
          'PUT',
          undefined,
        ],
        ['MissingAllowOriginHeader', 'http://127.0.0.1:8000/api/me', undefined, 'GET', 200],
      ],
    );
  });

  it("reads the older wording that ends with the advice to use 'no-cors'", () => {
    const [m] = parseMessages(
      "Access to fetch at 'http://127.0.0.1:8000/' from origin 'http://localhost:5173' has been blocked " +
        "by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource. " +
        "If an opaque response serves your needs, set the request's mode to 'no-cors' to fetch the " +
        'resource with CORS disabled.',
    );
    assert.equal(m.rule, 'MissingAllowOriginHeader');
  });

  it('reads the Private Network Access forms with their address space', () => {
    const forms = [
      "Access to fetch at 'http://192.168.1.20/api' from origin 'https://app.example.com' has been blocked by CORS policy: The request client is not a secure context and the resource is in more-private address space `local`.",
      "Access to fetch at 'http://127.0.0.1:8000/api' from origin 'https://app.example.com' has been blocked by CORS policy: Permission was denied for this request to access the `loopback` address space.",
      "Access to fetch at 'http://10.0.0.5/api' from origin 'https://app.example.com' has been blocked by CORS policy: No 'Access-Control-Allow-Private-Network' header was present in the preflight response for this private network request targeting the `private` address space.",
    ];
    assert.deepEqual(
      forms.map((f) => parseMessages(f).map((m) => [m.rule, m.addressSpace])[0]),
      [
        ['PrivateNetworkAccess', 'local'],
        ['PrivateNetworkAccess', 'loopback'],
        ['PrivateNetworkAccess', 'private'],
      ],
    );
  });
});

describe('explain: parsing Firefox messages', () => {
  const firefox = (reason: string, status = '200') =>
    `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://127.0.0.1:8000/api/items. (Reason: ${reason}). Status code: ${status}.`;
  const cases: [string, string, Record<string, string | number | boolean | undefined>][] = [
    [
      'CORS header ‘Access-Control-Allow-Origin’ missing',
      'MissingAllowOriginHeader',
      { status: 200 },
    ],
    [
      'CORS header ‘Access-Control-Allow-Origin’ does not match ‘https://app.example.com’',
      'AllowOriginMismatch',
      { value: 'https://app.example.com' },
    ],
    [
      'Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’',
      'WildcardOriginNotAllowed',
      { credentials: true },
    ],
    [
      'Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed',
      'MultipleAllowOriginValues',
      {},
    ],
    [
      'expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’',
      'InvalidAllowCredentials',
      { credentials: true },
    ],
    [
      'Did not find method in CORS header ‘Access-Control-Allow-Methods’',
      'MethodDisallowedByPreflightResponse',
      { stage: 'preflight' },
    ],
    [
      'missing token ‘x-session-token’ in CORS header ‘Access-Control-Allow-Headers’ from CORS preflight channel',
      'HeaderDisallowedByPreflightResponse',
      { header: 'x-session-token' },
    ],
    [
      'invalid token ‘x y’ in CORS header ‘Access-Control-Allow-Headers’',
      'InvalidAllowHeadersPreflightResponse',
      { value: 'x y' },
    ],
    ['CORS preflight response did not succeed', 'PreflightInvalidStatus', { stage: 'preflight' }],
    ['CORS request did not succeed', 'RequestDidNotSucceed', { status: undefined }],
    ['CORS disabled', 'Other', {}],
  ];
  for (const [reason, rule, expect] of cases) {
    it(`reads "${reason}"`, () => {
      const [m] = parseMessages(
        firefox(reason, rule === 'RequestDidNotSucceed' ? '(null)' : '200'),
      );
      assert.equal(m.browser, 'firefox');
      assert.equal(m.rule, rule);
      assert.equal(m.url, 'http://127.0.0.1:8000/api/items');
      assert.equal(m.origin, undefined);
      for (const [key, value] of Object.entries(expect))
        assert.equal(m[key as keyof typeof m], value, key);
    });
  }
});

describe('explain: parsing Safari messages', () => {
  it('pairs each detail with its "cannot load" URL, and the "Failed to load resource" repeat with the same one', () => {
    const text = [
      '[Error] Preflight response is not successful. Status code: 403',
      '[Error] Fetch API cannot load http://127.0.0.1:8000/api/items due to access control checks.',
      '[Error] Failed to load resource: Preflight response is not successful. Status code: 403 (items, line 0)',
      '[Error] Origin http://localhost:5173 is not allowed by Access-Control-Allow-Origin. Status code: 200',
      '[Error] XMLHttpRequest cannot load http://127.0.0.1:4000/v1/me due to access control checks.',
      '[Error] Method DELETE is not allowed by Access-Control-Allow-Methods.',
      '[Error] Fetch API cannot load http://127.0.0.1:4000/v1/items/3 due to access control checks.',
      '[Error] Credentials flag is true, but Access-Control-Allow-Credentials is not "true".',
      '[Error] Fetch API cannot load http://127.0.0.1:4000/v1/session due to access control checks.',
    ].join('\n');
    assert.deepEqual(
      parseMessages(text).map((m) => [
        m.rule,
        m.url,
        m.status ?? m.origin ?? m.method ?? m.credentials,
      ]),
      [
        ['PreflightInvalidStatus', 'http://127.0.0.1:8000/api/items', 403],
        ['AllowOriginMismatch', 'http://127.0.0.1:4000/v1/me', 200],
        ['MethodDisallowedByPreflightResponse', 'http://127.0.0.1:4000/v1/items/3', 'DELETE'],
        ['InvalidAllowCredentials', 'http://127.0.0.1:4000/v1/session', true],
      ],
    );
    assert.equal(parseMessages(text)[1].origin, 'http://localhost:5173');
  });

  it('finds nothing in text without a CORS error', () => {
    assert.deepEqual(parseMessages('TypeError: Failed to fetch\n    at load (app.js:3:9)'), []);
  });
});
