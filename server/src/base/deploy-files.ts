/**
 * Deployment files as the readers of deployment facts (ports, environment variables) need them:
 * a Procfile's process commands, and the services of a `docker-compose.yml` / `compose.yaml`
 * (build folder, published ports, command, environment and env files). Compose is read line by
 * line for the block style real files use; flow-style services and anchors are left out (a
 * reader then knows less, never something wrong).
 */

/** A Procfile's commands: each `name: command` line's command. */
export function procfileCommands(text: string): string[] {
  return [...text.matchAll(/^[ \t]*[\w-]+:[ \t]*(.+?)[ \t]*$/gm)].map((m) => m[1]);
}

export interface ComposeService {
  name: string;
  /** `build: ./backend` or `build: {context: ./backend}` (block style). */
  context?: string;
  /** The service is built from a Dockerfile (`build:` of either style). */
  builds?: true;
  /** `build.dockerfile`: the Dockerfile, relative to the context. */
  dockerfile?: string;
  /** `build.target`: the stage of a multi-stage Dockerfile built. */
  target?: string;
  /** `ports:` entries as written (`"8001:8000"`, `127.0.0.1:8001:8000/tcp`). */
  ports: string[];
  /** The `command:` written on one line (a string, or a flow list of words). */
  command?: string;
  /** `environment:` as a list (`- A=1`) or a map (`A: 1`), in order; quotes removed. */
  environment: [string, string][];
  /** `env_file:` names (one, a list, or `- path: x`), relative to the compose file's folder. */
  envFiles: string[];
  /** `links:` entries as written (`api`, `api:api.net`): other services, by name and alias. */
  links: string[];
  /** `container_name:` and `hostname:`: names other containers reach it by. */
  hostnames: string[];
}

/** The default compose file names. */
export const COMPOSE_FILES = [
  'docker-compose.yml',
  'docker-compose.yaml',
  'compose.yml',
  'compose.yaml',
];

export const unquote = (s: string) => s.trim().replace(/^(['"])(.*)\1$/s, '$2');

type Section = 'ports' | 'environment' | 'env_file' | 'build' | 'links';

/** One key of a service's `build:` (context, dockerfile, target). */
function buildKey(service: ComposeService, name: string, value: string) {
  if (!value) return;
  if (name === 'context') service.context = unquote(value);
  if (name === 'dockerfile') service.dockerfile = unquote(value);
  if (name === 'target') service.target = unquote(value);
}

export function composeServices(text: string): ComposeService[] {
  const out: ComposeService[] = [];
  let inServices = false;
  let current: ComposeService | undefined;
  let serviceIndent = -1;
  let section: { key: Section; indent: number } | undefined;
  for (const raw of text.split(/\r?\n/)) {
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
        current = { name, ports: [], environment: [], envFiles: [], links: [], hostnames: [] };
        out.push(current);
        section = undefined;
      }
      continue;
    }
    if (!current) continue;
    const item = /^\s*-\s*(.+)$/.exec(line)?.[1];
    // A block list may sit at its key's own indentation (`ports:` then `- "80:80"` below it).
    const sameLevelItem = item !== undefined && indent === section?.indent;
    if (section && indent <= section.indent && !sameLevelItem) section = undefined;
    const key = item === undefined ? /^\s*([\w.-]+):\s*(.*)$/.exec(line) : null;
    if (section && item !== undefined) {
      if (section.key === 'ports') current.ports.push(item);
      else if (section.key === 'links') current.links.push(unquote(item));
      else if (section.key === 'env_file')
        current.envFiles.push(unquote(/^path:\s*(.+)$/.exec(item)?.[1] ?? item));
      else {
        const pair = /^([\w.-]+)=(.*)$/.exec(unquote(item));
        if (pair) current.environment.push([pair[1], unquote(pair[2])]);
      }
      continue;
    }
    if (!key) continue;
    const [, name, value] = key;
    if (section?.key === 'environment') {
      current.environment.push([name, unquote(value)]);
      continue;
    }
    if (section?.key === 'env_file' && name === 'path') {
      current.envFiles.push(unquote(value));
      continue;
    }
    if (section?.key === 'build') {
      buildKey(current, name, value);
      continue;
    }
    if (section) continue;
    if ((name === 'container_name' || name === 'hostname') && value)
      current.hostnames.push(unquote(value));
    if (
      name === 'ports' ||
      name === 'environment' ||
      name === 'env_file' ||
      name === 'build' ||
      name === 'links'
    ) {
      if (!value) section = { key: name, indent };
      else if (name === 'env_file' && !value.startsWith('[')) current.envFiles.push(unquote(value));
    }
    if (name === 'build') current.builds = true;
    // `build: ./api`, or the flow style `build: { context: ., target: dev }`.
    const flow = name === 'build' ? /^\{(.*)\}$/.exec(value) : null;
    if (flow)
      for (const pair of flow[1].split(',')) {
        const [k, ...v] = pair.split(':');
        buildKey(current, k.trim(), v.join(':').trim());
      }
    else if (name === 'build' && value) current.context = unquote(value);
    if (name === 'command' && value) current.command = value.replace(/[[\]",']+/g, ' ');
  }
  return out;
}
