/**
 * A Django settings fragment nothing loads: a module that sets `CORS_*` (or other) settings but
 * is no settings module of its own (no `INSTALLED_APPS`, no `MIDDLEWARE`), and that no file of its
 * project imports or names (`from .cors import *`, `pkg.settings`, split-settings' `'cors.py'`).
 * Django reads settings only from the module DJANGO_SETTINGS_MODULE names and what it imports, so
 * such a fragment sets nothing (ahaarSathi's 8-line `settings.py` inside its Flutter app folder,
 * beside the `backend.settings` every entry point names: held-out batch 50).
 */
import path from 'node:path';
import { escapeRegex } from '../../base/regex';
import { nothingElseMentions } from '../../base/project-mentions';
import type { SourceReader } from '../../base/source-reader';
import { NAMES_PYTHON_MODULES } from './unserved-app';

/** A settings module of its own: what Django needs to run at all. */
const OWN_SETTINGS = /^[ \t]*(?:INSTALLED_APPS|MIDDLEWARE)\b/m;

/** Whether `file` is a settings fragment that no file of its project loads. */
export function unloadedSettingsFragment(
  file: string,
  text: string,
  reader: SourceReader,
): boolean {
  if (OWN_SETTINGS.test(text)) return false;
  const stem = escapeRegex(path.basename(file, '.py'));
  const parent = escapeRegex(path.basename(path.dirname(file)));
  // Dotted under its package (an import or DJANGO_SETTINGS_MODULE), a relative import from a
  // sibling, or a path (split-settings' include, a `from_pyfile`). A bare `import settings`
  // is `django.conf`'s far more often than this file's, so it does not count.
  const names = new RegExp(
    String.raw`\b${parent}\.${stem}\b|\bfrom\s+\.+${stem}\b|\bfrom\s+\.+\s+import\s+[^\n]*\b${stem}\b|\b${stem}\.py\b`,
  );
  return nothingElseMentions(file, reader, {
    question: 'django-settings-fragment',
    mayName: (f) => NAMES_PYTHON_MODULES.test(f),
    mentions: (written) => names.test(written),
  });
}
