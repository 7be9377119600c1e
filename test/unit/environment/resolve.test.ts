/**
 * Environments of the truth fixtures' projects: which env files apply and which Django settings
 * module runs (manage.py in development, wsgi.py in production), with what it star-imports.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DiskReader } from '../../../server/src/base/disk-reader';
import { envFilesFor, environmentOf } from '../../../server/src/environment/resolve';

const fixtures = path.join(__dirname, '../../fixtures/truth/environments');
const rel = (files: readonly string[] | undefined) => files?.map((f) => path.relative(fixtures, f));

describe('environments', () => {
  it('env files: .env is the developer machine for Python, shared for Node', () => {
    assert.deepEqual(envFilesFor('production', false), [
      '.env.production',
      '.env.production.local',
    ]);
    assert.deepEqual(envFilesFor('production', true), [
      '.env',
      '.env.production',
      '.env.local',
      '.env.production.local',
    ]);
    assert.deepEqual(envFilesFor('development', false)[0], '.env');
  });

  it('FastAPI: .env.production sets ALLOWED_ORIGINS in production only', () => {
    const file = path.join(fixtures, 'fastapi/app.py');
    const dev = environmentOf('development', file, new DiskReader());
    const prod = environmentOf('production', file, new DiskReader());
    assert.deepEqual(dev.files, []);
    assert.equal(dev.vars.get('ALLOWED_ORIGINS'), undefined);
    assert.deepEqual(rel(prod.files), ['fastapi/.env.production']);
    assert.equal(
      prod.vars.get('ALLOWED_ORIGINS')?.value,
      'https://app.example.com,https://admin.example.com',
    );
  });

  it('Django: manage.py chooses the development settings, wsgi.py the production ones', () => {
    const file = path.join(fixtures, 'django/proj/settings/base.py');
    const dev = environmentOf('development', file, new DiskReader());
    const prod = environmentOf('production', file, new DiskReader());
    assert.equal(dev.settings?.module, 'proj.settings.dev');
    assert.equal(path.basename(dev.settings?.from ?? ''), 'manage.py');
    assert.deepEqual(rel(dev.settingsFiles), [
      'django/proj/settings/dev.py',
      'django/proj/settings/base.py',
      'django/proj/settings/local_settings.py',
    ]);
    assert.equal(prod.settings?.module, 'proj.settings.production');
    assert.equal(path.basename(prod.settings?.from ?? ''), 'wsgi.py');
    assert.deepEqual(rel(prod.settingsFiles), [
      'django/proj/settings/production.py',
      'django/proj/settings/base.py',
    ]);
  });
});
