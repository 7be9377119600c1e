#!/usr/bin/env node
// Runs `cors-lens` built from this checkout, so the GitHub Action (action.yml, `cli` input empty)
// and the pre-commit hook (.pre-commit-hooks.yaml) work without the npm package being published.
// The first run builds the CLI's package (cli/dist) as `node esbuild.mjs --cli-package` does, and
// later runs of the same checkout reuse it. The build needs only esbuild, web-tree-sitter, the
// grammar packages (server/src/parsing/languages.json) and the packages the CLI bundles, at the
// versions of package-lock.json: they are installed with --ignore-scripts into .cli-build/ (about
// 22 MB downloaded, 140 MB on disk), not the extension's ~440 MB of development dependencies.
// A checkout whose node_modules already holds them (a developer's) builds with those.
// CORS_LENS_CLI_NODE_MODULES=DIR takes them from DIR instead of the registry (offline: the tests).
//
//   scripts/run-cli.mjs check . --format sarif
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(repo, 'cli', 'dist', 'cli.js');
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** What bundling the CLI reads from node_modules; test/unit/ci/run-cli.test.ts checks the list. */
export const cliBundles = ['re2js', 'tldts'];

/** The packages the build needs, each at its package-lock.json version. */
export function buildPackages() {
  const lock = readJson(path.join(repo, 'package-lock.json'));
  const grammars = readJson(path.join(repo, 'server/src/parsing/languages.json'))
    .map((language) => language.package)
    .filter(Boolean);
  const names = [...new Set(['esbuild', 'web-tree-sitter', ...grammars, ...cliBundles])];
  return Object.fromEntries(
    names.map((name) => [name, lock.packages[`node_modules/${name}`].version]),
  );
}

/** Whether `dir` (a node_modules) holds every package at its version. */
function holds(dir, packages) {
  return Object.entries(packages).every(([name, version]) => {
    const manifest = path.join(dir, name, 'package.json');
    return existsSync(manifest) && readJson(manifest).version === version;
  });
}

/** Makes the checkout's node_modules hold the build's packages. */
function install(packages) {
  const modules = path.join(repo, 'node_modules');
  if (holds(modules, packages)) return;
  const own = lstatSync(modules, { throwIfNoEntry: false });
  if (own && !own.isSymbolicLink())
    throw new Error(`${modules} lacks a package of the CLI build (npm ci there)`);
  const offline = process.env.CORS_LENS_CLI_NODE_MODULES;
  if (offline && !holds(offline, packages))
    throw new Error(`CORS_LENS_CLI_NODE_MODULES (${offline}) lacks a package of the build`);
  let source = offline && path.resolve(offline);
  if (!source) {
    const prefix = path.join(repo, '.cli-build');
    mkdirSync(prefix, { recursive: true });
    writeFileSync(
      path.join(prefix, 'package.json'),
      JSON.stringify({ private: true, dependencies: packages }),
    );
    console.error(
      `cors-lens: installing the CLI build's ${Object.keys(packages).length} packages (once)`,
    );
    // No install scripts: the grammar packages' native builds are not used (their wasm is).
    execFileSync(
      'npm',
      ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock'],
      {
        cwd: prefix,
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    source = path.join(prefix, 'node_modules');
  }
  // Only a link this script made is replaced: a developer's own node_modules is never removed.
  if (lstatSync(modules, { throwIfNoEntry: false })?.isSymbolicLink()) rmSync(modules);
  symlinkSync(source, modules, 'dir');
}

/** Builds cli/dist unless it is there: into a fresh folder first, so a failed build leaves none. */
function build() {
  if (existsSync(cli)) return;
  install(buildPackages());
  const scratch = path.join(repo, `.cli-build-${process.pid}`);
  try {
    console.error('cors-lens: building the CLI from this checkout (once)');
    execFileSync(process.execPath, ['esbuild.mjs', `--cli-package=${scratch}`], {
      cwd: repo,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    // Another run may have finished first: its build is the same.
    if (!existsSync(cli)) renameSync(path.join(scratch, 'dist'), path.dirname(cli));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

// Run, not imported (the test imports buildPackages); realpath: a checkout under a symlinked
// folder (macOS's /tmp) names this file by its link in argv, by its target in import.meta.url.
if (realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  build();
  const run = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(run.status ?? 2);
}
