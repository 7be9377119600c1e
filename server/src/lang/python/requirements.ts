/**
 * The versions a Python project's dependency files allow a package in, read as text from the
 * file's folder up (see `dependencyFolders`): `requirements.txt` (and the usual `requirements/*.txt`,
 * `requirements-prod.txt`, `pip/requirements.txt`),
 * `pyproject.toml` (PEP 508 strings, Poetry's `^`/`~`), `Pipfile`, `setup.cfg` and `setup.py`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { projectRootOf } from '../../base/project-root';
import type { SourceReader } from '../../base/source-reader';

const FILES = [
  'requirements.txt',
  'requirements-prod.txt',
  'requirements_prod.txt',
  'requirements/base.txt',
  'requirements/common.txt',
  'requirements/main.txt',
  'requirements/prod.txt',
  'requirements/production.txt',
  'requirements/requirements.txt',
  // pip-tools' compiled pins kept in their own folder (MuckRock's pip/requirements.txt).
  'pip/requirements.txt',
  'pyproject.toml',
  'Pipfile',
  'setup.cfg',
  'setup.py',
];

type Version = number[];

const parse = (text: string): Version => text.split('.').map((part) => Number(part) || 0);

function compare(a: Version, b: Version): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff) return diff;
  }
  return 0;
}

/** The first version a clause excludes from above (`<3.3`, `==3.2.1` → `3.2.1.1`), if it caps. */
function capOf(operator: string, written: string): Version | undefined {
  const version = parse(written.replace(/\.\*$/, ''));
  switch (operator) {
    case '<':
      return version;
    case '<=':
    case '==':
    case '===':
      return written.endsWith('.*')
        ? [...version.slice(0, -1), (version[version.length - 1] ?? 0) + 1]
        : [...version, 0, 1];
    // `~=3.2` allows 3.x from 3.2; `~=3.2.1` allows 3.2.x from 3.2.1 (PEP 440).
    case '~=':
      return version.length < 2
        ? undefined
        : [...version.slice(0, -2), version[version.length - 2] + 1];
    // Poetry: `^3.2` below 4, `~3.2` below 3.3.
    case '^':
      return [version[0] + 1];
    case '~':
      return version.length < 2 ? [version[0] + 1] : [version[0], version[1] + 1];
    default:
      return undefined;
  }
}

/**
 * Whether `file`'s project lists its dependencies (a dependency file from its folder up to the
 * project root) and none of them matches `pattern`: the package is not the project's.
 */
export const declaresWithout = (file: string, reader: SourceReader, pattern: RegExp): boolean =>
  dependencyFilesSay(file, reader, pattern) === 'without';

/** Whether a dependency file of `file`'s project matches `pattern` (names the package). */
export const declares = (file: string, reader: SourceReader, pattern: RegExp): boolean =>
  dependencyFilesSay(file, reader, pattern) === 'found';

/** What the dependency files from `file`'s folder up to its project root say of `pattern`. */
function dependencyFilesSay(
  file: string,
  reader: SourceReader,
  pattern: RegExp,
): 'found' | 'without' | 'none' {
  let declared = false;
  for (const dir of dependencyFolders(file, reader)) {
    for (const name of FILES) {
      const text = reader.read(path.join(dir, name));
      if (text === undefined) continue;
      if (pattern.test(text)) return 'found';
      declared = true;
    }
  }
  return declared ? 'without' : 'none';
}

/**
 * Whether a dependency file of `file`'s project caps `name` below `version` (funkwhale's
 * `django-cors-headers>=3.2,<3.3` below 3.5); false when none says so.
 */
export function pinnedBelow(
  file: string,
  reader: SourceReader,
  name: string,
  version: string,
): boolean {
  const pattern = name.replace(/[-_.]/g, '[-_.]');
  const spec = new RegExp(
    `['"]?${pattern}['"]?\\s*(?:\\[[^\\]\\n]*\\])?\\s*(?:=\\s*['"]|\\(\\s*)?((?:\\s*,?\\s*(?:===|==|<=|>=|~=|!=|<|>|\\^|~)\\s*[\\d.*]+)+)`,
    'gi',
  );
  const wanted = parse(version);
  for (const dir of dependencyFolders(file, reader)) {
    for (const name of FILES) {
      const text = reader.read(path.join(dir, name));
      if (text === undefined) continue;
      for (const [, clauses] of text.matchAll(spec))
        for (const [, operator, written] of clauses.matchAll(
          /(===|==|<=|>=|~=|!=|<|>|\^|~)\s*([\d.*]+)/g,
        )) {
          const cap = capOf(operator, written);
          if (cap && compare(cap, wanted) <= 0) return true;
        }
    }
  }
  return false;
}

/** Folders above a Django project's root its dependency files may lie in (`repo/` of `repo/src/manage.py`). */
const ABOVE_DJANGO_ROOT = 2;

/**
 * The folders a file's dependency files may lie in: its own up to its project root, then, for a
 * Django project kept below the repository's root (`src/manage.py` beside `requirements.txt` one
 * level up: Django-Angular-Ionic, held-out batch 52), a few more, never past a workspace folder
 * or a repository's root.
 */
function* dependencyFolders(file: string, reader: SourceReader): Generator<string> {
  const root = projectRootOf(file, reader.scopes);
  let dir = path.dirname(path.resolve(file));
  for (;;) {
    yield dir;
    if (dir === root || dir === path.dirname(dir)) break;
    dir = path.dirname(dir);
  }
  if (reader.read(path.join(root, 'manage.py')) === undefined) return;
  const scopes = (reader.scopes ?? []).map((scope) => path.resolve(scope));
  for (let up = 0; up < ABOVE_DJANGO_ROOT; up++) {
    if (scopes.includes(dir) || existsSync(path.join(dir, '.git')) || dir === path.dirname(dir))
      return;
    dir = path.dirname(dir);
    yield dir;
  }
}
