/**
 * A real VS Code for the end-to-end suite: code-server (VS Code's server build, installed from the
 * npm registry by install-code-server.sh, outside the repo), started on 127.0.0.1 with a fresh user
 * data folder and the packaged .vsix installed into a fresh extensions folder.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../support/free-port';
import { hangGuardMs } from '../../support/hang-guard';

const repo = path.resolve(__dirname, '../../..');

/** Where the e2e suite keeps its screenshots and measurements ($CORS_LENS_E2E_ARTIFACTS). */
export const e2eArtifacts =
  process.env.CORS_LENS_E2E_ARTIFACTS ?? path.join(os.tmpdir(), 'cors-lens-e2e-screenshots');

/** The file in `e2eArtifacts` where the e2e suite records the activation time VS Code reported (ms). */
export const activationRecord = 'activation-ms.txt';

/** The Node 24 binary and the code-server package folder. */
export interface CodeServerInstall {
  node: string;
  codeServer: string;
}

/** Installs code-server if its cached copy is missing (minutes the first time, instant after). */
export function installCodeServer(): CodeServerInstall {
  let out: string;
  try {
    out = execFileSync('bash', [path.join(repo, 'test/e2e/install-code-server.sh')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      // A guard, not a wait: the script ends when the install is ready, and cleans up if killed.
      timeout: hangGuardMs(20 * 60_000),
    });
  } catch (error) {
    throw new Error(
      `code-server could not be installed (test/e2e/install-code-server.sh failed): ${String(error)}`,
    );
  }
  const value = (key: string) => out.match(new RegExp(`^${key}=(.+)$`, 'm'))?.[1];
  const node = value('node');
  const codeServer = value('code_server');
  if (!node || !codeServer)
    throw new Error(`install-code-server.sh printed no install paths:\n${out}`);
  return { node, codeServer };
}

/** Packages the extension as `npm run package` does, from the bundles in dist/, into `dir`. */
export function packageVsix(dir: string): string {
  for (const bundle of ['client.js', 'server.js', 'cli.js']) {
    if (!fs.existsSync(path.join(repo, 'dist', bundle)))
      throw new Error(`dist/${bundle} is missing: run \`node esbuild.mjs\` first.`);
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  const out = path.join(dir, `${pkg.name}-${pkg.version}.vsix`);
  execFileSync(
    path.join(repo, 'node_modules/.bin/vsce'),
    ['package', '--no-dependencies', '--out', out],
    {
      cwd: repo,
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 120_000,
    },
  );
  return out;
}

/** Resolves once `url` answers any HTTP status; rejects after `timeoutMs` or when `child` exits. */
async function waitForHttp(
  url: string,
  child: ChildProcess,
  log: () => string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`code-server exited with ${child.exitCode}:\n${log()}`);
    const up = await new Promise<boolean>((resolve) => {
      const req = http.get(url, (res) => {
        res.resume();
        resolve(true);
      });
      req.on('error', () => resolve(false));
      req.setTimeout(1000, () => req.destroy());
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer on ${url} within ${timeoutMs} ms:\n${log()}`);
}

export interface CodeServerOptions {
  install: CodeServerInstall;
  vsix: string;
  /** Whether workspace trust is on (a new folder then opens in Restricted Mode). */
  workspaceTrust: boolean;
}

/** One running code-server with its own user data and extensions folders. */
export class CodeServer {
  private output = '';

  private constructor(
    readonly url: string,
    private readonly child: ChildProcess,
    private readonly home: string,
  ) {}

  /** Installs the .vsix, starts code-server on a free loopback port and waits until it answers. */
  static async start(options: CodeServerOptions): Promise<CodeServer> {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'cors-lens-code-server-'));
    const userData = path.join(home, 'user-data');
    const extensions = path.join(home, 'extensions');
    fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
    const userSettings: Record<string, unknown> = {
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'chat.disableAIFeatures': true,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'extensions.autoCheckUpdates': false,
      'files.autoSave': 'off',
      // The preview page is read line by line from the screen: no soft wrapping.
      '[markdown]': { 'editor.wordWrap': 'off' },
      // A quick input stays open when focus moves away. After a quick input closes, VS Code gives
      // focus back to the editor that had it; for a webview (the preview, the explanation) that
      // hand-off is asynchronous (its frames are focused by message), and on a busy machine it
      // lands after the suite has already opened the next quick input, which then closed at once
      // ("element is inert", then "not visible") in full CI runs. The keys go where fill() puts them.
      'workbench.quickOpen.closeOnFocusLost': false,
      'security.workspace.trust.enabled': options.workspaceTrust,
      'security.workspace.trust.startupPrompt': 'never',
    };
    fs.writeFileSync(
      path.join(userData, 'User/settings.json'),
      JSON.stringify(userSettings, null, 2),
    );
    const port = await freePort();
    // A config file of our own, so code-server does not write one into the user's ~/.config.
    const config = path.join(home, 'config.yaml');
    fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\n`);
    const common = [
      '--config',
      config,
      '--user-data-dir',
      userData,
      '--extensions-dir',
      extensions,
    ];
    const entry = path.join(options.install.codeServer, 'out/node/entry.js');
    execFileSync(
      options.install.node,
      [entry, ...common, '--install-extension', options.vsix, '--force'],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
        timeout: 60_000,
      },
    );
    const args = [
      entry,
      ...common,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
    ];
    // Its own process group, so stop() also ends the extension host and our language server.
    const child = spawn(options.install.node, args, {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new CodeServer(`http://127.0.0.1:${port}`, child, home);
    const collect = (chunk: Buffer) => (server.output += chunk.toString());
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    try {
      await waitForHttp(server.url, child, () => server.output, hangGuardMs(60_000));
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  /**
   * The text of extension output channel `name` as the workbench logged it to disk
   * (`<n>-<name>.log` in an `output_logging` folder under `<user data>/logs`), empty while none.
   */
  outputChannelText(name: string): string {
    const logs = path.join(this.home, 'user-data', 'logs');
    const found = fs.existsSync(logs)
      ? (fs.readdirSync(logs, { recursive: true }) as string[]).filter((f) =>
          path.basename(f).endsWith(`-${name}.log`),
        )
      : [];
    return found.map((f) => fs.readFileSync(path.join(logs, f), 'utf8')).join('\n');
  }

  /** The workbench URL that opens `folder`. */
  folderUrl(folder: string): string {
    return `${this.url}/?folder=${encodeURIComponent(folder)}`;
  }

  /** What code-server printed (for failure messages). */
  get log(): string {
    return this.output;
  }

  /** Ends code-server's process group (SIGTERM, then SIGKILL after 5 s) and removes its folders. */
  async stop(): Promise<void> {
    const { child } = this;
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const signal = (s: NodeJS.Signals) => {
        try {
          process.kill(-child.pid!, s);
        } catch {
          // Already gone.
        }
      };
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      signal('SIGKILL'); // children that outlived their parent
    }
    fs.rmSync(this.home, { recursive: true, force: true });
  }
}
