import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const repo = path.resolve(__dirname, '../..');

/** The CLI's npm package, packed, in a scratch folder that `remove()` deletes. */
export interface PackedCli {
  /** The scratch folder (the tarball, npm's cache, and whatever the test adds). */
  root: string;
  /** `cors-lens-<version>.tgz` inside `root`. */
  tarball: string;
  /**
   * The environment every npm/npx call of the test runs with: npm's cache in `root`, offline
   * (the package has no dependencies, so nothing needs the registry: a request to it fails the
   * test instead of reaching the network), no audit, fund or update notices.
   */
  env: NodeJS.ProcessEnv;
  remove(): void;
}

/**
 * Builds the CLI's npm package as `npm run pack:cli` does, from a copy of `cli/` (the checkout's
 * `cli/dist` is left alone, so parallel test files never race on it), and packs it with npm.
 */
export function packCli(): PackedCli {
  const root = mkdtempSync(path.join(tmpdir(), 'cors-lens-pack-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    npm_config_cache: path.join(root, 'npm-cache'),
    npm_config_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  const pkg = path.join(root, 'package');
  cpSync(path.join(repo, 'cli'), pkg, {
    recursive: true,
    filter: (source) => path.relative(path.join(repo, 'cli'), source) !== 'dist',
  });
  execFileSync(process.execPath, ['esbuild.mjs', `--cli-package=${pkg}`], { cwd: repo });
  const packed = path.join(root, 'packed');
  mkdirSync(packed);
  execFileSync('npm', ['pack', pkg, '--pack-destination', packed], { env, encoding: 'utf8' });
  const [name] = readdirSync(packed);
  return {
    root,
    tarball: path.join(packed, name),
    env,
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** A fresh npm project in `dir` with the packed CLI installed from its tarball, offline. */
export function installCli(cli: PackedCli, dir: string): void {
  mkdirSync(dir, { recursive: true });
  execFileSync('npm', ['init', '--yes'], { cwd: dir, env: cli.env, stdio: 'ignore' });
  execFileSync('npm', ['install', cli.tarball], { cwd: dir, env: cli.env, stdio: 'ignore' });
}
