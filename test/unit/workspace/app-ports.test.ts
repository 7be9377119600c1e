/** The ports an app file names, read from the text's candidates and confirmed by the tree. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseText } from '../../../server/src/parsing/parser';
import { explicitPorts } from '../../../server/src/workspace/app-ports';

async function ports(grammar: 'javascript' | 'python', text: string): Promise<number[]> {
  const tree = await parseText(grammar, text);
  try {
    return explicitPorts(grammar, tree, text);
  } finally {
    tree.delete();
  }
}

test('JavaScript: literal listen ports and || fallbacks; strings, comments and other calls are not ports', async () => {
  const text = [
    'const note = "app.listen(1111)"; // server.listen(2222)',
    'app.listen(process.env.PORT || 4000);',
    'server',
    '  // behind the proxy',
    '  .listen(5000, () => {});',
    'listen(6000);',
    'app.listen(port);',
  ].join('\n');
  assert.deepEqual(await ports('javascript', text), [4000, 5000]);
});

test('Python: port= keyword arguments of any call; comments, comparisons and strings are not', async () => {
  const text = [
    '# app.run(port=1111)',
    'if port == 2222:',
    '    pass',
    'uvicorn.run(app, port=8001)',
    'app.run(host="127.0.0.1", port=5001)',
    's = "port=3333"',
  ].join('\n');
  assert.deepEqual(await ports('python', text), [8001, 5001]);
});
