import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { SourceReader } from '../../base/source-reader';
import { parseText } from '../../parsing/parser';
import type { SourceTree } from '../../parsing/source-tree';
import type { Policy } from '../../policy/types';
import { insideProject, projectRootOf, VENDORED_FOLDERS } from '../../base/project-root';

/** Folder entries listed per search, at most (a monorepo is not walked whole). */
const MAX_LISTED = 3000;

/**
 * The Python files of `dir`'s subtree, without `skip` (a subtree already listed) and without
 * vendored or hidden folders, sorted; `budget.listed` counts the entries listed.
 */
function pythonFilesUnder(dir: string, skip: string | undefined, budget: { listed: number }) {
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
        if (full !== skip && !VENDORED_FOLDERS.has(entry.name)) visit(full, depth + 1);
      } else if (entry.name.endsWith('.py')) files.push(full);
    }
  };
  visit(dir, 0);
  return files;
}

/**
 * The Python files of `file`'s project, nearest first: the file's folder's subtree, then each
 * folder's up to the project's root, each level adding only the subtree not yet listed. Bounded
 * (`MAX_LISTED` folder entries in all, vendored and hidden folders skipped), so a search for a
 * module the imports do not name (a settings class built by a dependency container) costs at
 * most one listing of a small project. The caller stops at the first level that answers.
 */
export function* nearbyPythonFiles(
  file: string,
  reader: SourceReader,
  maxLevels = Infinity,
): Generator<string[]> {
  const root = projectRootOf(file, reader.scopes);
  const budget = { listed: 0 };
  for (let dir = path.dirname(file), below: string | undefined, level = 1; ; level++) {
    yield pythonFilesUnder(dir, below, budget);
    if (budget.listed > MAX_LISTED || dir === root || level >= maxLevels) return;
    if (!insideProject(root, path.join(path.dirname(dir), 'x'))) return;
    below = dir;
    dir = path.dirname(dir);
  }
}

/** Folder levels `nearbyReaders` climbs: a settings module sits beside or below the app that reads it. */
const READER_LEVELS = 3;

/**
 * For a module other modules read values from (a settings module): the policies of the nearest
 * modules that `mention` it (by their text) and whose extraction `keep`s, from the first folder
 * level that has any, at most `READER_LEVELS` folders up (the app package holding it, not the
 * rest of a monorepo). Lets a settings module report what the setup reading it finds at its own
 * lines.
 */
export async function nearbyReaders(
  file: string,
  reader: SourceReader,
  mention: (text: string) => boolean,
  extract: (file: string, text: string, tree: SourceTree) => Promise<Policy[]>,
  keep: (policy: Policy) => boolean,
): Promise<Policy[]> {
  for (const level of nearbyPythonFiles(file, reader, READER_LEVELS)) {
    const policies: Policy[] = [];
    for (const candidate of level) {
      const text = candidate === file ? undefined : reader.read(candidate);
      if (!text || !mention(text)) continue;
      const tree = await parseText('python', text);
      try {
        policies.push(...(await extract(candidate, text, tree)).filter(keep));
      } finally {
        tree.delete();
      }
    }
    if (policies.length) return policies;
  }
  return [];
}
