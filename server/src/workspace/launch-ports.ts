/**
 * Ports a workspace's launch files start servers on: `package.json` scripts, `Procfile` lines and
 * `Makefile` recipes such as `manage.py runserver 0.0.0.0:8001`, `uvicorn main:app --port 8002`,
 * `flask run -p 5001`, `rails s -p 3001`, `PORT=4000 node server.js`; a compose file's published
 * ports and commands; `PORT=` in a `.env`; puma's `port` in `config/puma.rb`. Read with regexes
 * over the command text: cheap, and a command that does not read this way leaves the app's own or
 * its framework's port.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { procfileCommands } from '../base/deploy-files';
import type { SourceReader } from '../base/source-reader';
import { commandPort } from './command-port';
import { composePortsIn } from './compose-ports';

/** One command that starts a server on a port. */
export interface LaunchPort {
  port: number;
  /** The launch file and the command, for "why". */
  file: string;
  command: string;
  /** A script file the command runs (`node server.js`), resolved against the launch file's folder. */
  script?: string;
  /** The folder whose apps it starts, when not the launch file's (a compose service's build context). */
  folder?: string;
}

/** The launch a command is, when it names a port. */
export function launchOf(file: string, command: string): LaunchPort | undefined {
  const port = commandPort(command);
  if (!port) return undefined;
  const script =
    /\b(?:node|nodemon|ts-node|tsx|bun|deno run)\s+(?:--?[\w-]+(?:=\S+)?\s+)*([\w./-]+\.(?:[cm]?js|ts))\b/.exec(
      command,
    )?.[1];
  return {
    port,
    file,
    command: command.trim(),
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

/** The lines of the launch files whose lines are commands: each file's commands. */
const COMMAND_FILES: [string, (text: string) => string[]][] = [
  ['package.json', packageScripts],
  // `web: gunicorn ...`: the process name is not part of the command.
  ['Procfile', procfileCommands],
  ['Procfile.dev', procfileCommands],
  // Recipe lines start with a tab; `@` and `-` prefixes are make's, not the command's.
  [
    'Makefile',
    (text) =>
      text
        .split('\n')
        .filter((line) => line.startsWith('\t'))
        .map((line) => line.trim().replace(/^[@-]+/, '')),
  ],
];

/** `PORT=4000` in a `.env`: what `process.env.PORT`, `ENV["PORT"]` and `os.environ["PORT"]` read. */
function envPort(file: string, text: string): LaunchPort | undefined {
  const line = /^[ \t]*(?:export\s+)?PORT\s*=\s*["']?(\d{2,5})["']?\s*(?:#.*)?$/m.exec(text);
  const port = line && Number(line[1]);
  return port && port < 65536 ? { port, file, command: line[0].trim() } : undefined;
}

/** puma's `port 3001` / `port ENV.fetch("PORT") { 3001 }` (the fallback when PORT is unset). */
function pumaPort(file: string, text: string): LaunchPort | undefined {
  const line =
    /^[ \t]*port\s+(?:(\d{2,5})|ENV\.fetch\(\s*["']PORT["']\s*\)\s*\{\s*(\d{2,5})\s*\})/m.exec(
      text,
    );
  const port = line && Number(line[1] ?? line[2]);
  return port && port < 65536 ? { port, file, command: line[0].trim() } : undefined;
}

/**
 * The launch commands in `folder`: its `package.json` scripts, `Procfile`, `Makefile`, compose
 * file, `.env`'s `PORT` and `config/puma.rb`, in that order (the order a port is picked in).
 */
export function launchPortsIn(folder: string, reader: SourceReader): LaunchPort[] {
  const read = (name: string) => {
    const file = path.join(folder, name);
    return existsSync(file) ? reader.read(file) : undefined;
  };
  const out: LaunchPort[] = [];
  for (const [name, commands] of COMMAND_FILES) {
    const text = read(name);
    const file = path.join(folder, name);
    if (text) out.push(...commands(text).flatMap((c) => launchOf(file, c) ?? []));
  }
  out.push(...composePortsIn(folder, reader));
  for (const [name, portOf] of [
    ['.env', envPort],
    [path.join('config', 'puma.rb'), pumaPort],
  ] as const) {
    const text = read(name);
    const launch = text && portOf(path.join(folder, name), text);
    if (launch) out.push(launch);
  }
  return out;
}

/** What a launch starts, as the words of its command (and its file's name: `puma.rb`). */
const launchText = (launch: LaunchPort): string =>
  `${path.basename(launch.file)} ${launch.command}`;

/**
 * Whether a launch command starts the app in `appFile`: it lies in the launch file's folder or
 * below, and the command names its script, or the words of the app's framework (`own`), or no
 * framework's words at all (`all`: every framework's).
 */
export function launches(
  launch: LaunchPort,
  appFile: string,
  own: RegExp | undefined,
  all: readonly RegExp[],
): boolean {
  const folder = (launch.folder ?? path.dirname(launch.file)) + path.sep;
  if (!appFile.startsWith(folder)) return false;
  if (launch.script) return launch.script === appFile;
  const text = launchText(launch);
  if (own?.test(text)) return true;
  return !all.some((words) => words.test(text));
}
