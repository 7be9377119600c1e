/**
 * Host ports a `docker-compose.yml` (or `compose.yaml`) publishes for services built from a folder
 * of the workspace: `build: ./backend` (or `build: {context: ./backend}`) with `ports: ["8001:8000"]`
 * means a browser reaches the app under `backend/` on 8001. A service that publishes nothing
 * (`network_mode: host`) is reached on the port its `command:` names (`uvicorn main:app --port
 * 8002`). The services come from base/compose-file.ts (block style; the app's own ports still
 * count where it reads none).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { COMPOSE_FILES, composeServices } from '../base/deploy-files';
import type { SourceReader } from '../base/source-reader';
import { commandPort } from './command-port';
import type { LaunchPort } from './launch-ports';

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

/** The published ports of the compose file in `folder`, each tied to its service's build folder. */
export function composePortsIn(folder: string, reader: SourceReader): LaunchPort[] {
  for (const name of COMPOSE_FILES) {
    const file = path.join(folder, name);
    const text = existsSync(file) ? reader.read(file) : undefined;
    if (!text) continue;
    return composeServices(text).flatMap((s) => {
      if (!s.context) return [];
      const ports = s.ports.map(hostPort).filter((p): p is number => p !== undefined);
      const published = ports.map((port) => ({
        port,
        command: `service ${s.name} publishes ${port}`,
      }));
      const own = !ports.length && s.command ? commandPort(s.command) : undefined;
      const launched = own
        ? [{ port: own, command: `service ${s.name} runs ${s.command?.trim()}` }]
        : published;
      return launched.map((p) => ({ ...p, file, folder: path.resolve(folder, s.context ?? '.') }));
    });
  }
  return [];
}
