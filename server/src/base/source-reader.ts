/** Reads the text of a file an extractor follows (an imported settings module). */
export interface SourceReader {
  /** The file's text, or undefined when it does not exist or cannot be read as text. */
  read(file: string): string | undefined;
  /**
   * The folders the user opened or named (the editor's workspace folders, the paths given to
   * `check`): a file with no project marker above it belongs to the innermost one holding it.
   */
  readonly scopes?: readonly string[];
}
