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
  /** Each name's value; `from`: the file that sets it when another one (a compose service's Dockerfile). */
  vars: Map<string, string | undefined>;
  from?: Map<string, string>;
  /** The environment it is for. */
  names: string;
}

/** A stage an environment's build chooses in a Dockerfile (compose's `build.target`, `docker build --target`). */
interface BuildTarget {
  dockerfile: string;
  /** The stage; undefined: the last one (a compose service built without a target). */
  stage?: string;
  names: string;
  /** Chosen by a compose service, whose variables already hold the stage's. */
  compose: boolean;
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
 * The `ENV`s the image runs with: a multi-stage build ships the stage it targets (`--target`,
 * compose's `build.target`; by default the last one), which has its own `ENV`s and those of the
 * stage it is `FROM` (and that one's, up the chain); another stage's `ENV NODE_ENV=development`
 * never reaches the running container.
 */
function dockerfileVars(text: string, target?: string): Map<string, string | undefined> {
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
  const chosen = (target && stages.find((s) => s.name === target.toLowerCase())) || stages.at(-1);
  for (let s = chosen; s && !chain.includes(s); s = s.parent) chain.unshift(s);
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
 * Every compose service's variables: the `ENV`s of the Dockerfile stage it builds, then its
 * `env_file:`s, then `environment:` (which wins). `project`: only the services whose build
 * context is that folder (a compose file above the project builds several of them); services
 * built from another folder never count. `built`: the Dockerfiles (and stages) the services build.
 */
function composeVars(
  text: string,
  dir: string,
  reader: SourceReader,
  project: string,
  above: boolean,
): { vars: Map<string, string | undefined>; from: Map<string, string>; built: BuildTarget[] } {
  const vars = new Map<string, string | undefined>();
  const from = new Map<string, string>();
  const built: BuildTarget[] = [];
  for (const service of composeServices(text)) {
    const context = service.context && path.resolve(dir, service.context);
    if (context ? context !== project : above) continue;
    if (service.builds) {
      const dockerfile = path.resolve(context ?? dir, service.dockerfile ?? 'Dockerfile');
      const image = reader.read(dockerfile);
      if (image !== undefined)
        for (const [k, v] of dockerfileVars(image, service.target)) {
          vars.set(k, v);
          from.set(k, dockerfile);
        }
      built.push({ dockerfile, stage: service.target, names: '', compose: true });
    }
    for (const name of service.envFiles) {
      const loaded = reader.read(path.resolve(dir, name));
      for (const [k, v] of parseEnvFile(loaded ?? '')) {
        vars.set(k, known(v.text));
        from.delete(k);
      }
    }
    for (const [k, v] of service.environment) {
      vars.set(k, known(v));
      from.delete(k);
    }
  }
  return { vars, from, built };
}

/**
 * `docker build --target STAGE [-f FILE]` (or `docker buildx build`) in the project's
 * package.json scripts and Makefile: the image that command builds runs in the environment the
 * stage names (`--target development`), else in production (a built image is deployed).
 */
function buildCommands(root: string, reader: SourceReader): BuildTarget[] {
  const out: BuildTarget[] = [];
  const text = [
    ...Object.values(packageScripts(reader.read(path.join(root, 'package.json')))),
    reader.read(path.join(root, 'Makefile')) ?? '',
  ].join('\n');
  for (const [, args] of text.matchAll(/\bdocker[ \t]+(?:buildx[ \t]+)?build\b([^\n;&|]*)/g)) {
    const stage = /--target(?:=|[ \t]+)([\w.-]+)/.exec(args)?.[1];
    if (!stage) continue;
    const file = /(?:-f|--file)(?:=|[ \t]+)(\S+)/.exec(args)?.[1];
    out.push({
      dockerfile: path.resolve(root, unquote(file ?? 'Dockerfile')),
      stage,
      names: ALIASES[stage.toLowerCase()] ?? 'production',
      compose: false,
    });
  }
  return out;
}

/** A package.json's `scripts` (none when it has none or does not parse). */
function packageScripts(text: string | undefined): Record<string, string> {
  try {
    const scripts = (JSON.parse(text ?? '{}') as { scripts?: unknown }).scripts;
    return scripts && typeof scripts === 'object'
      ? Object.fromEntries(
          Object.entries(scripts).filter((e): e is [string, string] => typeof e[1] === 'string'),
        )
      : {};
  } catch {
    return {};
  }
}

/**
 * A Dockerfile's variables per environment: the stage each build target of it chooses (a compose
 * service's already carry them), and for the environment it is for by its name or `ENV`s
 * (production by default), the last stage, unless a target there chose one.
 */
function dockerfileFiles(file: string, text: string, targets: BuildTarget[]): DeployFile[] {
  const own = dockerfileVars(text);
  const names = namedEnvironment(path.basename(file)) ?? environmentVariable(own) ?? 'production';
  const chosen = targets.filter((t) => t.dockerfile === file);
  const out = chosen
    .filter((t) => !t.compose)
    .map((t) => ({ file, vars: dockerfileVars(text, t.stage), names: t.names }));
  if (!chosen.some((t) => t.names === names && (t.stage !== undefined || !t.compose)))
    out.unshift({ file, vars: own, names });
  return out;
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
  // Each file's reading, in order; a Dockerfile's waits for every build target of it.
  const levels: (() => DeployFile[])[][] = [];
  const targets = buildCommands(root, reader);
  for (let dir = root, level = 0; level <= LEVELS_ABOVE; level++) {
    const out: (() => DeployFile[])[] = [];
    levels.push(out);
    const entries = [...list(dir)].sort();
    const above = dir !== root;
    for (const base of entries) {
      const compose = COMPOSE.test(base);
      if (!compose && (above || !(DOCKERFILE.test(base) || PROCFILE.test(base)))) continue;
      const file = path.join(dir, base);
      const text = reader.read(file);
      if (text === undefined) continue;
      if (DOCKERFILE.test(base)) {
        out.push(() => dockerfileFiles(file, text, targets));
        continue;
      }
      const { vars, from, built } = compose
        ? composeVars(text, dir, reader, root, above)
        : { vars: procfileVars(text), from: undefined, built: [] };
      if (above && !vars.size) continue;
      const names =
        namedEnvironment(base) ??
        // Its own variables name it, not the image's (a dev stack may build a production image).
        environmentVariable(new Map([...vars].filter(([k]) => !from?.has(k)))) ??
        (compose ? 'development' : 'production');
      targets.push(...built.map((t) => ({ ...t, names })));
      out.push(() => [{ file, vars, from, names }]);
    }
    const parent = path.dirname(dir);
    if (parent === dir || entries.includes('.git')) break;
    dir = parent;
  }
  // The nearest files are read last: the project's own settle what a file above also sets.
  return levels.reverse().flatMap((level) => level.flatMap((read) => read()));
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
    if (d.names === name)
      for (const [k, value] of d.vars) out.set(k, { value, file: d.from?.get(k) ?? d.file });
  return out;
}
