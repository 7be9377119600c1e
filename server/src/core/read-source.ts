import { readFileSync, statSync } from 'node:fs';
import { MAX_FILE_BYTES, unreadableReason } from './disk-reader';

/** Why an (open document's) text is not analysed, or undefined when it is fine: the disk rules, for text. */
export function textProblem(text: string): string | undefined {
  // The UTF-16 length is a lower bound of the UTF-8 size: check it first, it is free.
  if (text.length > MAX_FILE_BYTES || Buffer.byteLength(text, 'utf8') > MAX_FILE_BYTES) {
    return `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`;
  }
  if (text.includes('\0')) return 'a binary file';
  return undefined;
}

/** A file's text, or the one-line reason it cannot be analysed (missing, too large, binary, not UTF-8). */
export function readSource(file: string): { text: string } | { problem: string } {
  try {
    if (statSync(file).size > MAX_FILE_BYTES) return { problem: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB` };
    const bytes = readFileSync(file);
    const problem = unreadableReason(bytes);
    return problem ? { problem } : { text: bytes.toString('utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a folder' : `cannot be read (${code ?? String(error)})` };
  }
}

/** A file's text, or undefined when it cannot be analysed (uncached: the editor's files change). */
export function readDiskText(file: string): string | undefined {
  const source = readSource(file);
  return 'text' in source ? source.text : undefined;
}
