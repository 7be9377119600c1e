/**
 * The URL the checks ask the models about is built from paths read in code (an nginx location,
 * a route, a URL regex): whatever the path, it stays a path of the API, percent-encoded as a
 * browser sends it, and never another host or an invalid URL (a location whose prefix held bytes
 * that are not UTF-8 threw "Invalid URL" and failed the file's analysis: fuzz seed 2011).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiUrl } from '../../../server/src/checks/support/attacker';

describe('apiUrl', () => {
  it('keeps an ordinary path and its query', () => {
    assert.equal(apiUrl('/api/v1/items?page=2'), 'http://api.test/api/v1/items?page=2');
    assert.equal(apiUrl('/'), 'http://api.test/');
  });

  it('keeps any other text a path of the same host', () => {
    assert.deepEqual(
      [
        '\ufffd\ufffd/api/',
        'api/',
        '@fallback',
        '//evil.test/x',
        ' /a b',
        'http://other.test/',
      ].map(apiUrl),
      [
        'http://api.test/%EF%BF%BD%EF%BF%BD/api/',
        'http://api.test/api/',
        'http://api.test/@fallback',
        'http://api.test//evil.test/x',
        'http://api.test/%20/a%20b',
        'http://api.test/http://other.test/',
      ],
    );
  });
});
