import type { SourceReader } from '../../base/source-reader';
import { nearbyFiles } from '../../base/nearby-files';
import { parseText } from '../../parsing/parser';
import type { SourceTree } from '../../parsing/source-tree';
import type { Policy } from '../../policy/types';

/** The Python files of `file`'s project, nearest first (see `nearbyFiles`). */
export const nearbyPythonFiles = (
  file: string,
  reader: SourceReader,
  maxLevels = Infinity,
): Generator<string[]> => nearbyFiles(file, reader, (f) => f.endsWith('.py'), maxLevels);

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
