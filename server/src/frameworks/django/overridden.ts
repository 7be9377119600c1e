/**
 * Settings a fragment sets that the project's settings module sets again after importing it
 * (`libraries/cors.py` opens everything for development, `production.py` star-imports the base
 * that pulls it in, then writes `CORS_ALLOW_ALL_ORIGINS = False`). In every environment whose
 * settings module (chosen by manage.py, wsgi.py/asgi.py or the env files) runs the fragment, the
 * later value is the one Django uses: the fragment's own is dead there and is not reported.
 */
import type { SourceReader } from '../../base/source-reader';
import { environmentOf } from '../../environment/resolve';
import { parseText } from '../../parsing/parser';
import { SettingsModuleReader } from '../../lang/python/settings-module';
import { corsheadersModules } from './defaults';

const ENVIRONMENTS = ['development', 'production'];

/** What the settings modules that run a fragment set again after it. */
export interface Overrides {
  /** The names every settings module that runs the fragment sets again: dead everywhere. */
  everywhere: Set<string>;
  /** Each environment whose settings module runs the fragment, with the names it sets again. */
  byEnvironment: Map<string, Set<string>>;
}

/** Of `names` set in `file`, those the settings modules that run `file` set again elsewhere. */
export async function overriddenNames(
  file: string,
  names: string[],
  reader: SourceReader,
): Promise<Overrides> {
  const byEnvironment = new Map<string, Set<string>>();
  if (!names.length) return { everywhere: new Set(), byEnvironment };
  let overridden: Set<string> | undefined;
  for (const name of ENVIRONMENTS) {
    const environment = environmentOf(name, file, reader);
    const settingsFile = environment.settings?.file;
    if (!settingsFile || settingsFile === file || !environment.settingsFiles?.includes(file))
      continue;
    const text = reader.read(settingsFile);
    if (text === undefined) continue;
    const tree = await parseText('python', text);
    let settings;
    try {
      settings = (
        await new SettingsModuleReader(reader, corsheadersModules, (n) => names.includes(n)).read(
          settingsFile,
          text,
          tree,
        )
      ).settings;
    } finally {
      tree.delete();
    }
    const here = new Set(
      names.filter((n) => {
        const setting = settings.get(n);
        return !!setting && setting.statement.file !== file;
      }),
    );
    byEnvironment.set(name, here);
    overridden = overridden ? new Set([...overridden].filter((n) => here.has(n))) : here;
  }
  return { everywhere: overridden ?? new Set(), byEnvironment };
}

/**
 * The environments in which a fragment's allow-all stands, when some environment that runs the
 * fragment sets it again (`production.py`: `CORS_ALLOW_ALL_ORIGINS = False`) and another does not
 * (`local.py`): undefined when every environment that runs it agrees.
 */
export function allowAllStandsIn(overrides: Overrides): string[] | undefined {
  const stands = [...overrides.byEnvironment]
    .filter(
      ([, names]) => !names.has('CORS_ALLOW_ALL_ORIGINS') && !names.has('CORS_ORIGIN_ALLOW_ALL'),
    )
    .map(([name]) => name);
  return stands.length && stands.length < overrides.byEnvironment.size ? stands : undefined;
}
