/**
 * Cross-file reads stay inside the project of the file analysed: its nearest project marker
 * upward, never into vendored folders (site-packages, node_modules, .venv, dist, build...).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { DiskReader } from '../../../server/src/base/disk-reader';
import { ProjectReader } from '../../../server/src/base/project-reader';
import { insideProject, projectRootOf } from '../../../server/src/base/project-root';
import { walk } from '../../../server/src/analysis/walk';
import { cli } from '../cli/cli-helpers';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'cors-lens-project-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

describe('project roots', () => {
  test('the nearest folder with a marker, stopping below a vendored folder', () => {
    const root = tree({
      'app/pyproject.toml': '',
      'app/src/pkg/settings.py': '',
      'app/.venv/lib/python3.11/site-packages/django/conf/__init__.py': '',
      'app/.venv/lib/python3.11/site-packages/six.py': '',
      'loose/one.py': '',
    });
    assert.equal(projectRootOf(path.join(root, 'app/src/pkg/settings.py')), path.join(root, 'app'));
    assert.equal(
      projectRootOf(
        path.join(root, 'app/.venv/lib/python3.11/site-packages/django/conf/__init__.py'),
      ),
      path.join(root, 'app/.venv/lib/python3.11/site-packages/django'),
    );
    assert.equal(
      projectRootOf(path.join(root, 'app/.venv/lib/python3.11/site-packages/six.py')),
      path.join(root, 'app/.venv/lib/python3.11/site-packages'),
    );
    // No marker: the innermost folder named by the user, else the file's own folder.
    assert.equal(projectRootOf(path.join(root, 'loose/one.py'), [root]), root);
    assert.equal(projectRootOf(path.join(root, 'loose/one.py')), path.join(root, 'loose'));
  });

  test('vendored folders of a project are outside it', () => {
    assert.equal(insideProject('/p', '/p/settings/base.py'), true);
    for (const vendored of [
      'node_modules/x/index.js',
      '.venv/lib/site-packages/a.py',
      'dist/server.js',
      'build/lib/a.py',
      'vendor/bundle/x.rb',
      'wp-includes/rest-api.php',
      'third_party/protobuf/python/setup.py',
      '.wrangler/tmp/dev-1/index.js',
      '.next/server/pages/api/x.js',
      '.history/src/server_20240101120000.js',
      'static/third_party/jquery.js',
    ]) {
      assert.equal(insideProject('/p', `/p/${vendored}`), false, vendored);
    }
    assert.equal(insideProject('/p', '/q/a.py'), false);
  });

  test("a settings package's third_party folder is the project's own", () => {
    for (const own of [
      'configurations/settings_details/third_party/cors_headers_config.py',
      'config/third_party/cors.py',
      'app/settings/third_party/celery.py',
    ])
      assert.equal(insideProject('/p', `/p/${own}`), true, own);
  });

  test('a reader bounded to a project reads nothing outside it', () => {
    const root = tree({
      'outer.py': 'X = 1\n',
      'proj/manage.py': '',
      'proj/settings.py': '',
      'proj/base.py': 'Y = 2\n',
      'proj/node_modules/m/index.js': '',
    });
    const reader = new ProjectReader(new DiskReader(), path.join(root, 'proj/settings.py'));
    assert.equal(reader.read(path.join(root, 'proj/base.py')), 'Y = 2\n');
    assert.equal(reader.read(path.join(root, 'outer.py')), undefined);
    assert.equal(reader.read(path.join(root, 'proj/node_modules/m/index.js')), undefined);
  });
});

describe('the walk', () => {
  test('skips vendored folders, unless named as the folder to check', () => {
    const root = tree({
      'app.py': '',
      'dist/bundle.js': '',
      'build/x.py': '',
      '.venv/lib/site-packages/y.py': '',
      'vendor/z.rb': '',
      'node_modules/m/i.js': '',
    });
    assert.deepEqual(
      walk(root).map((f) => path.relative(root, f)),
      ['app.py'],
    );
    assert.deepEqual(
      walk(path.join(root, 'dist')).map((f) => path.relative(root, f)),
      [path.join('dist', 'bundle.js')],
    );
  });
});

describe('cors-lens check: settings imports stay in the project', () => {
  test('a star-import that resolves only outside the project is not followed', () => {
    const root = tree({
      // Outside the project: what following imports across the disk would find.
      'corsconf.py':
        'INSTALLED_APPS = ["corsheaders"]\nCORS_ALLOWED_ORIGINS = ["https://app.example.com"]\n',
      'site/manage.py': '',
      'site/site/settings.py':
        'from corsconf import *\nMIDDLEWARE = ["django.middleware.common.CommonMiddleware"]\n',
    });
    const inside = cli(['check', 'site/settings.py', '--format', 'json'], path.join(root, 'site'));
    assert.equal(inside.code, 0, inside.stderr);
    assert.doesNotMatch(inside.stdout, /cors-middleware-missing/);
    // The same import inside the project is followed: its CORS setup meets a MIDDLEWARE without CorsMiddleware.
    writeFileSync(
      path.join(root, 'site/corsconf.py'),
      'INSTALLED_APPS = ["corsheaders"]\nCORS_ALLOWED_ORIGINS = ["https://app.example.com"]\n',
    );
    const followed = cli(
      ['check', 'site/settings.py', '--format', 'json'],
      path.join(root, 'site'),
    );
    assert.match(followed.stdout, /cors-middleware-missing/);
  });
});
