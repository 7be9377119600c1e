import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** Files larger than this are not analysed (generated or data files, not settings). */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

/** A file's text, or the one-line reason it cannot be analysed. */
export type Source = { text: string } | { problem: string };

// `ignoreBOM` keeps a BOM in the text, as Buffer#toString and the editor do: offsets must match.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The text of a file's bytes, or why they are not analysed (too large, binary, not UTF-8): one decode. */
function decodeSource(bytes: Uint8Array): Source {
  if (bytes.length > MAX_FILE_BYTES)
    return { problem: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB` };
  if (bytes.includes(0)) return { problem: 'a binary file' };
  try {
    return { text: utf8.decode(bytes) };
  } catch {
    return { problem: 'not valid UTF-8' };
  }
}

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
export function readSource(file: string): Source {
  try {
    // One open and one fstat: the size is known before anything is read, without a second
    // lookup of the path (a check run reads thousands of files). Non-blocking, so a named pipe
    // with a source file's name is reported instead of waiting forever for a writer.
    const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const stat = fstatSync(fd);
      if (stat.isDirectory()) return { problem: 'a folder' };
      if (!stat.isFile()) return { problem: 'not a regular file' };
      if (stat.size > MAX_FILE_BYTES)
        return { problem: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB` };
      const bytes = new Uint8Array(stat.size);
      let read = 0;
      for (let n = 1; read < bytes.length && n > 0; read += n)
        n = readSync(fd, bytes, read, bytes.length - read, read);
      return decodeSource(bytes.subarray(0, read));
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      problem:
        code === 'ENOENT'
          ? 'no such file'
          : code === 'EISDIR'
            ? 'a folder'
            : `cannot be read (${code ?? String(error)})`,
    };
  }
}

/** A file's text, or undefined when it cannot be analysed (uncached: the editor's files change). */
export function readDiskText(file: string): string | undefined {
  const source = readSource(file);
  return 'text' in source ? source.text : undefined;
}
