import * as vscode from 'vscode';
import table from '../../server/src/parsing/languages.json';

/** The VS Code language ids the server reads. */
const languages = new Set(table.flatMap((language) => language.vscode));

/**
 * The document the status bar items speak for: the active editor's, or, while a panel beside it
 * (the preview, the probe) has focus and so no text editor is active, the visible one's.
 * Undefined when the server does not read it.
 */
export function statusDocument(): vscode.TextDocument | undefined {
  const doc = (vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0])?.document;
  return doc && languages.has(doc.languageId) && ['file', 'untitled'].includes(doc.uri.scheme)
    ? doc
    : undefined;
}
