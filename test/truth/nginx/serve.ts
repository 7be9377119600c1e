/**
 * Real nginx for the truth suite: a fixture's nginx.conf with its ports filled in, run in its own
 * prefix (`nginx -p DIR/ -c nginx.conf -e logs/error.log -g 'daemon off;'`) on 127.0.0.1, never
 * the system nginx.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../support/free-port';
import { hangGuardMs } from '../../support/hang-guard';

export const NGINX = '/usr/sbin/nginx';

/** Why real nginx cannot run here, or undefined when it can. */
export function missingNginx(): string | undefined {
  const probe = spawnSync(NGINX, ['-v'], { encoding: 'utf8' });
  if (probe.error)
    return `${NGINX} cannot run (${probe.error.message}); install Debian's nginx-light (test/install-system.sh)`;
  return probe.status === 0 ? undefined : `${NGINX} -v failed: ${probe.stderr}`;
}

/** One running nginx. */
export interface RealNginx {
  child: ChildProcess;
  dir: string;
  /** The config as served (ports filled in), analysed by the extractor. */
  conf: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Files the static-file fixtures serve: the model assumes a requested file exists, and so does a
 * requested directory's index file.
 */
const STATIC_FILES = [
  'index.html',
  'api/items',
  'public/health',
  'public/index.html',
  'nowhere/at/all',
];

/**
 * Starts nginx on a fixture (`@PORT@`, `@UPSTREAM_PORT@` filled in) and waits until it accepts
 * connections. `upstreamPort`: a real app already listening there (else a free port).
 */
export async function startNginx(fixture: string, upstreamPort?: number): Promise<RealNginx> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cors-lens-nginx-'));
  // Workers run as `nobody` when the suite runs as root: they must read the prefix.
  chmodSync(dir, 0o755);
  mkdirSync(path.join(dir, 'logs'));
  for (const file of STATIC_FILES) {
    mkdirSync(path.dirname(path.join(dir, 'html', file)), { recursive: true });
    writeFileSync(path.join(dir, 'html', file), 'static\n');
  }
  const [port, upstream] = [await freePort(), upstreamPort ?? (await freePort())];
  const conf = path.join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    readFileSync(fixture, 'utf8')
      .replace(/@PORT@/g, String(port))
      .replace(/@UPSTREAM_PORT@/g, String(upstream)),
  );
  const child = spawn(
    NGINX,
    ['-p', `${dir}/`, '-c', 'nginx.conf', '-e', 'logs/error.log', '-g', 'daemon off;'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + hangGuardMs(30_000);
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`nginx did not start for ${fixture}: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return { child, dir, conf, port, stop };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
