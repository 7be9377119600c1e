import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { languages } from '../../../server/src/parsing/languages';
import { installCli, packCli, type PackedCli } from '../../support/cli-package';
import { cli, cliFixtures } from './cli-helpers';
import { hangGuardMs } from '../../support/hang-guard';

const repo = path.resolve(__dirname, '../../..');
const rootVersion = (
  JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as {
    version: string;
  }
).version;

/** `npm pack ./cli` gives a tarball whose `npx cors-lens` runs in a project with nothing else installed. */
describe('the CLI as an npm package', () => {
  let packed: PackedCli;
  let project: string;
  const npx = (args: string[]) => {
    const run = spawnSync('npx', ['--offline', 'cors-lens', ...args], {
      cwd: project,
      env: packed.env,
      encoding: 'utf8',
      timeout: hangGuardMs(120_000),
    });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
  };

  before(() => {
    packed = packCli();
    project = path.join(packed.root, 'project');
    installCli(packed, project);
    cpSync(cliFixtures, project, { recursive: true });
    cpSync(path.join(repo, 'examples'), path.join(project, 'examples'), { recursive: true });
  });
  after(() => packed?.remove());

  test('the tarball holds the bundle, every grammar wasm, the licence and the manifest, nothing else', () => {
    const entries = execFileSync('tar', ['-tzf', packed.tarball], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .sort();
    const wasm = [
      'web-tree-sitter.wasm',
      ...new Set(languages.map((l) => l.wasm)), // tsx and typescript share a package, not a file
    ].map((file) => `package/dist/${file}`);
    assert.deepEqual(
      entries,
      [
        'package/README.md',
        'package/dist/LICENSE',
        'package/dist/cli.js',
        ...wasm,
        'package/package.json',
      ].sort(),
    );
    assert.equal(path.basename(packed.tarball), `cors-lens-${rootVersion}.tgz`);
  });

  test('its manifest: the root version, a cors-lens bin, no dependencies of any kind', () => {
    const manifest = JSON.parse(
      execFileSync('tar', ['-xzOf', packed.tarball, 'package/package.json'], { encoding: 'utf8' }),
    ) as Record<string, unknown>;
    assert.equal(manifest.name, 'cors-lens');
    assert.equal(manifest.version, rootVersion);
    assert.deepEqual(manifest.bin, { 'cors-lens': 'dist/cli.js' });
    for (const key of ['dependencies', 'peerDependencies', 'optionalDependencies'])
      assert.equal(manifest[key], undefined, key);
  });

  test('installed offline into a fresh project, it is the only package there', () => {
    assert.deepEqual(readdirSync(path.join(project, 'node_modules')).sort(), [
      '.bin',
      '.package-lock.json',
      'cors-lens',
    ]);
  });

  test('npx cors-lens --version prints the version', () => {
    const run = npx(['--version']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `${rootVersion}\n`);
  });

  test('npx cors-lens check: exit 1 on an error finding, 0 on a clean file', () => {
    const error = npx(['check', 'error.py']);
    assert.equal(error.code, 1, error.stderr);
    assert.match(
      error.stdout,
      /^error\.py:11:1 {2}error {2}CORS_ALLOW_ALL_ORIGINS\b.*\[allow-all-origins\]$/m,
    );
    const clean = npx(['check', 'clean.py']);
    assert.equal(clean.code, 0, clean.stderr);
    assert.equal(
      clean.stdout,
      'No CORS problems found (1 file checked, 1 with a CORS setup modelled).\n',
    );
  });

  test('over examples/ (every language) it finds exactly what the repository build finds', () => {
    const packaged = npx(['check', 'examples', '--format', 'json']);
    const built = cli(['check', 'examples', '--format', 'json'], project);
    assert.equal(packaged.code, built.code);
    assert.equal(packaged.stdout, built.stdout);
    const report = JSON.parse(packaged.stdout) as { findings: unknown[]; modelled: string[] };
    const extensions = new Set(report.modelled.map((file) => path.extname(file)));
    for (const ext of ['.py', '.ts', '.js', '.rb', '.php', '.conf', '.yaml'])
      assert.ok(extensions.has(ext), `a ${ext} file is modelled`);
    assert.ok(report.findings.length > 0);
  });
});
