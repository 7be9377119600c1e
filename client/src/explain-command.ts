import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  explainRequest,
  type ExplainAnswer,
  type ExplainItem,
  type ExplainParams,
} from '../../server/src/lsp/explain-protocol';
import { explainMarkdown } from './explain-markdown';
import type { PreviewDocuments } from './preview-view';

/** Text that looks like a browser's CORS error (any of the three wordings). */
const LOOKS_LIKE_CORS =
  /CORS policy|Cross-Origin Request Blocked|Access-Control-Allow-|due to access control checks/i;

/** Asks what to explain: the clipboard's error, a pasted one, or a HAR file. */
async function ask(): Promise<ExplainParams | undefined> {
  const clipboard = await vscode.env.clipboard.readText();
  const fromClipboard = {
    label: 'Explain the error in the clipboard',
    detail: clipboard.replace(/\s+/g, ' ').slice(0, 160),
  };
  const paste = { label: 'Paste or type the error…' };
  const har = { label: 'Explain a HAR file (devtools export)…' };
  const choices = LOOKS_LIKE_CORS.test(clipboard) ? [fromClipboard, paste, har] : [paste, har];
  const picked = await vscode.window.showQuickPick(choices, {
    title: 'CORS Lens: Explain a CORS Error',
  });
  if (!picked) return undefined;
  if (picked === fromClipboard) return { text: clipboard };
  if (picked === har) {
    const [file] =
      (await vscode.window.showOpenDialog({
        canSelectMany: false,
        filters: { HAR: ['har', 'json'] },
        title: 'A HAR exported from the browser devtools',
      })) ?? [];
    return file
      ? { text: new TextDecoder().decode(await vscode.workspace.fs.readFile(file)), har: true }
      : undefined;
  }
  // Line breaks of a multi-line paste are fine: the server reads the text with whitespace collapsed.
  const text = await vscode.window.showInputBox({
    title: 'CORS Lens: Explain a CORS Error',
    prompt: "Paste the error from the browser console (Chromium's, Firefox's or Safari's)",
    placeHolder:
      "Access to fetch at 'http://127.0.0.1:8000/api/items' from origin 'http://localhost:5173' has been blocked by CORS policy: ...",
    ignoreFocusOut: true,
  });
  return text ? { text } : undefined;
}

/** Applies a fix's edits, refusing when a document changed since the answer was made. */
async function applyFix(fix: NonNullable<ExplainItem['fix']>): Promise<void> {
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

/** Offers to open the first line and to apply the first fix. */
async function offerActions(answer: ExplainAnswer): Promise<void> {
  const item = answer.items.find((i) => i.lines.length || i.fix?.changes.length);
  if (!item) return;
  const line = item.lines[0];
  const open = line && `Open ${line.label}`;
  const apply = item.fix?.changes.length ? 'Apply fix' : undefined;
  const picked = await vscode.window.showInformationMessage(
    `CORS Lens: ${item.cause}`,
    ...[open, apply].filter((a): a is string => !!a),
  );
  if (picked === open && line) {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(line.uri));
    const at = new vscode.Position(line.line, line.character);
    await vscode.window.showTextDocument(doc, { selection: new vscode.Range(at, at) });
  } else if (picked === apply && item.fix) {
    await applyFix(item.fix);
  }
}

/** `corsLens.explainError`: ask for the error, explain it, show the answer beside the editor. */
export async function explainCorsError(
  client: LanguageClient,
  view: PreviewDocuments,
): Promise<void> {
  try {
    const params = await ask();
    if (!params) return;
    const answer = await client.sendRequest<ExplainAnswer>(explainRequest, params);
    if (!answer.items.length) {
      void vscode.window.showWarningMessage(`CORS Lens: ${answer.note ?? 'nothing to explain.'}`);
      return;
    }
    await view.show('Explain', explainMarkdown(answer));
    void offerActions(answer);
  } catch (error) {
    void vscode.window.showErrorMessage(
      `CORS Lens: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
