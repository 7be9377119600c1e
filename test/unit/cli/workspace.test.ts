/**
 * `cors-lens check <workspace>` on a Django backend + React frontend: the finding on the frontend
 * line, fixed in settings.py.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { cli } from './cli-helpers';

const workspaces = path.resolve(__dirname, '../../fixtures/workspace');

interface JsonFinding {
  check: string;
  file: string;
  message: string;
  range: { start: { line: number; character: number } };
}

describe('cors-lens check: a workspace with a frontend', () => {
  const copy = mkdtempSync(path.join(tmpdir(), 'cors-lens-ws-'));
  after(() => rmSync(copy, { recursive: true, force: true }));

  test('reports the refused header on the frontend call and on the backend setting', () => {
    const run = cli(['check', 'django-react', '--format', 'json'], workspaces);
    assert.equal(run.code, 1, run.stderr);
    const found = (JSON.parse(run.stdout) as { findings: JsonFinding[] }).findings.filter(
      (f) => f.check === 'custom-header-not-allowed',
    );
    assert.deepEqual(
      found.map((f) => [f.file, f.range.start.line, f.range.start.character]),
      [
        ['django-react/backend/settings.py', 15, 0],
        ['django-react/frontend/src/api.ts', 5, 20],
      ],
    );
    assert.match(
      found[1].message,
      /sends the header X-Session-Token, but CORS_ALLOW_HEADERS in backend\/settings\.py:16 does not allow it/,
    );
  });

  test('--fix edits settings.py and the frontend finding is gone', () => {
    cpSync(path.join(workspaces, 'django-react'), copy, { recursive: true });
    const run = cli(['check', '.', '--fix'], copy);
    assert.equal(run.code, 0, run.stdout);
    assert.match(run.stdout, /No CORS problems found/);
    assert.match(
      readFileSync(path.join(copy, 'backend/settings.py'), 'utf8'),
      /"x-session-token",/,
    );
    assert.equal(
      readFileSync(path.join(copy, 'frontend/src/api.ts'), 'utf8'),
      readFileSync(path.join(workspaces, 'django-react/frontend/src/api.ts'), 'utf8'),
    );
  });
});
