/** Reads the text of a file an extractor follows (an imported settings module). */
export interface SourceReader {
  /** The file's text, or undefined when it does not exist or cannot be read as text. */
  read(file: string): string | undefined;
}
