// Messages live in code as sentences split over lines, not as one line a screen can't show
// (Prettier wraps code at 100 but never splits a string; ESLint's max-len skips strings).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';

const ROOT = path.join(__dirname, '../../..');
const MAX = 300;

test(`no line of our TypeScript is longer than ${MAX} characters`, () => {
  const files = execFileSync('git', ['ls-files', '*.ts', '*.mjs'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f && !f.startsWith('test/fixtures/') && !f.startsWith('examples/'));
  assert.ok(files.length > 100, `found ${files.length} files`);
  const long = files.flatMap((file) =>
    readFileSync(path.join(ROOT, file), 'utf8')
      .split('\n')
      .flatMap((line, i) => (line.length > MAX ? [`${file}:${i + 1} (${line.length})`] : [])),
  );
  assert.deepEqual(long, []);
});
