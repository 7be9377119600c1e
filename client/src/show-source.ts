import * as vscode from 'vscode';

/** Opens the source line a panel links to (`{uri, line, character}`), in the first editor column. */
export async function showSourceAt(at: {
  uri: string;
  line: number;
  character: number;
}): Promise<void> {
  const position = new vscode.Position(at.line, at.character);
  await vscode.window.showTextDocument(vscode.Uri.parse(at.uri), {
    selection: new vscode.Range(position, position),
    viewColumn: vscode.ViewColumn.One,
  });
}
