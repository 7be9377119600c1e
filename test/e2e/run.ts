/**
 * The standard VS Code runner (as in vscode-extension-samples' lsp-sample): downloads VS Code with
 * @vscode/test-electron, opens a copy of test/fixtures/e2e/workspace with the extension under
 * development, and runs test/e2e/suite in its extension host. Run: `node --import tsx test/e2e/run.ts`
 * (after `node esbuild.mjs`). It needs Microsoft's download servers, which this machine and CI cannot
 * reach, so CI runs the same behaviour in code-server instead (code-server.test.ts).
 */
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

/** The part of @vscode/test-electron used here. */
interface TestElectron {
  runTests(options: {
    extensionDevelopmentPath: string;
    extensionTestsPath: string;
    launchArgs?: string[];
  }): Promise<number>;
}

const repo = path.resolve(__dirname, '../..');

async function main(): Promise<void> {
  let testElectron: TestElectron;
  try {
    // NOTE: not a devDependency yet (it cannot download VS Code here); `npm i -D @vscode/test-electron`.
    testElectron = createRequire(__filename)('@vscode/test-electron') as TestElectron;
  } catch {
    throw new Error(
      '@vscode/test-electron is not installed: npm install --save-dev @vscode/test-electron',
    );
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cors-lens-vscode-'));
  try {
    // The suite runs in VS Code's own Node: bundle it to one CommonJS file, `vscode` left external.
    const extensionTestsPath = path.join(scratch, 'suite.js');
    await esbuild.build({
      entryPoints: [path.join(__dirname, 'suite/index.ts')],
      outfile: extensionTestsPath,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['vscode'],
    });
    const workspace = path.join(scratch, 'workspace');
    fs.cpSync(path.join(repo, 'test/fixtures/e2e/workspace'), workspace, { recursive: true });
    const userData = path.join(scratch, 'user-data');
    fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
    fs.writeFileSync(
      path.join(userData, 'User/settings.json'),
      JSON.stringify({ 'security.workspace.trust.enabled': false, 'files.autoSave': 'off' }),
    );
    await testElectron.runTests({
      extensionDevelopmentPath: repo,
      extensionTestsPath,
      launchArgs: [workspace, '--disable-extensions', `--user-data-dir=${userData}`],
    });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
