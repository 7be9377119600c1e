import { readFileSync, statSync } from 'node:fs';
import type { SourceReader } from '../extract/source-reader';

/** Files larger than this are not analysed (generated or data files, not settings). */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

/** Why a file cannot be analysed as text, or undefined when it can. */
export function unreadableReason(bytes: Buffer): string | undefined {
  if (bytes.length > MAX_FILE_BYTES) return `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`;
  if (bytes.includes(0)) return 'a binary file';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes));
  } catch {
    return 'not valid UTF-8';
  }
  return undefined;
}

/** Reads UTF-8 text files from disk; unreadable, binary or huge files read as absent. */
export class DiskReader implements SourceReader {
  private readonly cache = new Map<string, string | undefined>();

  read(file: string): string | undefined {
    if (this.cache.has(file)) return this.cache.get(file);
    let text: string | undefined;
    try {
      if (statSync(file).size <= MAX_FILE_BYTES) {
        const bytes = readFileSync(file);
        text = unreadableReason(bytes) ? undefined : bytes.toString('utf8');
      }
    } catch {
      text = undefined;
    }
    this.cache.set(file, text);
    return text;
  }
}
