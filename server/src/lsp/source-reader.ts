import { TextDocument } from 'vscode-languageserver-textdocument';
import { readDiskText } from '../base/read-source';
import type { SourceReader } from '../base/source-reader';
import type { Located } from './diagnostics';
import { pathToUri } from './files';

export { readDiskText };

/** An open document by URI (the editor's text, with its version). */
export type OpenDocument = (uri: string) => TextDocument | undefined;

/**
 * The text of files an extractor follows: an open document's unsaved text wins over the disk, so
 * an edit to an imported settings file is seen before it is saved.
 */
export class LspSourceReader implements SourceReader {
  /** The workspace folders (set when the client sends them). */
  scopes: readonly string[] = [];

  constructor(private readonly openDocument: OpenDocument) {}

  read(file: string): string | undefined {
    return this.openDocument(pathToUri(file))?.getText() ?? readDiskText(file);
  }
}

/** Text of any file a fix or a link points at: the open document (versioned) or the disk. */
export function locateFile(file: string, openDocument: OpenDocument): Located | undefined {
  const uri = pathToUri(file);
  const open = openDocument(uri);
  if (open) return { uri, version: open.version, document: open };
  const text = readDiskText(file);
  return text === undefined
    ? undefined
    : { uri, version: null, document: TextDocument.create(uri, 'plaintext', 0, text) };
}
