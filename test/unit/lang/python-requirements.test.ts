/**
 * pinnedBelow reads the version caps Python projects write: pip's comparison and compatible
 * release clauses, Poetry's caret and tilde, in requirements files, pyproject.toml and Pipfile.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DiskReader } from '../../../server/src/base/disk-reader';
import { pinnedBelow } from '../../../server/src/lang/python/requirements';

function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'cors-lens-req-'));
  for (const [name, text] of Object.entries({ 'manage.py': '', ...files })) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return path.join(root, 'app/settings.py');
}

const below35 = (files: Record<string, string>) =>
  pinnedBelow(project(files), new DiskReader(), 'django-cors-headers', '3.5.0');

describe('pinnedBelow', () => {
  it('reads requirements clauses', () => {
    assert.equal(below35({ 'requirements/base.txt': 'django-cors-headers>=3.2,<3.3\n' }), true);
    assert.equal(below35({ 'requirements.txt': 'django-cors-headers==3.4.0\n' }), true);
    assert.equal(below35({ 'requirements.txt': 'django_cors_headers~=3.2.1\n' }), true);
    assert.equal(below35({ 'requirements.txt': 'django-cors-headers<3.5\n' }), true);
    assert.equal(below35({ 'requirements.txt': 'django-cors-headers==3.5.0\n' }), false);
    assert.equal(below35({ 'requirements.txt': 'django-cors-headers~=3.2\n' }), false);
    assert.equal(below35({ 'requirements.txt': 'django-cors-headers>=3.2\n' }), false);
    assert.equal(below35({ 'requirements.txt': 'django-cors-headers\n' }), false);
  });

  it('reads Poetry and Pipfile constraints', () => {
    assert.equal(below35({ 'pyproject.toml': 'django-cors-headers = "~3.4"\n' }), true);
    assert.equal(below35({ 'pyproject.toml': 'django-cors-headers = "^3.2"\n' }), false);
    assert.equal(below35({ Pipfile: 'django-cors-headers = "==3.2.1"\n' }), true);
    assert.equal(
      below35({ 'pyproject.toml': 'dependencies = ["django-cors-headers (>=3.0,<3.4)"]\n' }),
      true,
    );
  });

  it('says nothing of another package', () => {
    assert.equal(below35({ 'requirements.txt': 'django-cors-middleware<1.0\n' }), false);
  });
});
