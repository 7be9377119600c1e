/**
 * Ports a workspace's launch files start servers on: `package.json` scripts and `Procfile` lines
 * such as `manage.py runserver 0.0.0.0:8001`, `uvicorn main:app --port 8002`, `flask run -p 5001`,
 * `rails s -p 3001`, `PORT=4000 node server.js`. Read with regexes over the command text: cheap,
 * and a command that does not read this way leaves the app's own or its framework's port.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { SourceReader } from '../base/source-reader';
import { composePortsIn } from './compose-ports';

/** One command that starts a server on a port. */
export interface LaunchPort {
  port: number;
  /** The launch file and the command, for "why". */
  file: string;
  command: string;
  /** The framework the command starts, when it says (`runserver`: django). */
  framework?: string;
  /** A script file the command runs (`node server.js`), resolved against the launch file's folder. */
  script?: string;
  /** The folder whose apps it starts, when not the launch file's (a compose service's build context). */
  folder?: string;
}

/** What a command starts, by its words. */
const FRAMEWORK_WORDS: [RegExp, string][] = [
  [/\brunserver\b|\bdjango\b/, 'django'],
  [/\b(?:uvicorn|hypercorn|fastapi)\b/, 'starlette'],
  [/\bflask\b/, 'flask-cors'],
  [/\b(?:rails|puma|rackup)\b/, 'rack-cors'],
  [/\bnext\b/, 'nextjs'],
  [/\bnginx\b/, 'nginx'],
];

/** The port a command names, in the forms dev servers take it. */
function portOf(command: string): number | undefined {
  const forms = [
    /\brunserver\s+(?:[\w.[\]:-]*:)?(\d{2,5})\b/,
    /(?:--port|--http-port)(?:=|\s+)(\d{2,5})\b/,
    /\s-p\s*(\d{2,5})\b/,
    /(?:-b|--bind)(?:=|\s+)[\w.[\]-]*:(\d{2,5})\b/,
    /\bPORT=(\d{2,5})\b/,
  ];
  for (const form of forms) {
    const m = form.exec(command);
    const port = m && Number(m[1]);
    if (port && port < 65536) return port;
  }
  return undefined;
}

function launchOf(file: string, command: string): LaunchPort | undefined {
  const port = portOf(command);
  if (!port) return undefined;
  const framework = FRAMEWORK_WORDS.find(([words]) => words.test(command))?.[1];
  const script =
    /\b(?:node|nodemon|ts-node|tsx|bun|deno run)\s+(?:--?[\w-]+(?:=\S+)?\s+)*([\w./-]+\.(?:[cm]?js|ts))\b/.exec(
      command,
    )?.[1];
  return {
    port,
    file,
    command: command.trim(),
    ...(framework ? { framework } : {}),
    ...(script ? { script: path.resolve(path.dirname(file), script) } : {}),
  };
}

/** The commands of one `package.json`'s scripts. */
function packageScripts(text: string): string[] {
  try {
    const scripts: unknown = (JSON.parse(text) as { scripts?: unknown }).scripts;
    if (!scripts || typeof scripts !== 'object') return [];
    return Object.values(scripts).filter((v): v is string => typeof v === 'string');
  } catch {
    return [];
  }
}

/** The launch commands in `folder`'s `package.json`, `Procfile` and compose file. */
export function launchPortsIn(folder: string, reader: SourceReader): LaunchPort[] {
  const out: LaunchPort[] = [];
  const pkg = path.join(folder, 'package.json');
  const pkgText = existsSync(pkg) ? reader.read(pkg) : undefined;
  if (pkgText) out.push(...packageScripts(pkgText).flatMap((c) => launchOf(pkg, c) ?? []));
  for (const name of ['Procfile', 'Procfile.dev']) {
    const procfile = path.join(folder, name);
    const text = existsSync(procfile) ? reader.read(procfile) : undefined;
    if (text)
      out.push(
        ...text
          .split('\n')
          .flatMap((line) => launchOf(procfile, line.replace(/^[\w-]+:\s*/, '')) ?? []),
      );
  }
  out.push(...composePortsIn(folder, reader));
  return out;
}

/**
 * Whether a launch command starts the app in `appFile`: it lies in the launch file's folder or
 * below, and the command names its script or its framework (or names neither).
 */
export function launches(launch: LaunchPort, appFile: string, framework: string): boolean {
  const folder = (launch.folder ?? path.dirname(launch.file)) + path.sep;
  if (!appFile.startsWith(folder)) return false;
  if (launch.script) return launch.script === appFile;
  if (launch.framework)
    return (
      launch.framework === framework ||
      (launch.framework === 'starlette' && framework === 'python-handset')
    );
  return true;
}
