/**
 * An environment (`development`, `production`, a `corsLens.environments` name) as the facts the
 * code reads when it runs there: the env files that apply (their merged names) and the settings
 * module that is chosen. A name no file sets is unset, so the code's written default applies.
 */

/** A file range: the same shape as `policy/types`'s `Span` (this layer sits below `policy`). */
export interface EnvSpan {
  file: string;
  start: number;
  end: number;
}

/** One name an env file sets; `value` undefined when it cannot be known statically (`$OTHER`). */
export interface EnvVar {
  value: string | undefined;
  file: string;
  /** Set by the environment's own name (`NODE_ENV=production` in production), not by a file. */
  mode?: true;
}

/** Django's `DJANGO_SETTINGS_MODULE` in one environment, and where that choice is made. */
export interface SettingsChoice {
  module: string;
  /** The settings file it names, when it is in the project. */
  file?: string;
  /** Where it is set: an env file, `manage.py`, `wsgi.py`, `asgi.py`. */
  from: string;
}

export interface Environment {
  name: string;
  /** The project folder whose env files and entry points were read. */
  root: string;
  /** The env files that apply, lowest priority first. */
  files: string[];
  /** The merged names of those files. */
  vars: ReadonlyMap<string, EnvVar>;
  /** The Django settings module chosen here, when the project names one. */
  settings?: SettingsChoice;
  /**
   * Settings files that run in this environment (the chosen module and what it imports with
   * `from .x import *`); undefined when the project does not choose one.
   */
  settingsFiles?: readonly string[];
}

/**
 * One read of an environment variable in code, with its written default: what the code runs with
 * when the variable is unset. Evaluators note every read they resolve, so checks can tell a value
 * that came from a default from one written outright.
 */
export interface EnvRead {
  name: string;
  /** The whole read (`os.environ.get("X", "True") == "True"` is noted at the call). */
  span: EnvSpan;
  /** The default as written (`"True"`, `'http://localhost:3000'`), absent when there is none. */
  fallback?: { text: string; span: EnvSpan };
  /**
   * What the environment the extraction ran in answered: where the name is set (and its value,
   * when known statically). Absent when it is unset there (the default applies) or when the
   * extraction ran in no environment.
   */
  setBy?: EnvSetting;
  /**
   * The code takes the truth of the variable's text (Python's `bool(os.getenv("X", True))`):
   * every non-empty value, "False" and "0" included, is true, so only an empty value turns it off.
   */
  truthOfText?: true;
}

/**
 * Where an environment sets a name: an env or deployment file (`value` as written), the
 * environment's own name (`mode`), or a Rails `config/environments/*.rb` (`span`: the value).
 */
export interface EnvSetting {
  file: string;
  value?: string;
  mode?: true;
  span?: EnvSpan;
}
