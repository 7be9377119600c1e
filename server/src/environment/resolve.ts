/**
 * Builds an environment from a project's files: its env files in the precedence its stack uses,
 * the variables its deployment files set (Dockerfile, Procfile, compose: deploy-vars.ts), and
 * Django's settings module as those set it, else as manage.py (development) or wsgi.py/asgi.py
 * (production) does.
 */
import path from 'node:path';
import { existsSync, readdirSync } from 'node:fs';
import { projectRootOf } from '../base/project-root';
import type { SourceReader } from '../base/source-reader';
import { deploymentVars } from './deploy-vars';
import { parseEnvFile } from './dotenv';
import type { Environment, EnvVar, SettingsChoice } from './types';

/** The environments every project has; `corsLens.environments` adds more. */
export const DEFAULT_ENVIRONMENTS = ['development', 'production'] as const;

/**
 * The env files of environment `name`, lowest priority first.
 * - Node projects (a package.json): `.env` and `.env.local` apply everywhere, `.env.<name>` and
 *   `.env.<name>.local` on top, the order of @next/env, dotenv-flow and Vite.
 * - Python and Ruby projects: python-dotenv, django-environ and decouple read `.env`, which lives
 *   on the developer's machine (deploys set real variables), so `.env` and `.env.local` count
 *   for development only; `.env.<name>` is what the project writes down for another environment.
 */
export function envFilesFor(name: string, node: boolean): string[] {
  const own = [`.env.${name}`, `.env.${name}.local`];
  if (node) return ['.env', own[0], '.env.local', own[1]];
  return name === 'development' ? ['.env', own[0], '.env.local', own[1]] : own;
}

/** The variables that name the mode itself: unknown outside an environment, never unset. */
export const MODE_VARIABLES = ['NODE_ENV', 'RAILS_ENV', 'RACK_ENV'];

/**
 * The variables that name the mode itself (`NODE_ENV`, `RAILS_ENV`, `RACK_ENV`): running in
 * `development`, `production` or `test` means they say so, unless a file sets them otherwise
 * (`if (process.env.NODE_ENV === 'production')`, `Rails.env.production?`). Noted as set by the
 * project folder, not by a file.
 */
function modeVars(name: string, root: string): Map<string, EnvVar> {
  if (!['development', 'production', 'test'].includes(name)) return new Map();
  return new Map(MODE_VARIABLES.map((v) => [v, { value: name, file: root, mode: true }]));
}

/** Merges the env files (a later one wins); a value that expands another name is not known. */
function loadVars(root: string, files: string[], reader: SourceReader): Map<string, EnvVar> {
  const vars = new Map<string, EnvVar>();
  for (const name of files) {
    const file = path.join(root, name);
    const text = reader.read(file);
    if (text === undefined) continue;
    for (const [key, raw] of parseEnvFile(text))
      vars.set(key, { value: raw.text.includes('$') ? undefined : raw.text, file });
  }
  return vars;
}

