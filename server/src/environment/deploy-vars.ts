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

/** One `FROM` stage of a Dockerfile: its `AS` name, the stage it builds on, its own `ENV`s. */
interface Stage {
  name?: string;
  parent?: Stage;
  vars: Map<string, string | undefined>;
}

/** `ENV A=1 B="two"` and the legacy `ENV A 1`, into `vars`. */
function envInstruction(body: string, vars: Map<string, string | undefined>) {
  const pairs = [...body.matchAll(/([\w.-]+)=("(?:\\.|[^"\\])*"|'[^']*'|\S*)/g)];
  if (pairs.length) for (const [, k, v] of pairs) vars.set(k, known(unquote(v)));
  else {
    const legacy = /^([\w.-]+)[ \t]+(.+)$/.exec(body);
    if (legacy) vars.set(legacy[1], known(unquote(legacy[2].trim())));
  }
}

/**
 * The `ENV`s the image runs with: a multi-stage build ships its last stage only, which has its
 * own `ENV`s and those of the stage it is `FROM` (and that one's, up the chain); a builder
 * stage's `ENV NODE_ENV=development` never reaches the running container.
 */
function dockerfileVars(text: string): Map<string, string | undefined> {
  const stages: Stage[] = [];
  for (const line of text.replace(/\\\r?\n/g, ' ').split(/\r?\n/)) {
    const from = /^[ \t]*FROM[ \t]+(?:--\S+[ \t]+)*(\S+)(?:[ \t]+AS[ \t]+(\S+))?/i.exec(line);
    if (from) {
      const base = from[1].toLowerCase();
      const parent = [...stages].reverse().find((s) => s.name === base);
      stages.push({ name: from[2]?.toLowerCase(), parent, vars: new Map() });
      continue;
    }
    const env = /^[ \t]*ENV[ \t]+(.+)$/i.exec(line);
    if (env && stages.length) envInstruction(env[1].trim(), stages[stages.length - 1].vars);
  }
  const chain: Stage[] = [];
  for (let s = stages.at(-1); s && !chain.includes(s); s = s.parent) chain.unshift(s);
  return new Map(chain.flatMap((s) => [...s.vars]));
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

/**
 * Every compose service's `environment:` and `env_file:` (the files first: `environment` wins).
 * `project`: only the services whose build context is that folder (a compose file above the
 * project builds several of them); services built from another folder never count.
 */
function composeVars(
  text: string,
  dir: string,
  reader: SourceReader,
  project: string,
  above: boolean,
): Map<string, string | undefined> {
  const vars = new Map<string, string | undefined>();
  for (const service of composeServices(text)) {
    const context = service.context && path.resolve(dir, service.context);
    if (context ? context !== project : above) continue;
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

/** How many folders above the project a compose file that builds it is looked for. */
const LEVELS_ABOVE = 3;

/**
 * The deployment files of the project at `root`, parsed: its own Dockerfiles, Procfiles and
 * compose files, then the compose files of the folders above it (a monorepo's root
 * `docker-compose.yml` with `build: ./backend`), up to the repository's top (`.git`).
 */
function deployFiles(
  root: string,
  list: (dir: string) => readonly string[],
  reader: SourceReader,
): DeployFile[] {
  const levels: DeployFile[][] = [];
  for (let dir = root, level = 0; level <= LEVELS_ABOVE; level++) {
    const out: DeployFile[] = [];
    levels.push(out);
    const entries = [...list(dir)].sort();
    const above = dir !== root;
    for (const base of entries) {
      const parse = COMPOSE.test(base)
        ? (text: string) => composeVars(text, dir, reader, root, above)
        : above
          ? undefined
          : DOCKERFILE.test(base)
            ? dockerfileVars
            : PROCFILE.test(base)
              ? procfileVars
              : undefined;
      if (!parse) continue;
      const file = path.join(dir, base);
      const text = reader.read(file);
      if (text === undefined) continue;
      const vars = parse(text);
      if (above && !vars.size) continue;
      const names =
        namedEnvironment(base) ??
        environmentVariable(vars) ??
        (COMPOSE.test(base) ? 'development' : 'production');
      out.push({ file, vars, names });
    }
    const parent = path.dirname(dir);
    if (parent === dir || entries.includes('.git')) break;
    dir = parent;
  }
  // The nearest files are read last: the project's own settle what a file above also sets.
  return levels.reverse().flat();
}

/**
 * The variables the deployment files of environment `name` set (later files win within one
 * kind; files are read in name order), with the file each came from. `list`: the names in a
 * folder (the project's root and the folders above it).
 */
export function deploymentVars(
  root: string,
  list: (dir: string) => readonly string[],
  name: string,
  reader: SourceReader,
): Map<string, EnvVar> {
  const out = new Map<string, EnvVar>();
  for (const d of deployFiles(root, list, reader))
    if (d.names === name) for (const [k, value] of d.vars) out.set(k, { value, file: d.file });
  return out;
}
