/**
 * The pattern the permissive-origin-regex fix writes: it must still let in every origin of the
 * intended site that the written pattern let in, and none an attacker can own. A scheme-less
 * pattern anchored as written (`^example\.com$`) matches no origin at all, so its scheme,
 * subdomains and port are spelled out; a pattern no rewrite keeps working gets no fix.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bypassOrigin, tightenPattern } from '../../../server/src/checks/support/regex-bypass';
import { originMatcher } from '../../../server/src/base/regex/cache';

const matches = (pattern: string, origin: string) => {
  const m = originMatcher(pattern, 'js');
  return m.ok && m.test(origin);
};

describe('tightenPattern', () => {
  it('spells out scheme, subdomains and port for a bare host pattern', () => {
    for (const [written, host] of [
      ['localhost', 'localhost'],
      ['example\\.com', 'example.com'],
    ]) {
      assert.equal(bypassOrigin(written, 'js'), `https://${host}.attacker.test`);
      const fixed = tightenPattern(written, 'js');
      assert.ok(fixed, written);
      for (const origin of [`https://${host}`, `http://${host}:3000`, `https://app.${host}`])
        assert.ok(matches(fixed, origin), `${fixed} lets ${origin} in`);
      assert.equal(bypassOrigin(fixed, 'js'), undefined);
    }
  });

  it('anchors a pattern that has its scheme, as before', () => {
    assert.equal(
      tightenPattern('https://.*\\.example\\.com', 'js'),
      '^https://.*\\.example\\.com$',
    );
  });

  it('gives no fix that would shut out a port the pattern let in', () => {
    // Flask-CORS reads this as a regex; anchored it would refuse http://localhost:3000.
    assert.ok(matches('http://localhost:*/*', 'http://localhost:3000'));
    assert.equal(tightenPattern('http://localhost:*/*', 'python-match'), undefined);
  });
});
