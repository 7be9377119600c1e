/**
 * scripts/run-cli.mjs installs only the packages the CLI build needs (the Action's and the
 * pre-commit hook's default, without the npm package): that list must hold every package the
 * CLI's bundle reads, or a build from a fresh checkout fails. The build itself runs in
 * action.test.ts and pre-commit.test.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { bundleInputs } from '../../support/bundle-inputs';

const repo = path.resolve(__dirname, '../../..');

test('the CLI build installs every package the CLI bundle reads, at its package-lock version', async () => {
  const script = path.join(repo, 'scripts/run-cli.mjs');
  const { buildPackages } = (await import(script)) as {
    buildPackages(): Record<string, string>;
  };
  const packages = buildPackages();
  const metafile = await bundleInputs('server/src/cli/main.ts');
  const read = new Set(
    Object.keys(metafile.inputs).flatMap(
      (input) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1] ?? [],
    ),
  );
  // tldts-core comes with tldts (its exact dependency).
  read.delete('tldts-core');
  assert.deepEqual(
    [...read].filter((name) => !(name in packages)),
    [],
  );
  assert.ok(read.has('re2js') && read.has('web-tree-sitter'), [...read].join(' '));
  assert.ok('esbuild' in packages && 'tree-sitter-python' in packages);
  const lock = JSON.parse(readFileSync(path.join(repo, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version: string }>;
  };
  for (const [name, version] of Object.entries(packages))
    assert.equal(version, lock.packages[`node_modules/${name}`].version, name);
});
