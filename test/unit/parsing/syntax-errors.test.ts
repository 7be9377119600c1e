import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseText } from '../../../server/src/parsing/parser';

/** Whether the tsx grammar's tree of `source` says it has a syntax error. */
async function broken(source: string): Promise<boolean> {
  const tree = await parseText('tsx', source);
  try {
    return tree.hasError;
  } finally {
    tree.delete();
  }
}

describe('SourceTree.hasError', () => {
  it('a bare & in JSX text is text, as TypeScript and Babel parse it', async () => {
    for (const source of [
      'const a = <h2>Privacy & Security</h2>;',
      'const a = <p>A &amp; B & C</p>;',
      'const a = <p>R&D</p>;',
      'const a = <>Terms & conditions</>;',
    ])
      assert.equal(await broken(source), false, source);
  });

  it('an error anywhere else still counts, in JSX or beside it', async () => {
    for (const source of [
      'const a = <p>{x &}</p>;',
      'const a = <h2>Privacy & Security</h2>; const b = (;',
      'const a = <p>ok</p',
    ])
      assert.equal(await broken(source), true, source);
  });
});
