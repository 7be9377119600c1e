import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  explainRequest,
  type ExplainAnswer,
  type ExplainParams,
} from '../../server/src/lsp/explain-protocol';
import { ExplainPanel } from './explain-panel';

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

/** `corsLens.explainError`: ask for the error, explain it, show the answer in a panel beside the editor. */
export async function explainCorsError(client: LanguageClient): Promise<void> {
  try {
    const params = await ask();
    if (!params) return;
    const answer = await client.sendRequest<ExplainAnswer>(explainRequest, params);
    if (!answer.items.length) {
      void vscode.window.showWarningMessage(`CORS Lens: ${answer.note ?? 'nothing to explain.'}`);
      return;
    }
    ExplainPanel.show(answer);
  } catch (error) {
    void vscode.window.showErrorMessage(
      `CORS Lens: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
