/**
 * Real non-Python servers on 127.0.0.1 for the probe tests: npm express 5 + cors 2.8 (in this
 * process) and Debian's nginx (its own prefix folder, `daemon off`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import cors from 'cors';
import express from 'express';
import type { RunningServer } from './python-servers';
import { freePort } from '../../support/free-port';
import { hangGuardMs } from '../../support/hang-guard';

/** Express answering every path with `cors(options)` in front. */
export function startExpress(options: cors.CorsOptions): Promise<RunningServer> {
  const app = express();
  app.use(cors(options));
  app.use((_req, res) => void res.send('ok\n'));
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ base: `http://127.0.0.1:${port}`, stop: () => void server.close() });
    });
  });
}

const NGINX = '/usr/sbin/nginx';

async function waitForPort(port: number, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      // Every way the attempt can end settles it (a destroyed socket emits no 'error').
      socket.on('error', () => resolve(false));
      socket.on('close', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nginx did not listen on ${port}`);
}

/** Throws with a clear message when nginx is missing. */
export function requireNginx(): void {
  const check = spawnSync(NGINX, ['-v'], { encoding: 'utf8' });
  if (check.error || check.status !== 0)
    throw new Error(
      `nginx is needed (apt install nginx-light): ${check.error?.message ?? check.stderr}`,
    );
}

/** nginx with `locationBody` inside `location / { ... }`; it always answers 200 "ok". */
export async function startNginx(locationBody: string): Promise<RunningServer> {
  const prefix = mkdtempSync(path.join(tmpdir(), 'cors-lens-nginx-'));
  mkdirSync(path.join(prefix, 'logs'));
  const port = await freePort();
  writeFileSync(
    path.join(prefix, 'nginx.conf'),
    `worker_processes 1;
pid nginx.pid;
events { worker_connections 64; }
http {
  access_log off;
  server {
    listen 127.0.0.1:${port};
    location / {
${locationBody}
      return 200 "ok\\n";
    }
  }
}
`,
  );
  const child = spawn(
    NGINX,
    ['-p', `${prefix}/`, '-c', 'nginx.conf', '-e', 'logs/error.log', '-g', 'daemon off;'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const stop = () => {
    child.kill();
    rmSync(prefix, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, Date.now() + hangGuardMs(30_000));
  } catch (error) {
    stop();
    throw error;
  }
  return { base: `http://127.0.0.1:${port}`, stop };
}
