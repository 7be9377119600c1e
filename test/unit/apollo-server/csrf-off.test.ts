/** Apollo's `csrfPrevention`: the last entry of the options decides (a later duplicate key wins). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractApollo } from '../../../server/src/frameworks/apollo-server/extract';
import { parseText } from '../../../server/src/parsing/parser';
import { factsOf } from '../../../server/src/policy/types';

async function facts(options: string) {
  const text =
    "import { ApolloServer } from '@apollo/server';\n" +
    "import { startStandaloneServer } from '@apollo/server/standalone';\n" +
    `const server = new ApolloServer({ typeDefs: 'x', ${options} });\n` +
    'await startStandaloneServer(server);\n';
  const tree = await parseText('javascript', text);
  try {
    const [policy] = await extractApollo('server.mjs', text, tree, { read: () => undefined });
    const found = factsOf(policy, 'apollo-server');
    const at = (s?: { start: number; end: number }) => s && text.slice(s.start, s.end);
    return { off: at(found?.csrfOffAt), entries: found?.csrfEntries?.map(at) };
  } finally {
    tree.delete();
  }
}

test('a later csrfPrevention: true turns it back on', async () => {
  assert.deepEqual(await facts('csrfPrevention: false, csrfPrevention: true'), {
    off: undefined,
    entries: undefined,
  });
});

test('a later csrfPrevention: false is the one reported; every entry is listed for the fix', async () => {
  assert.deepEqual(await facts("csrfPrevention: true, 'csrfPrevention': false"), {
    off: "'csrfPrevention': false",
    entries: ['csrfPrevention: true', "'csrfPrevention': false"],
  });
});
