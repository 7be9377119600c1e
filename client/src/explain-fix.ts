import * as vscode from 'vscode';
import type { ExplainItem } from '../../server/src/lsp/explain-protocol';

/** Applies a fix's edits, refusing when a document changed since the answer was made. */
export async function applyFix(fix: NonNullable<ExplainItem['fix']>): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  for (const change of fix.changes) {
    const uri = vscode.Uri.parse(change.uri);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open && change.version !== null && open.version !== change.version) {
      void vscode.window.showWarningMessage(
        'CORS Lens: the file changed since the explanation; explain the error again.',
      );
      return;
    }
    for (const e of change.edits)
      edit.replace(
        uri,
        new vscode.Range(
          e.range.start.line,
          e.range.start.character,
          e.range.end.line,
          e.range.end.character,
        ),
        e.newText,
      );
  }
  await vscode.workspace.applyEdit(edit);
}
