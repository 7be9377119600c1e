/**
 * Host ports a `docker-compose.yml` (or `compose.yaml`) publishes for services built from a folder
 * of the workspace: `build: ./backend` (or `build: {context: ./backend}`) with `ports: ["8001:8000"]`
 * means a browser reaches the app under `backend/` on 8001. A service that publishes nothing
 * (`network_mode: host`) is reached on the port its `command:` names (`uvicorn main:app --port
 * 8002`). Read line by line for the common block style; flow-style services or anchors are left
 * alone (the app's own ports still count).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { SourceReader } from '../base/source-reader';
import { commandPort } from './command-port';
import type { LaunchPort } from './launch-ports';

const COMPOSE_FILES = ['docker-compose.yml', 'docker-compose.yaml', 'compose.yml', 'compose.yaml'];

interface Service {
  name: string;
  context?: string;
  ports: number[];
  /** The `command:` written on one line (a string, or a flow list of words). */
  command?: string;
}

/** `"8001:8000"`, `127.0.0.1:8001:8000`, `8001:8000/tcp`: the host port. */
function hostPort(entry: string): number | undefined {
  const parts = entry
    .replace(/["']/g, '')
    .replace(/\/\w+$/, '')
    .trim()
    .split(':');
  const port = parts.length >= 2 ? Number(parts[parts.length - 2]) : NaN;
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined;
}

function services(text: string): Service[] {
  const out: Service[] = [];
  let inServices = false;
  let current: Service | undefined;
  let serviceIndent = -1;
  let list: 'ports' | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s+#.*$/, '');
    if (!line.trim()) continue;
    const indent = line.length - line.trimStart().length;
    if (indent === 0) {
      inServices = /^services:\s*$/.test(line);
      current = undefined;
      continue;
    }
    if (!inServices) continue;
    if (serviceIndent === -1 || indent <= serviceIndent) {
      const name = /^\s*([\w.-]+):\s*$/.exec(line)?.[1];
      if (name) {
        serviceIndent = indent;
        current = { name, ports: [] };
        out.push(current);
        list = undefined;
      }
      continue;
    }
    if (!current) continue;
    const key = /^\s*([\w-]+):\s*(.*)$/.exec(line);
    const item = /^\s*-\s*(.+)$/.exec(line)?.[1];
    if (key && !item) {
      list = key[1] === 'ports' ? 'ports' : undefined;
      if (key[1] === 'build' && key[2]) current.context = key[2].replace(/["']/g, '');
      if (key[1] === 'context' && key[2]) current.context = key[2].replace(/["']/g, '');
      if (key[1] === 'command' && key[2]) current.command = key[2].replace(/[[\]",']+/g, ' ');
    } else if (item && list === 'ports') {
      const port = hostPort(item);
      if (port) current.ports.push(port);
    }
  }
  return out;
}

/** The published ports of the compose file in `folder`, each tied to its service's build folder. */
export function composePortsIn(folder: string, reader: SourceReader): LaunchPort[] {
  for (const name of COMPOSE_FILES) {
    const file = path.join(folder, name);
    const text = existsSync(file) ? reader.read(file) : undefined;
    if (!text) continue;
    return services(text).flatMap((s) => {
      if (!s.context) return [];
      const published = s.ports.map((port) => ({
        port,
        command: `service ${s.name} publishes ${port}`,
      }));
      const own = !s.ports.length && s.command ? commandPort(s.command) : undefined;
      const ports = own
        ? [{ port: own, command: `service ${s.name} runs ${s.command?.trim()}` }]
        : published;
      return ports.map((p) => ({ ...p, file, folder: path.resolve(folder, s.context ?? '.') }));
    });
  }
  return [];
}
