import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { corsCheck, corsErrorMessage } from '../../../server/src/fetch';

const origin = 'http://127.0.0.1:5000';
const omit = { origin, credentials: 'omit' as const };
const include = { origin, credentials: 'include' as const };

describe('CORS check', () => {
  it('fails without Access-Control-Allow-Origin', () => {
    assert.deepEqual(corsCheck(omit, []), { kind: 'MissingAllowOriginHeader' });
  });
  it('passes * without credentials and fails it with credentials mode include', () => {
    assert.equal(corsCheck(omit, [['Access-Control-Allow-Origin', '*']]), undefined);
    assert.equal(
      corsCheck({ origin, credentials: 'same-origin' }, [['Access-Control-Allow-Origin', '*']]),
      undefined,
    );
    assert.deepEqual(
      corsCheck(include, [
        ['Access-Control-Allow-Origin', '*'],
        ['Access-Control-Allow-Credentials', 'true'],
      ]),
      {
        kind: 'WildcardOriginNotAllowed',
      },
    );
  });
  it('compares the origin byte for byte', () => {
    assert.equal(corsCheck(omit, [['access-control-allow-origin', origin]]), undefined);
    assert.deepEqual(corsCheck(omit, [['Access-Control-Allow-Origin', `${origin}/`]]), {
      kind: 'AllowOriginMismatch',
      hint: `${origin}/`,
    });
    assert.deepEqual(corsCheck(omit, [['Access-Control-Allow-Origin', origin.toUpperCase()]]), {
      kind: 'AllowOriginMismatch',
      hint: 'HTTP://127.0.0.1:5000',
    });
    assert.deepEqual(corsCheck(omit, [['Access-Control-Allow-Origin', 'null']]), {
      kind: 'AllowOriginMismatch',
      hint: 'null',
    });
    assert.deepEqual(corsCheck(omit, [['Access-Control-Allow-Origin', 'nonsense']]), {
      kind: 'InvalidAllowOriginValue',
      hint: 'nonsense',
    });
  });
  it('reads several header lines joined with ", " and rejects multiple values', () => {
    assert.deepEqual(
      corsCheck(omit, [
        ['Access-Control-Allow-Origin', origin],
        ['Access-Control-Allow-Origin', origin],
      ]),
      {
        kind: 'MultipleAllowOriginValues',
        hint: `${origin}, ${origin}`,
      },
    );
    assert.deepEqual(corsCheck(omit, [['Access-Control-Allow-Origin', `${origin} http://b`]]), {
      kind: 'MultipleAllowOriginValues',
      hint: `${origin} http://b`,
    });
  });
  it('requires Access-Control-Allow-Credentials to be exactly true for credentials mode include', () => {
    const acao: [string, string] = ['Access-Control-Allow-Origin', origin];
    assert.equal(
      corsCheck(include, [acao, ['Access-Control-Allow-Credentials', 'true']]),
      undefined,
    );
    assert.deepEqual(corsCheck(include, [acao, ['Access-Control-Allow-Credentials', 'True']]), {
      kind: 'InvalidAllowCredentials',
      hint: 'True',
    });
    assert.deepEqual(corsCheck(include, [acao]), { kind: 'InvalidAllowCredentials', hint: '' });
    assert.equal(corsCheck(omit, [acao, ['Access-Control-Allow-Credentials', 'false']]), undefined);
  });
});

describe('CORS check messages (Chromium wording)', () => {
  const url = 'http://127.0.0.1:5001';
  const start =
    "Access to fetch at 'http://127.0.0.1:5001/' from origin 'http://127.0.0.1:5000' has been blocked by CORS policy: ";
  it('words a missing header, and the preflight variant', () => {
    assert.equal(
      corsErrorMessage(url, origin, { kind: 'MissingAllowOriginHeader' }),
      `${start}No 'Access-Control-Allow-Origin' header is present on the requested resource.`,
    );
    assert.equal(
      corsErrorMessage(url, origin, { kind: 'MissingAllowOriginHeader', preflight: true }),
      `${start}Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.`,
    );
  });
  it('words multiple values with the valid-value hint', () => {
    assert.equal(
      corsErrorMessage(url, origin, { kind: 'MultipleAllowOriginValues', hint: 'a, b' }),
      `${start}The 'Access-Control-Allow-Origin' header contains multiple values 'a, b', but only one is allowed. Have the server send the header with a valid value.`,
    );
  });
});
