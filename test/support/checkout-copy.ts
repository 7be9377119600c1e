import { cpSync, mkdirSync } from 'node:fs';
import path from 'node:path';

const repo = path.resolve(__dirname, '../..');

/** What building the CLI from a checkout reads (scripts/run-cli.mjs, esbuild.mjs). */
const buildInputs = [
  'esbuild.mjs',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'LICENSE',
  'action.yml',
  '.pre-commit-hooks.yaml',
  'scripts/run-cli.mjs',
  'server/src',
  'grammars',
  'cli',
];

/**
 * A copy of this checkout in `dir` as the Action's runner or pre-commit has it: no node_modules,
 * no built CLI. The environment to run scripts/run-cli.mjs with offline: the build's packages
 * come from this repository's node_modules instead of the registry.
 */
export function copyCheckout(dir: string): NodeJS.ProcessEnv {
  mkdirSync(dir, { recursive: true });
  for (const input of buildInputs)
    cpSync(path.join(repo, input), path.join(dir, input), {
      recursive: true,
      filter: (source) => path.relative(path.join(repo, 'cli'), source) !== 'dist',
    });
  return { CORS_LENS_CLI_NODE_MODULES: path.join(repo, 'node_modules') };
}
