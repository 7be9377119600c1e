import { fileURLToPath, pathToFileURL } from 'node:url';
import { grammarForText } from '../parsing/languages';

export { grammarForText };
export { textProblem } from '../base/read-source';

/** The file-system path of a `file:` URI, or undefined for other schemes (untitled, git, …). */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** The `file:` URI of a path. */
export const pathToUri = (file: string): string => pathToFileURL(file).href;
