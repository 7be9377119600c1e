import type { TextDocument } from 'vscode-languageserver-textdocument';
import { readDiskText } from '../base/read-source';
import type { SourceReader } from '../base/source-reader';
import { pathToUri } from './files';

export { readDiskText };

/**
 * The text of files an extractor follows: an open document's unsaved text wins over the disk, so
 * an edit to an imported settings file is seen before it is saved.
 */
export class LspSourceReader implements SourceReader {
  /** The workspace folders (set when the client sends them). */
  scopes: readonly string[] = [];

  constructor(private readonly openDocument: (uri: string) => TextDocument | undefined) {}

  read(file: string): string | undefined {
    return this.openDocument(pathToUri(file))?.getText() ?? readDiskText(file);
  }
}
