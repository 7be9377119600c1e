/**
 * The major of an npm package a file's project runs: real fixture projects (package.json with a lockfile of
 * each format, or none) in, the exact major and the file that said so out.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { DiskReader } from '../../../server/src/base/disk-reader';
import { packageVersion, majorOf } from '../../../server/src/workspace/npm-version';

const fixtures = path.resolve(__dirname, '../../fixtures/express-versions');

describe('the Express major of a project', () => {
  for (const [file, major, said, says] of [
    ['range-caret-4/server.js', 4, 'range-caret-4/package.json', '^4.18.2'],
    ['range-5x/server.js', 5, 'range-5x/package.json', '5.x'],
    ['range-latest/server.js', undefined, undefined, undefined],
    ['no-express/server.js', undefined, undefined, undefined],
    ['npm-v1/server.js', 4, 'npm-v1/package-lock.json', '4.17.1'],
    ['npm-v2/server.js', 4, 'npm-v2/package-lock.json', '4.21.2'],
    ['npm-v3-over-latest/server.js', 5, 'npm-v3-over-latest/package-lock.json', '5.1.0'],
    ['yarn-classic-two-majors/server.js', 4, 'yarn-classic-two-majors/yarn.lock', '4.21.2'],
    ['yarn-berry/server.js', 5, 'yarn-berry/yarn.lock', '5.1.0'],
    ['pnpm-v5/server.js', 5, 'pnpm-v5/pnpm-lock.yaml', '5.1.0'],
    ['pnpm-v6/server.js', 4, 'pnpm-v6/pnpm-lock.yaml', '4.19.2'],
    ['pnpm-v9-workspace/apps/api/src/server.js', 4, 'pnpm-v9-workspace/pnpm-lock.yaml', '4.21.2'],
    ['pnpm-v9-workspace/apps/admin/server.js', 5, 'pnpm-v9-workspace/pnpm-lock.yaml', '5.1.0'],
    ['npm-workspaces/packages/api/server.js', 5, 'npm-workspaces/package-lock.json', '5.0.1'],
    ['npm-workspaces/packages/legacy/server.js', 4, 'npm-workspaces/package-lock.json', '4.21.2'],
    // The package declares no express: the workspace root's is the one Node resolves.
    [
      'npm-workspaces-root-declares/services/gateway/server.js',
      4,
      'npm-workspaces-root-declares/package.json',
      '^4.21.2',
    ],
  ] as const)
    test(`${file}: ${major ?? 'unknown'}`, () => {
      const reader = new DiskReader();
      const found = packageVersion(path.join(fixtures, file), 'express', (f) => reader.read(f));
      assert.deepEqual(
        found,
        major === undefined ? {} : { major, file: path.join(fixtures, said), says },
      );
    });

  test('a lockfile above a project that is not its workspace is not its lockfile', () => {
    // The repository's own package-lock.json (Express 5) sits above range-caret-4, which is no
    // workspace of it: the project's own range decides.
    const reader = new DiskReader();
    const found = packageVersion(path.join(fixtures, 'range-caret-4/server.js'), 'express', (f) =>
      reader.read(f),
    );
    assert.equal(found.major, 4);
    assert.ok(reader.read(path.resolve(__dirname, '../../../package-lock.json')));
  });
});

describe('the major of a version or range', () => {
  for (const [range, major] of [
    ['4.21.2', 4],
    ['^4.18.2', 4],
    ['~5.0.0', 5],
    ['5.x', 5],
    ['4', 4],
    ['=4.17.1', 4],
    ['npm:express@^4.21.0', 4],
    ['latest', undefined],
    ['*', undefined],
    ['>=4.17.0', undefined],
    ['^4.0.0 || ^5.0.0', undefined],
    ['github:expressjs/express', undefined],
  ] as const)
    test(`${range} → ${major ?? 'unknown'}`, () => assert.equal(majorOf(range, 'express'), major));
});

describe('a scoped package in each lockfile format', () => {
  const manifest = JSON.stringify({
    name: 'api',
    dependencies: { fastify: '^4.26.0', '@fastify/cors': '^8.4.0' },
  });
  const lockfiles: [string, string][] = [
    [
      'package-lock.json',
      JSON.stringify({
        lockfileVersion: 3,
        packages: {
          '': { dependencies: { '@fastify/cors': '^8.4.0' } },
          'node_modules/@fastify/cors': { version: '8.5.0' },
        },
      }),
    ],
    [
      'yarn.lock',
      '# yarn lockfile v1\n\n"@fastify/cors@^8.4.0":\n  version "8.5.0"\n  resolved "https://registry.yarnpkg.com/@fastify/cors/-/cors-8.5.0.tgz"\n\nfastify@^4.26.0:\n  version "4.26.2"\n',
    ],
    [
      'pnpm-lock.yaml',
      "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      '@fastify/cors':\n        specifier: ^8.4.0\n        version: 8.5.0\n      fastify:\n        specifier: ^4.26.0\n        version: 4.26.2\n",
    ],
  ];
  for (const [name, text] of lockfiles)
    test(`${name}: @fastify/cors 8.5.0 → 8, fastify → 4`, () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'npm-version-'));
      try {
        fs.writeFileSync(path.join(dir, 'package.json'), manifest);
        fs.writeFileSync(path.join(dir, name), text);
        const server = path.join(dir, 'server.js');
        const reader = new DiskReader();
        const read = (f: string) => reader.read(f);
        assert.deepEqual(packageVersion(server, '@fastify/cors', read), {
          major: 8,
          file: path.join(dir, name),
          says: '8.5.0',
        });
        assert.equal(packageVersion(server, 'fastify', read).major, 4);
        assert.deepEqual(packageVersion(server, 'express', read), {});
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
});
