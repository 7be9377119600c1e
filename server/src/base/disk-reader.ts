import type { SourceReader } from './source-reader';
import { readSource, type Source } from './read-source';

/** Reads UTF-8 text files from disk once each; unreadable, binary or huge files read as absent. */
export class DiskReader implements SourceReader {
  private readonly cache = new Map<string, Source>();

  /** `scopes`: the folders the run was asked to check (see `SourceReader.scopes`). */
  constructor(readonly scopes: readonly string[] = []) {}

  /** A file's text, or why it cannot be analysed (cached: a CLI run reads each file once). */
  source(file: string): Source {
    let source = this.cache.get(file);
    if (!source) {
      source = readSource(file);
      this.cache.set(file, source);
    }
    return source;
  }

  read(file: string): string | undefined {
    const source = this.source(file);
    return 'text' in source ? source.text : undefined;
  }
}
