import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The bundled CLI (dist/cli.js, built by test/run.sh). */
export const cliBundle = path.resolve(__dirname, '../../../dist/cli.js');
export const cliFixtures = path.resolve(__dirname, '../../fixtures/cli');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/cli.js ...args` in `cwd` (killed after a minute: a hang fails the test, not the run). */
export function cli(args: string[], cwd: string): CliRun {
  const result = spawnSync(process.execPath, [cliBundle, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * A scratch folder holding the given files (fixture names copied from test/fixtures/cli, or
 * literal contents). Built at test time: a committed `.gitignore` or `node_modules` inside the
 * fixtures would change what git itself stores.
 */
export function scratch(
  files: Record<string, { fixture: string } | { text: string | Buffer }>,
): string {
  const root = mkdtempSync(path.join(tmpdir(), 'cors-lens-cli-'));
  for (const [name, source] of Object.entries(files)) {
    const target = path.join(root, name);
    mkdirSync(path.dirname(target), { recursive: true });
    if ('fixture' in source) cpSync(path.join(cliFixtures, source.fixture), target);
    // A copy: Buffer's own type does not fit writeFileSync's under TS 5.9's typed-array generics.
    else
      writeFileSync(
        target,
        typeof source.text === 'string' ? source.text : new Uint8Array(source.text),
      );
  }
  return root;
}
