/**
 * Split settings whose development module decides allow-all itself: `settings/dev.py` star-imports
 * `base.py` and writes `CORS_ALLOW_ALL_ORIGINS = DEBUG` (or `= True`), while `base.py`, which
 * production builds on too, turns it on unconditionally. The project treats allow-all as a
 * development choice, and production gets it anyway.
 */
import path from 'node:path';
import type { SourceReader } from '../../base/source-reader';
import type { SourceRef, Span } from '../../policy/types';
import { DEVELOPMENT_MODULES } from '../../environment/resolve';

/** The development settings modules beside a settings module: the package's, and `local_settings.py`. */
const DEVELOPMENT_FILES = [...DEVELOPMENT_MODULES.map((m) => `${m}.py`), 'local_settings.py'];

/** An assignment of allow-all, by either name, to anything but a literal `False`. */
const ALLOW_ALL_ASSIGNED =
  /^(CORS_ALLOW_ALL_ORIGINS|CORS_ORIGIN_ALLOW_ALL)[ \t]*(?::[^=\n]*)?=(?!=)[ \t]*(?!False\b)\S/m;

/**
 * The assignment a sibling development module makes of allow-all after star-importing the module
 * of `allowAll` (undefined when none does).
 */
export function decidedForDevelopment(allowAll: Span, reader: SourceReader): SourceRef | undefined {
  const dir = path.dirname(allowAll.file);
  const base = path.basename(allowAll.file, '.py');
  if (DEVELOPMENT_FILES.includes(`${base}.py`)) return undefined;
  const starImport = new RegExp(
    `^from[ \\t]+(?:\\.|[\\w.]*\\.)?${base}[ \\t]+import[ \\t]+\\*`,
    'm',
  );
  for (const name of DEVELOPMENT_FILES) {
    const file = path.join(dir, name);
    const text = reader.read(file);
    if (text === undefined || !starImport.test(text)) continue;
    const assigned = ALLOW_ALL_ASSIGNED.exec(text);
    if (!assigned) continue;
    const end = text.indexOf('\n', assigned.index);
    const span = { file, start: assigned.index, end: end < 0 ? text.length : end };
    return { span, label: `${name}: ${text.slice(span.start, span.end).trim()}` };
  }
  return undefined;
}
