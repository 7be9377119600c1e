/**
 * Variables a project's deployment files set for the process they start: a Dockerfile's `ENV`,
 * a Procfile's `NAME=value cmd` / gunicorn `--env NAME=value` / manage.py `--settings=`, and a
 * compose file's `environment:` and `env_file:`. They are real process variables, so they win over
 * `.env` files (python-dotenv, dotenv and django-environ never override a set variable).
 *
 * Which environment a file is for: `Dockerfile` and `Procfile` build and run deployments
 * (production); `Dockerfile.dev`, `Procfile.dev` and `*.dev`/`*.local` names are development; a
 * compose file named for an environment (`docker-compose.prod.yml`) is that one, and a plain
 * `docker-compose.yml` is the developer's local stack unless a `*_ENV` variable in it names
 * another environment.
 */
import path from 'node:path';
import { composeServices, procfileCommands, unquote } from '../base/deploy-files';
import type { SourceReader } from '../base/source-reader';
import { parseEnvFile } from './dotenv';
import type { EnvVar } from './types';

/** One deployment file's assignments, in order, with the environment it is for (if it says). */
interface DeployFile {
  file: string;
  vars: Map<string, string | undefined>;
  /** The environment it is for. */
  names: string;
}

const ALIASES: Record<string, string> = {
  prod: 'production',
  production: 'production',
  dev: 'development',
  development: 'development',
  local: 'development',
  stage: 'staging',
  staging: 'staging',
  test: 'test',
};

/** `docker-compose.prod.yml` → production, `Dockerfile.dev` → development. */
function namedEnvironment(base: string): string | undefined {
  const tag =
    /^(?:dockerfile|procfile)[.-]([\w-]+)$/i.exec(base) ??
    /^(?:docker-)?compose[.-]([\w-]+)\.ya?ml$/i.exec(base);
  if (!tag) return undefined;
  const name = tag[1].toLowerCase();
  return name === 'override' ? 'development' : (ALIASES[name] ?? name);
}

/** `NODE_ENV=production`, `DJANGO_ENV=prod`, `RAILS_ENV`, `APP_ENV`, ...: the environment named. */
function environmentVariable(vars: Map<string, string | undefined>): string | undefined {
  for (const [name, value] of vars)
    if (/^(?:\w+_)?ENV(?:IRONMENT)?$/.test(name) && value && ALIASES[value.toLowerCase()])
      return ALIASES[value.toLowerCase()];
  return undefined;
}

/** A value that expands another variable is not known statically. */
const known = (value: string) => (value.includes('$') ? undefined : value);

/** `ENV A=1 B="two"` and the legacy `ENV A 1`. */
function dockerfileVars(text: string): Map<string, string | undefined> {
  const vars = new Map<string, string | undefined>();
  const joined = text.replace(/\\\r?\n/g, ' ');
  for (const m of joined.matchAll(/^[ \t]*ENV[ \t]+(.+)$/gim)) {
    const body = m[1].trim();
    const pairs = [...body.matchAll(/([\w.-]+)=("(?:\\.|[^"\\])*"|'[^']*'|\S*)/g)];
    if (pairs.length) for (const [, k, v] of pairs) vars.set(k, known(unquote(v)));
    else {
      const legacy = /^([\w.-]+)[ \t]+(.+)$/.exec(body);
      if (legacy) vars.set(legacy[1], known(unquote(legacy[2].trim())));
    }
  }
  return vars;
}

/** A Procfile's process lines: leading `NAME=value`s, `--env`/`-e NAME=value`, `--settings`. */
function procfileVars(text: string): Map<string, string | undefined> {
  const vars = new Map<string, string | undefined>();
  for (const command of procfileCommands(text)) {
    const words = command.split(/\s+/);
    let i = 0;
    for (; i < words.length && /^[A-Za-z_]\w*=/.test(words[i]); i++) {
      const [k, ...v] = words[i].split('=');
      vars.set(k, known(unquote(v.join('='))));
    }
    for (; i < words.length; i++) {
      const option = /^(?:--env|-e)(?:=(.*))?$/.exec(words[i]);
      const pair = option && (option[1] ?? words[++i]);
      if (pair && /^[A-Za-z_]\w*=/.test(pair)) {
        const [k, ...v] = pair.split('=');
        vars.set(k, known(unquote(v.join('='))));
      }
      const settings = /^--settings(?:=(.*))?$/.exec(words[i]);
      const module = settings && (settings[1] ?? words[++i]);
      if (module) vars.set('DJANGO_SETTINGS_MODULE', known(unquote(module)));
    }
  }
  return vars;
}

/** Every compose service's `environment:` and `env_file:` (the files first: `environment` wins). */
function composeVars(
  text: string,
  dir: string,
  reader: SourceReader,
): Map<string, string | undefined> {
  const vars = new Map<string, string | undefined>();
  for (const service of composeServices(text)) {
    for (const name of service.envFiles) {
      const loaded = reader.read(path.resolve(dir, name));
      for (const [k, v] of parseEnvFile(loaded ?? '')) vars.set(k, known(v.text));
    }
    for (const [k, v] of service.environment) vars.set(k, known(v));
  }
  return vars;
}

const DOCKERFILE = /^dockerfile(?:[.-][\w-]+)?$/i;
const PROCFILE = /^procfile(?:[.-][\w-]+)?$/i;
const COMPOSE = /^(?:docker-)?compose(?:[.-][\w-]+)?\.ya?ml$/i;

/** The deployment files at the project's root, parsed. */
function deployFiles(root: string, entries: readonly string[], reader: SourceReader): DeployFile[] {
  const out: DeployFile[] = [];
  for (const base of [...entries].sort()) {
    const parse = DOCKERFILE.test(base)
      ? dockerfileVars
      : PROCFILE.test(base)
        ? procfileVars
        : COMPOSE.test(base)
          ? (text: string) => composeVars(text, root, reader)
          : undefined;
    if (!parse) continue;
    const file = path.join(root, base);
    const text = reader.read(file);
    if (text === undefined) continue;
    const vars = parse(text);
    const names =
      namedEnvironment(base) ??
      environmentVariable(vars) ??
      (COMPOSE.test(base) ? 'development' : 'production');
    out.push({ file, vars, names });
  }
  return out;
}

/**
 * The variables the deployment files of environment `name` set (later files win within one
 * kind; files are read in name order), with the file each came from. `entries`: the names in
 * the project's root folder.
 */
export function deploymentVars(
  root: string,
  entries: readonly string[],
  name: string,
  reader: SourceReader,
): Map<string, EnvVar> {
  const out = new Map<string, EnvVar>();
  for (const d of deployFiles(root, entries, reader))
    if (d.names === name) for (const [k, value] of d.vars) out.set(k, { value, file: d.file });
  return out;
}
