/**
 * Flask's extension-object shape across modules: `cors = CORS()` in an `extensions.py`, and
 * `cors.init_app(app, ...)` in the app factory of another module that imports it. The factory's
 * module names no flask_cors at all; the extension module has no app to configure.
 */
import type { SourceReader } from '../../base/source-reader';
import { resolvePythonModule } from '../../lang/python/settings-module';

/** An imported Flask-CORS extension object: its local name and the module that created it. */
export interface ImportedExtension {
  name: string;
  file: string;
}

/**
 * The names `x` of `x.init_app(...)` calls in `text` that `from module import x` brings from a
 * module of the project assigning `x = CORS()` (no arguments: the factory's call holds the
 * options) at its top level.
 */
export function importedExtensions(
  file: string,
  text: string,
  reader: SourceReader,
): ImportedExtension[] {
  const initialised = new Set(
    [...text.matchAll(/(?<![\w.])(\w+)\s*\.\s*init_app\s*\(/g)].map((m) => m[1]),
  );
  if (!initialised.size) return [];
  const found: ImportedExtension[] = [];
  for (const statement of text.matchAll(
    /^[ \t]*from[ \t]+([\w.]+)[ \t]+import[ \t]+(\([^)]{0,4000}\)|[^\n#]*)/gm,
  )) {
    const names = statement[2]
      .replace(/[()]/g, ' ')
      .split(',')
      .map((n) => n.trim().split(/\s+as\s+/))
      .filter(([original, local]) => /^\w+$/.test(original) && initialised.has(local ?? original));
    if (!names.length) continue;
    const target = resolvePythonModule(file, statement[1], (c) => reader.read(c) !== undefined);
    const source = target && reader.read(target);
    if (!target || !source?.includes('flask_cors')) continue;
    for (const [original, local] of names)
      if (
        new RegExp(`^${original}[ \\t]*=[ \\t]*(?:flask_cors\\.)?CORS\\(\\s*\\)`, 'm').test(source)
      )
        found.push({ name: local ?? original, file: target });
  }
  return found;
}
