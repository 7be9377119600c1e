/**
 * The nginx reader remembers blocks by their text across keystrokes: after every edit, what it
 * reads (with the memo warm) must equal a first read of the same text, spans included.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { readConfig } from '../../../server/src/frameworks/nginx/config';
import { parseText } from '../../../server/src/parsing/parser';

const example = readFileSync(path.join(__dirname, '../../../examples/nginx/nginx.conf'), 'utf8');
const noFiles = { read: () => undefined };

/** A small deterministic generator, so a failing case can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

async function read(file: string, text: string): Promise<string> {
  const tree = await parseText('nginx', text);
  try {
    return JSON.stringify(await readConfig(file, text, tree, noFiles)).replaceAll(
      JSON.stringify(file).slice(1, -1),
      'FILE',
    );
  } finally {
    tree.delete();
  }
}

test('after each of 200 random edits, a read with remembered blocks equals a first read', async () => {
  const next = random(7);
  const base = `${example}\nhttp {\n    server {\n        listen 81;\n        location /a/ { add_header X-A "1" always; }\n        location /b/ { add_header X-B "2"; }\n    }\n}\n`;
  let memoHits = 0;
  for (let i = 0; i < 200; i++) {
    // One edit of the base text at a time: the memo holds the previous state's blocks, at other
    // offsets; an edit that breaks a block must not bring back its old reading.
    const at = Math.floor(next() * base.length);
    const cut = Math.floor(next() * 3);
    const insert = ['', ' ', '\n', 'x', 'xy z', '{', '}', ';', '"', '#'][Math.floor(next() * 10)];
    const text = base.slice(0, at) + insert + base.slice(Math.min(base.length, at + cut));
    const warm = await read('/w/nginx.conf', text);
    const cold = await read(`/w/fresh-${i}.conf`, text);
    assert.equal(warm, cold, `edit ${i} at ${at}`);
    if (warm.includes('"name"')) memoHits++;
  }
  // Most states of the file still hold blocks (the comparison is not between two empty reads).
  assert.ok(memoHits > 100, `${memoHits} reads with directives`);
});
