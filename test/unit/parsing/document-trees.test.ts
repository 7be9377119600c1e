import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DocumentTrees } from '../../../server/src/parsing/document-trees';
import { diffEdit } from '../../../server/src/parsing/text-diff';
import { parseText } from '../../../server/src/parsing/parser';
import { parseOutcome } from '../../support/tree-shape';

/** A small deterministic generator, so a failing case can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

const base = `# café ☕ 😀\nCORS_ALLOWED_ORIGINS = [\n    "https://app.example.com",\n]\n${'X = {"a": [1, 2]}\n'.repeat(300)}CORS_ALLOW_CREDENTIALS = True\n`;

describe('DocumentTrees (incremental reparse of full-sync texts)', () => {
  it('diffEdit describes exactly the changed range, with UTF-16 rows and columns', () => {
    const edit = diffEdit('ab\ncé😀d\nx', 'ab\ncé😀ZZd\nx');
    assert.deepEqual(
      [
        edit.startIndex,
        edit.oldEndIndex,
        edit.newEndIndex,
        edit.startPosition,
        edit.oldEndPosition,
        edit.newEndPosition,
      ],
      [7, 7, 9, { row: 1, column: 4 }, { row: 1, column: 4 }, { row: 1, column: 6 }],
    );
  });

  it('after 300 random edits the incremental tree equals a fresh parse of the same text', async () => {
    const trees = new DocumentTrees();
    const next = random(42);
    let text = base;
    await trees.update('doc', 'python', text);
    for (let i = 0; i < 300; i++) {
      const at = Math.floor(next() * text.length);
      const cut = Math.floor(next() * 4);
      const insert = ['', '"', '\n', ']', 'x', '😀', '  ', '[', ','][Math.floor(next() * 9)];
      text = text.slice(0, at) + insert + text.slice(Math.min(text.length, at + cut));
      const tree = await trees.update('doc', 'python', text);
      if (i % 25 === 0 || i === 299) {
        const fresh = await parseText('python', text);
        assert.deepEqual(parseOutcome(tree), parseOutcome(fresh), `edit ${i}`);
        fresh.delete();
      }
    }
    trees.dispose();
  });

  it('keeps only the most recently edited trees; an evicted document is parsed whole and right', async () => {
    const trees = new DocumentTrees(2);
    const texts = ['A = 1\n', 'B = [1, 2]\n', 'C = "c"\n'];
    for (const [i, text] of texts.entries()) await trees.update(`doc${i}`, 'python', text);
    assert.equal(trees.size, 2);
    // doc0 was evicted: its next text is parsed from scratch, not against a freed tree.
    const edited = 'A = (1,\n';
    const tree = await trees.update('doc0', 'python', edited);
    const fresh = await parseText('python', edited);
    assert.deepEqual(parseOutcome(tree), parseOutcome(fresh));
    fresh.delete();
    assert.equal(trees.size, 2);
    trees.dispose();
    assert.equal(trees.size, 0);
  });
});
