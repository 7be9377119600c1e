import { escapeRegex } from '../../base/regex';
import path from 'node:path';
import type { SourceReader } from '../../base/source-reader';

/**
 * The settings modules next to `file` that could read it as an operator configuration (NetBox's
 * `settings.py` does `getattr(configuration, 'CORS_ORIGIN_ALLOW_ALL', False)` over the module the
 * operator writes from `configuration_example.py`).
 */
function neighbours(file: string): string[] {
  const dir = path.dirname(file);
  return [
    path.join(dir, 'settings.py'),
    path.join(dir, 'settings', '__init__.py'),
    path.join(dir, '..', 'settings.py'),
  ].filter((candidate) => candidate !== file);
}

/**
 * Names of `file` that a neighbouring settings module looks up with `getattr(module, 'NAME', …)`:
 * there they are the keys of a configuration the settings read, not settings Django reads, so
 * renaming them (the deprecated-setting fix) would break the lookup.
 */
export function namesReadByGetattr(file: string, names: string[], reader: SourceReader): string[] {
  const texts = neighbours(file)
    .map((candidate) => reader.read(candidate))
    .filter((text): text is string => !!text && text.includes('getattr'));
  if (!texts.length) return [];
  return names.filter((name) => {
    const lookup = new RegExp(`getattr\\(\\s*[\\w.]+\\s*,\\s*['"]${escapeRegex(name)}['"]`);
    return texts.some((text) => lookup.test(text));
  });
}
