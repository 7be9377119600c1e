import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { SourceReader } from './source-reader';
import { insideProject, isVendoredFolder, projectOf, projectRootOf } from './project-root';

/** Folder entries listed per search, at most (a monorepo is not walked whole). */
const MAX_LISTED = 3000;

/**
 * The files of `dir`'s subtree that `accept` takes (by name), without `skip` (a subtree already
 * listed) and without vendored or hidden folders, sorted; `budget.listed` counts the entries listed.
 */
function filesUnder(
  dir: string,
  skip: string | undefined,
  accept: (name: string) => boolean,
  budget: { listed: number },
): string[] {
  const files: string[] = [];
  const visit = (folder: string, depth: number) => {
    if (depth > 8 || budget.listed > MAX_LISTED) return;
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((x, y) => x.name.localeCompare(y.name))) {
      if (++budget.listed > MAX_LISTED) return;
      if (entry.name.startsWith('.')) continue;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (full !== skip && !isVendoredFolder(full)) visit(full, depth + 1);
      } else if (accept(full)) files.push(full);
    }
  };
  visit(dir, 0);
  return files;
}

/**
 * The files `accept` takes of `file`'s project, nearest first: the file's folder's subtree, then
 * each folder's up to the project's root, each level adding only the subtree not yet listed.
 * Bounded (`MAX_LISTED` folder entries in all, vendored and hidden folders skipped), so a search
 * for what the file's own code does not name (a settings class built by a dependency container,
 * the nginx file that includes a snippet) costs at most one listing of a small project. The
 * caller stops at the first level that answers.
 */
export function* nearbyFiles(
  file: string,
  reader: SourceReader,
  accept: (file: string) => boolean,
  maxLevels = Infinity,
  budget = { listed: 0, whole: false },
): Generator<string[]> {
  const root = projectRootOf(file, reader.scopes);
  for (let dir = path.dirname(file), below: string | undefined, level = 1; ; level++) {
    yield filesUnder(dir, below, accept, budget);
    if (budget.listed > MAX_LISTED) return;
    if (dir === root) return void (budget.whole = true);
    if (level >= maxLevels || !insideProject(root, path.join(path.dirname(dir), 'x'))) return;
    below = dir;
    dir = path.dirname(dir);
  }
}

/**
 * Every file `accept` takes in `file`'s project, nearest first; undefined when the project is
 * larger than one bounded listing (or has no root marker), so that "no file does X" is said only
 * of a project seen whole.
 */
export function projectFiles(
  file: string,
  reader: SourceReader,
  accept: (file: string) => boolean,
): string[] | undefined {
  if (!projectOf(file, reader.scopes).marked) return undefined;
  const budget = { listed: 0, whole: false };
  const files = [...nearbyFiles(file, reader, accept, Infinity, budget)].flat();
  return budget.whole && budget.listed <= MAX_LISTED ? files : undefined;
}