const SETDEFAULT =
  /os\.environ\.setdefault\(\s*['"]DJANGO_SETTINGS_MODULE['"]\s*,\s*['"]([\w.]+)['"]/;

/** The entries of the project's root folder (none when it cannot be listed). */
function rootEntries(root: string) {
  try {
    return readdirSync(root, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** Entry points that choose the settings module, per environment, in the order Django runs them. */
function entryPoints(root: string, name: string): string[] {
  const nested = (base: string) =>
    rootEntries(root)
      .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
      .map((d) => path.join(root, d.name, base))
      .sort();
  const manage = [path.join(root, 'manage.py')];
  const served = [...nested('wsgi.py'), ...nested('asgi.py')];
  return name === 'development' ? manage : served;
}

/** Folders above the entry point's tried as the import root, at most. */
const ROOTS_UP = 3;

/**
 * A dotted module's file inside the project (`proj.settings.dev` → proj/settings/dev.py), from
 * the entry point's folder or one above it: a `manage.py` in `backend/core` naming
 * `backend.core.settings` runs from the repository root (logtrack-demo, held-out batch 47).
 */
function moduleFile(root: string, module: string): string | undefined {
  for (let dir = root, up = 0; up <= ROOTS_UP; dir = path.dirname(dir), up++) {
    const base = path.join(dir, ...module.split('.'));
    const found = [`${base}.py`, path.join(base, '__init__.py')].find((f) => existsSync(f));
    if (found || path.dirname(dir) === dir) return found;
  }
  return undefined;
}

/** The modules of a settings package named for development, by convention (most usual first). */
export const DEVELOPMENT_MODULES = ['development', 'dev', 'develop', 'local'];

/** The modules of a settings package named for an environment, by convention. */
const NAMED_FOR: Record<string, string[]> = {
  development: DEVELOPMENT_MODULES,
  production: ['production', 'prod'],
};

/**
 * An entry point naming an empty settings package (`config.settings`, its `__init__.py` empty)
 * leaves the real choice to the deploy's DJANGO_SETTINGS_MODULE: the package's module named for
 * the environment (`config/settings/production.py`) is the one that runs there.
 */
function packageModule(
  module: string,
  file: string | undefined,
  name: string,
  from: string,
  reader: SourceReader,
): SettingsChoice | undefined {
  if (!file || path.basename(file) !== '__init__.py') return undefined;
  const text = reader.read(file) ?? '';
  if (text.split('\n').some((line) => line.trim() !== '' && !line.trim().startsWith('#')))
    return undefined;
  for (const stem of NAMED_FOR[name] ?? []) {
    const candidate = path.join(path.dirname(file), `${stem}.py`);
    if (reader.read(candidate) !== undefined)
      return { module: `${module}.${stem}`, file: candidate, from };
  }
  return undefined;
}

function settingsChoice(
  root: string,
  name: string,
  vars: Map<string, EnvVar>,
  reader: SourceReader,
): SettingsChoice | undefined {
  const fromFile = vars.get('DJANGO_SETTINGS_MODULE');
  if (fromFile?.value)
    return {
      module: fromFile.value,
      file: moduleFile(root, fromFile.value),
      from: fromFile.file,
    };
  for (const entry of entryPoints(root, name)) {
    const m = SETDEFAULT.exec(reader.read(entry) ?? '');
    if (!m) continue;
    const file = moduleFile(root, m[1]);
    return packageModule(m[1], file, name, entry, reader) ?? { module: m[1], file, from: entry };
  }
  return undefined;
}

const STAR_IMPORT = /^([ \t]*)from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+\*/gm;

/**
 * The settings files a settings module runs: itself and what it star-imports. An indented import
 * sits in a `try`/`if` (`try: from .local_settings import *`): that file is the developer's own,
 * so it counts in development only.
 */
function settingsClosure(
  root: string,
  first: string,
  development: boolean,
  reader: SourceReader,
): string[] {
  const out: string[] = [];
  const visit = (file: string) => {
    if (out.includes(file) || out.length > 32) return;
    const text = reader.read(file);
    if (text === undefined) return;
    out.push(file);
    for (const m of text.matchAll(STAR_IMPORT)) {
      if (m[1] && !development) continue;
      const target = m[2]
        ? path.join(
            path.dirname(file),
            ...'.'
              .repeat(m[2].length - 1)
              .split('')
              .map(() => '..'),
          )
        : root;
      const base = path.join(target, ...m[3].split('.').filter(Boolean));
      const found = [`${base}.py`, path.join(base, '__init__.py')].find(
        (f) => reader.read(f) !== undefined,
      );
      if (found) visit(found);
    }
  };
  visit(first);
  return out;
}

/** Environment `name` of the project holding `file`. */
export function environmentOf(name: string, file: string, reader: SourceReader): Environment {
  const root = projectRootOf(file, reader.scopes);
  const node = reader.read(path.join(root, 'package.json')) !== undefined;
  const files = envFilesFor(name, node).filter(
    (f) => reader.read(path.join(root, f)) !== undefined,
  );
  // Variables the deployment sets for the process win over env files (never overridden by them).
  const deployed = deploymentVars(root, (dir) => rootEntries(dir).map((d) => d.name), name, reader);
  const vars = new Map([...modeVars(name, root), ...loadVars(root, files, reader), ...deployed]);
  const settings = settingsChoice(root, name, vars, reader);
  const settingsFiles = settings?.file
    ? settingsClosure(root, settings.file, name === 'development', reader)
    : undefined;
  return {
    name,
    root,
    files: files.map((f) => path.join(root, f)),
    vars,
    settings,
    settingsFiles,
  };
}

/**
 * The Rails environment an environment runs: `RAILS_ENV`, else `RACK_ENV`, else `development`
 * (railties' `Rails.env`).
 */
export const railsEnvName = (environment: Environment): string =>
  environment.vars.get('RAILS_ENV')?.value ??
  environment.vars.get('RACK_ENV')?.value ??
  'development';

/** `config/environments/<name>.rb` of a Rails app: the file only that Rails environment runs. */
const RAILS_ENVIRONMENT_FILE = /[\\/]config[\\/]environments[\\/]([\w.-]+)\.rb$/;

/** Rails files every environment loads (`config/application.rb`, initializers): group 1 the app root. */
const RAILS_SHARED_FILE = /^(.*)[\\/]config[\\/](?:application\.rb|initializers[\\/][^\\/]+\.rb)$/;

/** The Rails environment whose file `file` is (`config/environments/production.rb` → production). */
export const railsEnvironmentOfFile = (file: string): string | undefined =>
  RAILS_ENVIRONMENT_FILE.exec(file)?.[1];

/** The environments to show: the defaults, then the user's (`corsLens.environments`), once each. */
export function environmentNames(extra: readonly string[] = []): string[] {
  return [...new Set([...DEFAULT_ENVIRONMENTS, ...extra.filter((n) => /^[\w.-]+$/.test(n))])];
}

/**
 * Whether `file` runs in production by the project's own choices: it is Rails'
 * `config/environments/<RAILS_ENV>.rb` of production, or it is part of the production
 * settings module of a project whose development module differs (a dev/prod split), or, in a
 * project that chooses no settings module, the project writes a production env file (it names
 * what production runs with, so its code is deployed). A single settings module shared by every
 * environment says nothing either way: false.
 */
export function runsInProduction(file: string, reader: SourceReader): boolean {
  const production = environmentOf('production', file, reader);
  // A Rails environment's own file runs there only.
  const rails = railsEnvironmentOfFile(file);
  if (rails !== undefined) return rails === railsEnvName(production);
  // `config/application.rb` and the initializers run in every Rails environment: in production
  // too when the app has one (figgy's rack-cors in application.rb, held-out batch 20).
  const shared = RAILS_SHARED_FILE.exec(file);
  const productionFile = shared && path.join(shared[1], 'config', 'environments', 'production.rb');
  if (productionFile && reader.read(productionFile) !== undefined) return true;
  if (production.settings) {
    const development = environmentOf('development', file, reader);
    return (
      !!production.settingsFiles?.includes(file) &&
      development.settings?.file !== production.settings.file
    );
  }
  return production.files.some((f) => path.basename(f).startsWith('.env.production'));
}

/**
 * Whether a Django settings file sits outside what the project runs: an environment names a
 * settings module in the project (manage.py, wsgi.py, asgi.py, an env file), none that does loads
 * this file, and it is not in or under the folder of a chosen one (where split settings keep
 * their parts). A 13-line `settings.py` fragment at the repository root beside the package
 * manage.py names (Projet-annuel-esgi's, held-out batch 43) is one.
 */
export function unchosenSettings(file: string, reader: SourceReader): boolean {
  const environments = DEFAULT_ENVIRONMENTS.map((name) => environmentOf(name, file, reader));
  const choosing = environments.filter((e) => e.settings?.file);
  return (
    choosing.length > 0 &&
    choosing.every((environment) => {
      const relative = path.relative(path.dirname(environment.settings!.file!), file);
      // Below the chosen module's folder, a module named settings.py of its own is another
      // project's (logtrack-demo's pasted `core/core/settings.py` under the `core/settings.py`
      // every entry point names: held-out batch 47), not a part of split settings.
      const nested = path.dirname(relative) !== '.' && path.basename(file) === 'settings.py';
      return (
        !environment.settingsFiles?.includes(file) &&
        (relative.startsWith('..') || path.isAbsolute(relative) || nested)
      );
    })
  );
}
