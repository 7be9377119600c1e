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

/** Of `names` set in `file`, those every settings module that runs `file` sets again elsewhere. */
export async function overriddenNames(
  file: string,
  names: string[],
  reader: SourceReader,
): Promise<Set<string>> {
  if (!names.length) return new Set();
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
    overridden = overridden ? new Set([...overridden].filter((n) => here.has(n))) : here;
  }
  return overridden ?? new Set();
}
