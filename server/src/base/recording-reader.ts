import type { SourceReader } from './source-reader';

/**
 * A reader that remembers every file read through it and what it read (absent files too): the
 * exact inputs of an extraction besides the file itself, so a later run can tell whether any
 * of them changed (an imported settings module edited, a next.config created).
 */
export class RecordingReader implements SourceReader {
  readonly reads = new Map<string, string | undefined>();

  constructor(private readonly inner: SourceReader) {}

  get scopes(): readonly string[] | undefined {
    return this.inner.scopes;
  }

  read(file: string): string | undefined {
    const text = this.inner.read(file);
    this.reads.set(file, text);
    return text;
  }
}
