import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { regexMatches } from '../../../server/src/base/regex';
import { searchedTextPattern } from '../../../server/src/lang/javascript/cors-package/searched-text';

/** What `text.includes(origin)` answers for an origin starting with a scheme, by the pattern. */
const admits = (text: string, origin: string) =>
  regexMatches(searchedTextPattern(text)!, 'js', '', origin);

describe('searchedTextPattern: the origins a search of a text lets in', () => {
  const list = 'https://shop.example.com,http://localhost:5173';

  it('admits every piece that starts where a scheme does, and nothing else', () => {
    for (const origin of [
      'https://shop.example.co',
      'https://shop.example.com',
      'http://localhost:517',
      'http://localhost:5173',
      'https://shop.example.com,http',
    ])
      assert.equal(admits(list, origin), true, origin);
    for (const origin of ['https://admin.example.com', 'https://shop.example.com.evil.test'])
      assert.equal(admits(list, origin), false, origin);
  });

  it('reads a 490-character text whole (chunked, not one group per character)', () => {
    const long = `https://${'a'.repeat(470)}.example.com`;
    assert.equal(admits(long, long.slice(0, -1)), true);
    assert.equal(admits(long, `${long.slice(0, 200)}x`), false);
  });

  it('gives no pattern for a text past its bound (the allowlist is then unknown)', () => {
    assert.equal(searchedTextPattern(`https://${'a'.repeat(600)}.example.com`), undefined);
  });
});
