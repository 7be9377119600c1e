/**
 * The pre-filter: a file is analysed only when it holds a CORS token outside an encoded blob. A
 * vendored installer's payload (get-pip.py's base85 zip, Gerapy, held-out batch 11) holds "cors"
 * by chance somewhere in its megabytes: parsing it ran over the budget and warned about a file
 * with no CORS at all.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mayReport } from '../../../server/src/analysis/may-report';

/** Base85 characters (Python's `b85encode` alphabet) wrapped at 79, `cors` in the middle. */
function blob(lines: number, token = 'cors'): string {
  const alphabet =
    '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~';
  let seed = 7;
  const rows: string[] = [];
  for (let row = 0; row < lines; row++) {
    let line = '';
    for (let i = 0; i < 79; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      line += alphabet[seed % alphabet.length];
    }
    rows.push(line);
  }
  const middle = Math.floor(lines / 2);
  rows[middle] = rows[middle].slice(0, 30) + token + rows[middle].slice(30 + token.length);
  return rows.join('\n');
}

const installer = (payload: string, extra = '') =>
  `#!/usr/bin/env python\nimport base64\n${extra}\nDATA = b"""\n${payload}\n"""\n\n\ndef main():\n    return base64.b85decode(DATA.replace(b"\\n", b""))\n`;

describe('mayReport and encoded blobs', () => {
  test('a token only inside a wrapped base85 blob: not analysed', () => {
    assert.equal(mayReport('/p/get_pip.py', 'python', installer(blob(200))), false);
  });

  test('a token only inside one long base64 line: not analysed', () => {
    const line = Buffer.from('x'.repeat(600)).toString('base64');
    const text = `PAYLOAD = "${line.slice(0, 300)}cors${line.slice(300)}"\n`;
    assert.equal(mayReport('/p/payload.py', 'python', text), false);
  });

  test('a real CORS import next to a blob is still analysed', () => {
    const text = installer(blob(200), 'from flask_cors import CORS');
    assert.equal(mayReport('/p/app.py', 'python', text), true);
  });

  test('a token after the blob is still found', () => {
    const text = `${installer(blob(200))}\nCORS_ALLOWED_ORIGINS = ["https://a.example"]\n`;
    assert.equal(mayReport('/p/settings.py', 'python', text), true);
  });

  test('a short run is not a blob (a name written without spaces)', () => {
    assert.equal(mayReport('/p/app.py', 'python', 'CORS(app)\n'), true);
    assert.equal(mayReport('/p/app.py', 'python', `x=1\n${'A'.repeat(40)}cors()\n`), true);
  });

  test('a minified bundle keeps its tokens (its punctuation breaks every run)', () => {
    const minified = `${'var a=1,b=function(e){return e.x};'.repeat(20)}e.use(cors({origin:"*"}));${'c.d(e,f);'.repeat(40)}`;
    assert.equal(mayReport('/p/dist/app.min.js', 'javascript', minified), true);
  });
});
