/**
 * Policies per environment from real project files: what `cors-lens preview --env NAME` and the
 * editor's preview read. The Django DEBUG project is also served for real in
 * test/truth/environments.test.ts.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { policiesInEnvironment } from '../../../server/src/analysis/environment-policies';
import { DiskReader } from '../../../server/src/base/disk-reader';
import { djangoFramework } from '../../../server/src/frameworks/django';
import { runsInProduction } from '../../../server/src/environment/resolve';

const FIXTURES = path.join(__dirname, '../../fixtures');

/** The policies' origins and credentials in environment `name`, as plain data. */
async function summary(file: string, name: string) {
  const { policies } = await policiesInEnvironment(
    name,
    path.join(FIXTURES, file),
    new DiskReader(),
  );
  return policies.map((p) => ({
    allowAll: p.origins.allowAll,
    origins: p.origins.exact.map((o) => o.value),
    credentials: p.credentials,
  }));
}

describe('policies per environment', () => {
  it('Django: `if DEBUG:` with DEBUG from DJANGO_DEBUG is on in development, off in production', async () => {
    const file = 'truth/environments/django-debug/proj/settings.py';
    assert.deepEqual(await summary(file, 'development'), [
      { allowAll: true, origins: [], credentials: false },
    ]);
    assert.deepEqual(await summary(file, 'production'), [
      {
        allowAll: false,
        origins: ['https://app.example.com', 'https://admin.example.com'],
        credentials: true,
      },
    ]);
  });

  it('Express: config[env] with env = process.env.NODE_ENV || "development"', async () => {
    const file = 'environments/lookup/server.js';
    assert.deepEqual(await summary(file, 'development'), [
      { allowAll: false, origins: ['http://localhost:5173'], credentials: false },
    ]);
    assert.deepEqual(await summary(file, 'production'), [
      { allowAll: false, origins: ['https://shop.example.com'], credentials: true },
    ]);
    // A custom environment sets no NODE_ENV: the code's default, development's entry.
    assert.deepEqual(await summary(file, 'staging'), [
      { allowAll: false, origins: ['http://localhost:5173'], credentials: false },
    ]);
  });

  it("Django: the production site's origins from CSRF_TRUSTED_ORIGINS, then ALLOWED_HOSTS", async () => {
    const site = async (project: string) => {
      const file = `checks/works-in-dev-only/${project}/backend/proj/settings/production.py`;
      const { policies } = await policiesInEnvironment(
        'production',
        path.join(FIXTURES, file),
        new DiskReader(),
      );
      return policies.flatMap((p) => djangoFramework.siteOrigins?.(p) ?? []);
    };
    // `https://*.example.org`, `.example.org` (any subdomain) and `10.0.0.5` name no one site.
    assert.deepEqual(await site('invalid-direct-env-csrf-trusted'), [
      { origin: 'https://www.example.org', from: 'CSRF_TRUSTED_ORIGINS' },
      { origin: 'https://backend.example.org', from: 'ALLOWED_HOSTS' },
    ]);
    // `*` names no site.
    assert.deepEqual(await site('invalid-direct-env-allowed-hosts'), [
      { origin: 'https://backend.example.org', from: 'ALLOWED_HOSTS' },
      { origin: 'https://shop.example.org', from: 'ALLOWED_HOSTS' },
    ]);
  });

  it("Rails: config.x.cors_origins from config/environments/<env>.rb reaches the initializer's origins", async () => {
    const file = 'truth/environments/rails/config/initializers/cors.rb';
    const policy = (origins: string[]) => [{ allowAll: false, origins, credentials: true }];
    assert.deepEqual(
      await summary(file, 'development'),
      policy(['http://localhost:3000', 'http://localhost:5173']),
    );
    assert.deepEqual(await summary(file, 'production'), policy(['https://app.example.com']));
    // .env.staging names RAILS_ENV=staging and CORS_ORIGINS, which staging.rb reads.
    assert.deepEqual(await summary(file, 'staging'), policy(['https://staging.example.com']));
    const { policies } = await policiesInEnvironment(
      'production',
      path.join(FIXTURES, file),
      new DiskReader(),
    );
    // The files that set config.x are the policy's too, so production.rb's env read is noted.
    assert.deepEqual(
      policies[0].files.map((f) => path.relative(FIXTURES, f)),
      [
        file,
        'truth/environments/rails/config/application.rb',
        'truth/environments/rails/config/environments/production.rb',
      ],
    );
    // The initializer's config.x read is noted too, with the file that set it in production.
    assert.deepEqual(
      policies[0].envReads?.map((r) => [
        r.name,
        r.fallback?.text,
        r.setBy && path.relative(FIXTURES, r.setBy.file),
      ]),
      [
        ['CORS_ORIGINS', '"https://app.example.com"', undefined],
        [
          'config.x.cors_origins',
          undefined,
          'truth/environments/rails/config/environments/production.rb',
        ],
      ],
    );
  });

  it('Rails: Rack::Cors inserted in development.rb runs in development only', async () => {
    const file = 'truth/environments/rails-dev-cors/config/environments/development.rb';
    assert.deepEqual(await summary(file, 'development'), [
      {
        allowAll: false,
        origins: ['http://localhost:3000', 'http://127.0.0.1:3000'],
        credentials: false,
      },
    ]);
    const production = await policiesInEnvironment(
      'production',
      path.join(FIXTURES, file),
      new DiskReader(),
    );
    assert.equal(
      path.relative(FIXTURES, production.file),
      'truth/environments/rails-dev-cors/config/environments/production.rb',
    );
    assert.deepEqual(production.policies, []);
    const reader = new DiskReader();
    assert.equal(runsInProduction(path.join(FIXTURES, file), reader), false);
    assert.equal(
      runsInProduction(
        path.join(FIXTURES, 'truth/environments/rails/config/environments/production.rb'),
        reader,
      ),
      true,
    );
  });

  it('Rails: if/unless Rails.env.production? decide origins, allow blocks and the insert itself', async () => {
    const branches = 'truth/environments/rails-env-branches/config/initializers/cors.rb';
    assert.deepEqual(await summary(branches, 'development'), [
      {
        allowAll: false,
        origins: ['http://localhost:3000', 'http://localhost:5173'],
        credentials: true,
      },
      { allowAll: true, origins: [], credentials: false },
    ]);
    assert.deepEqual(await summary(branches, 'production'), [
      {
        allowAll: false,
        origins: ['https://app.example.com', 'https://admin.example.com'],
        credentials: true,
      },
    ]);
    const wrapped = 'truth/environments/rails-wrapped/config/initializers/cors.rb';
    assert.deepEqual(await summary(wrapped, 'development'), [
      { allowAll: false, origins: ['http://localhost:5173'], credentials: false },
    ]);
    assert.deepEqual(await summary(wrapped, 'production'), []);
  });

  it('Rails: an environment that sets no RAILS_ENV runs Rails.env development, as its config.x does', async () => {
    // staging names neither RAILS_ENV nor RACK_ENV: railties' default, development, decides the
    // branches as it decides which config/environments file sets config.x.
    const branches = 'truth/environments/rails-env-branches/config/initializers/cors.rb';
    assert.deepEqual(await summary(branches, 'staging'), await summary(branches, 'development'));
    const wrapped = 'truth/environments/rails-wrapped/config/initializers/cors.rb';
    assert.deepEqual(await summary(wrapped, 'staging'), [
      { allowAll: false, origins: ['http://localhost:5173'], credentials: false },
    ]);
    const { policies } = await policiesInEnvironment(
      'staging',
      path.join(FIXTURES, wrapped),
      new DiskReader(),
    );
    assert.deepEqual(
      policies[0].envReads?.map((r) => [r.name, r.setBy]),
      [
        ['RAILS_ENV', undefined],
        ['RACK_ENV', undefined],
      ],
    );
  });
});
