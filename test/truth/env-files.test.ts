/**
 * Truth suite for the `.env*` reader that frontend calls' base URLs resolve through
 * (server/src/workspace/env-files.ts, the `process.env` order): each case's files are loaded by
 * the real @next/env that Next 16 ships (`loadEnvConfig(dir, dev = true)`, in a process with an
 * empty environment) and by ours. Every name must be set by both, and every value we claim to
 * know must be the real one (a value we call unknown, because it needs the shell or because the
 * tools' dotenv-expand versions differ on it, is not compared).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { DiskReader } from '../../server/src/base/disk-reader';
import { loadNodeEnv } from '../../server/src/workspace/env-files';
import { nextModules } from '../support/next-install';

/** Each case: `.env*` file name → text. */
const CASES: Record<string, Record<string, string>> = {
  'precedence across the four files': {
    '.env': 'API=http://localhost:8000\nONLY_BASE=base\nSHARED=base\n',
    '.env.development': 'SHARED=development\nDEV=dev\n',
    '.env.local': 'SHARED=local\nLOCAL=local\n',
    '.env.development.local': 'API=http://127.0.0.1:9000\n',
  },
  'expansion against the merged files': {
    '.env':
      'HOST=localhost\nPORT=8000\nAPI=http://${HOST}:$PORT/api\nFALLBACK=${MISSING:-http://localhost:5000}\nDASH=${MISSING-dash}\n',
    '.env.development.local': 'HOST=127.0.0.1\n',
  },
  'quotes, comments, export and escapes': {
    '.env': [
      '# a comment',
      'export EXPORTED=yes',
      'DOUBLE="http://localhost:8000 # kept"',
      "SINGLE='http://localhost:8001'",
      'BARE=http://localhost:8002 # dropped',
      'ESCAPED=\\$HOST',
      'EMPTY=',
      'SPACED = spaced value  ',
      'MULTI="line one\\nline two"',
      '',
    ].join('\n'),
  },
  'defaults, where the tools differ': {
    '.env':
      'A=set\nCOLON=${A:-other}\nNO_COLON=${A-other}\nUNSET_NO_COLON=${MISSING-other}\nUNSET_COLON=pre${MISSING:-mid}post\n',
  },
  'names only the shell could set': {
    '.env':
      "FROM_SHELL=${CI_API_URL}/v1\nPLAIN=http://localhost:8000\nSINGLE_DOLLAR='$NOT_EXPANDED'\n",
  },
};

/** What the real @next/env loads from `dir` in development, with nothing in the environment. */
function realEnv(dir: string): Record<string, string> {
  const script = `const { loadEnvConfig } = require(${JSON.stringify(path.join(nextModules(), '@next/env'))});
process.stdout.write(JSON.stringify(loadEnvConfig(process.argv[1], true, { info() {}, error() {} }).parsedEnv));`;
  return JSON.parse(
    execFileSync(process.execPath, ['-e', script, dir], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    }),
  );
}

describe('.env files (process.env order) vs the real @next/env', () => {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const rows: string[] = [];

  for (const [name, files] of Object.entries(CASES)) {
    test(name, () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'cors-lens-env-'));
      dirs.push(dir);
      for (const [file, text] of Object.entries(files)) writeFileSync(path.join(dir, file), text);
      const real = realEnv(dir);
      const ours = loadNodeEnv(dir, new DiskReader());
      assert.deepEqual([...ours.keys()].sort(), Object.keys(real).sort(), 'the names set');
      let known = 0;
      for (const [key, entry] of ours) {
        if (entry.value === undefined) continue;
        known++;
        assert.equal(entry.value, real[key], `${key}`);
      }
      rows.push(
        `${name.padEnd(40)} ${String(known).padStart(3)} of ${Object.keys(real).length} values known, all equal`,
      );
    });
  }

  after(() => console.log(`\n@next/env vs env-files.ts\n${rows.join('\n')}`));
});
