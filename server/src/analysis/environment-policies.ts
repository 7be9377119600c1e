/**
 * A file's policies as they run in one environment, shared by `cors-lens preview --env` and the
 * language server's preview: the environment's env files answer env reads, for Django the
 * settings module that environment runs stands for whichever settings file was named, and for
 * Rails the environment's own `config/environments/<env>.rb` for another environment's file.
 */
import { Budget } from '../base/budget';
import type { SourceReader } from '../base/source-reader';
import path from 'node:path';
import { readdirSync } from 'node:fs';
import {
  environmentNames,
  environmentOf,
  railsEnvName,
  railsEnvironmentOfFile,
} from '../environment/resolve';
import type { Environment } from '../environment/types';
import { extractPolicies } from '../frameworks';
import { grammarForText } from '../parsing/languages';
import { parseText } from '../parsing/parser';
import type { Policy } from '../policy/types';
import { extractWithin } from './analyze';
import { defaultSettings } from './settings';

/**
 * The file that runs in `environment` in place of `file`: its Django settings module when `file`
 * is one of the project's settings files (in any environment's module), the Rails file that sets
 * up Rack::Cors there when `file` is a `config/environments/*.rb`, else `file` itself.
 */
export function fileInEnvironment(
  environment: Environment,
  file: string,
  reader: SourceReader,
): string {
  if (railsEnvironmentOfFile(file) !== undefined) return railsFileIn(environment, file, reader);
  if (!environment.settings?.file) return file;
  const other = environmentOf(
    environment.name === 'development' ? 'production' : 'development',
    file,
    reader,
  );
  const settingsFiles = [...(environment.settingsFiles ?? []), ...(other.settingsFiles ?? [])];
  return settingsFiles.includes(file) ? environment.settings.file : file;
}

const RACK_CORS = /\bRack::Cors\b/;

/**
 * For a Rails environment file (`config/environments/development.rb`): the file that sets up
 * Rack::Cors in `environment`: its own environment file when that one inserts it, else the app's
 * initializer or config/application.rb that does, else its environment file (which then has no
 * CORS: none runs there).
 */
function railsFileIn(environment: Environment, file: string, reader: SourceReader): string {
  const config = path.dirname(path.dirname(file));
  const own = path.join(config, 'environments', `${railsEnvName(environment)}.rb`);
  if (RACK_CORS.test(reader.read(own) ?? '')) return own;
  const initializers = path.join(config, 'initializers');
  const shared = [
    ...listFiles(initializers)
      .filter((f) => f.endsWith('.rb'))
      .map((f) => path.join(initializers, f)),
    path.join(config, 'application.rb'),
  ].find((f) => RACK_CORS.test(reader.read(f) ?? ''));
  return shared ?? own;
}

/** The names in a folder, sorted as Rails loads initializers (none when it cannot be listed). */
function listFiles(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/** The policies of `file` in environment `name`, and the file they were read from. */
export async function policiesInEnvironment(
  name: string,
  file: string,
  reader: SourceReader,
  budgetMs = defaultSettings.analysisBudgetMs,
): Promise<{ file: string; policies: Policy[] }> {
  const environment = environmentOf(name, file, reader);
  const target = fileInEnvironment(environment, file, reader);
  const text = reader.read(target);
  const grammar = text === undefined ? undefined : grammarForText(target, text);
  if (text === undefined || !grammar) return { file: target, policies: [] };
  const tree = await parseText(grammar, text);
  try {
    const { policies } = await extractWithin(
      budgetMs,
      () => extractPolicies(grammar, target, text, tree, reader, new Budget(budgetMs)),
      environment,
    );
    return { file: target, policies };
  } finally {
    tree.delete();
  }
}

/**
 * The environments worth offering for `file`: none when nothing in its project differs between
 * them (no env read in its policies, no env file, no variable a deployment file sets, no settings
 * module chosen per environment); else the defaults and the user's (`corsLens.environments`).
 */
export function environmentChoices(
  file: string,
  policies: readonly Policy[],
  reader: SourceReader,
  extra: readonly string[] = [],
): string[] {
  const names = environmentNames(extra);
  const differs =
    policies.some((p) => p.envReads?.length) ||
    names.some((name) => {
      const environment = environmentOf(name, file, reader);
      return (
        environment.files.length > 0 ||
        environment.settings !== undefined ||
        [...environment.vars.values()].some((v) => !v.mode)
      );
    });
  return differs ? names : [];
}
