/**
 * Environments of the truth fixtures' projects: which env files apply and which Django settings
 * module runs (manage.py in development, wsgi.py in production), with what it star-imports.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DiskReader } from '../../../server/src/base/disk-reader';
import {
  envFilesFor,
  environmentOf,
  runsInProduction,
} from '../../../server/src/environment/resolve';

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

describe('environments from deployment files', () => {
  const deploy = path.join(__dirname, '../../fixtures/environments/deploy');
  const at = (project: string, file: string, name: string) =>
    environmentOf(name, path.join(deploy, project, file), new DiskReader());
  const from = (env: { vars: ReadonlyMap<string, { file: string }> }, name: string) =>
    path.basename(env.vars.get(name)?.file ?? '');

  it("Django: the Dockerfile's ENV picks production's settings, compose's environment development's", () => {
    const prod = at('docker', 'proj/settings/production.py', 'production');
    assert.equal(prod.settings?.module, 'proj.settings.production');
    assert.equal(path.basename(prod.settings?.from ?? ''), 'Dockerfile');
    assert.equal(prod.vars.get('PYTHONUNBUFFERED')?.value, '1');
    const dev = at('docker', 'proj/settings/local.py', 'development');
    assert.equal(dev.settings?.module, 'proj.settings.local');
    assert.equal(path.basename(dev.settings?.from ?? ''), 'docker-compose.yml');
    // env_file: names a file the compose service loads.
    assert.equal(dev.vars.get('SECRET_KEY')?.value, 'dev-only');
    assert.equal(from(dev, 'SECRET_KEY'), 'docker-compose.yml');
    assert.ok(
      runsInProduction(path.join(deploy, 'docker/proj/settings/production.py'), new DiskReader()),
    );
    assert.ok(
      !runsInProduction(path.join(deploy, 'docker/proj/settings/local.py'), new DiskReader()),
    );
  });

  it("Procfile: a process line's NAME=value is production's; Procfile.dev's --env development's", () => {
    const prod = at('procfile', 'app.py', 'production');
    assert.equal(
      prod.vars.get('ALLOWED_ORIGINS')?.value,
      'https://app.example.com,https://admin.example.com',
    );
    assert.equal(from(prod, 'ALLOWED_ORIGINS'), 'Procfile');
    assert.equal(prod.vars.get('FOO'), undefined);
    const dev = at('procfile', 'app.py', 'development');
    assert.equal(dev.vars.get('ALLOWED_ORIGINS'), undefined);
    assert.equal(dev.vars.get('FOO')?.value, 'bar');
  });

  it('compose with NODE_ENV=production: its variables beat .env in production', () => {
    const prod = at('compose-prod', 'server.js', 'production');
    assert.equal(prod.vars.get('CORS_ORIGIN')?.value, 'https://shop.example.com');
    assert.equal(from(prod, 'CORS_ORIGIN'), 'docker-compose.yml');
    const dev = at('compose-prod', 'server.js', 'development');
    assert.equal(dev.vars.get('CORS_ORIGIN')?.value, 'http://localhost:5173');
  });

  it('the mode variables name the environment unless a file sets them', () => {
    const prod = at('compose-prod', 'server.js', 'production');
    assert.equal(prod.vars.get('NODE_ENV')?.value, 'production');
    assert.equal(
      at('docker', 'proj/settings/local.py', 'development').vars.get('RAILS_ENV')?.value,
      'development',
    );
    assert.equal(at('docker', 'proj/settings/local.py', 'staging').vars.get('NODE_ENV'), undefined);
  });

  it("multi-stage Dockerfile: the last stage's ENV and its FROM chain's, not a builder's", () => {
    const prod = at('multistage', 'server.js', 'production');
    const values = Object.fromEntries(
      ['NODE_ENV', 'CORS_ORIGIN', 'PORT', 'CORS_CREDENTIALS'].map((k) => [k, prod.vars.get(k)]),
    );
    assert.deepEqual(
      Object.fromEntries(
        Object.entries(values).map(([k, v]) => [k, v && [v.value, path.basename(v.file)]]),
      ),
      {
        NODE_ENV: ['production', 'Dockerfile'],
        CORS_ORIGIN: ['https://shop.example.com', 'Dockerfile'],
        // From `FROM base AS runtime`: the stage it builds on.
        PORT: ['8080', 'Dockerfile'],
        CORS_CREDENTIALS: ['true', 'Dockerfile'],
      },
    );
  });

  it('docker build --target in a package.json script: production runs that stage, not the last one', () => {
    const show = (name: string) => {
      const env = at('target-command', 'server.js', name);
      return Object.fromEntries(
        ['NODE_ENV', 'CORS_ORIGIN', 'PORT'].map((k) => {
          const v = env.vars.get(k);
          return [k, v && [v.value, path.basename(v.file)]];
        }),
      );
    };
    assert.deepEqual(show('production'), {
      NODE_ENV: ['production', 'Dockerfile'],
      CORS_ORIGIN: ['https://shop.example.com', 'Dockerfile'],
      PORT: ['8080', 'Dockerfile'],
    });
    // docker-compose.yml builds `target: development` (a volume's `target:` is no build target).
    assert.deepEqual(show('development'), {
      NODE_ENV: ['development', 'Dockerfile'],
      CORS_ORIGIN: ['http://localhost:5173', 'Dockerfile'],
      PORT: ['8080', 'Dockerfile'],
    });
  });

  it("compose build.target: each compose file's stage and its FROM chain, never the last stage by default", () => {
    const origins = (name: string) => {
      const env = at('target-compose', 'app/main.py', name);
      const v = env.vars.get('ALLOWED_ORIGINS');
      return [v?.value, path.basename(v?.file ?? ''), env.vars.get('PYTHONUNBUFFERED')?.value];
    };
    // docker-compose.prod.yml's flow-style `build: { context: ., target: prod }`.
    assert.deepEqual(origins('production'), ['https://app.example.com', 'Dockerfile', '1']);
    assert.deepEqual(origins('development'), [
      'http://localhost:3000,http://localhost:5173',
      'Dockerfile',
      '1',
    ]);
  });

  it("monorepo: the root's compose files apply to the service whose build context is the project", () => {
    const file = 'config/settings/base.py';
    const dev = at('monorepo/backend', file, 'development');
    assert.equal(dev.vars.get('CORS_ALLOWED_ORIGINS')?.value, 'http://localhost:5173');
    assert.equal(
      path.relative(deploy, dev.vars.get('CORS_ALLOWED_ORIGINS')?.file ?? ''),
      'monorepo/docker-compose.yml',
    );
    // env_file: is relative to the compose file's folder.
    assert.equal(dev.vars.get('SECRET_KEY')?.value, 'docker-dev');
    // Other services' variables (the frontend's, the database's) are not the backend's.
    assert.equal(dev.vars.get('VITE_API_URL'), undefined);
    assert.equal(dev.vars.get('POSTGRES_PASSWORD'), undefined);
    assert.equal(dev.settings?.module, 'config.settings.local');
    const prod = at('monorepo/backend', file, 'production');
    assert.equal(prod.vars.get('CORS_ALLOWED_ORIGINS')?.value, 'https://app.example.com');
    assert.equal(prod.settings?.module, 'config.settings.production');
    assert.equal(path.basename(prod.settings?.file ?? ''), 'production.py');
    // The frontend project is built by its own service.
    const front = at('monorepo/frontend', 'package.json', 'development');
    assert.equal(front.vars.get('VITE_API_URL')?.value, 'http://localhost:8000');
    assert.equal(front.vars.get('CORS_ALLOWED_ORIGINS'), undefined);
  });
});
