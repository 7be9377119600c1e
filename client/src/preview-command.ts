import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  policyRequest,
  previewRequest,
  type PolicySummary,
  type PreviewAnswer,
} from '../../server/src/lsp/protocol';
import { PreviewPanel } from './preview-panel';
import { currentEnvironment } from './environment-status';
import { promptPreviewRequest } from './preview-prompts';

/** `corsLens.previewEffectiveHeaders`: ask for a request, predict it, show the result beside the editor. */
export async function previewEffectiveHeaders(
  client: LanguageClient,
  memory: vscode.Memento,
): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage(
      'CORS Lens: open the file that configures CORS first.',
    );
    return;
  }
  const uri = editor.document.uri.toString();
  try {
    const summary = await client.sendRequest<PolicySummary>(policyRequest, { uri });
    if (!summary.found) {
      void vscode.window.showWarningMessage(
        'CORS Lens: this file configures no CORS policy that CORS Lens understands.',
      );
      return;
    }
    const params = await promptPreviewRequest(uri, summary, memory);
    if (!params) return;
    // The environment of the status bar's item (the diagnostics are computed in it too).
    const environment = currentEnvironment(editor.document.uri);
    const answer = await client.sendRequest<PreviewAnswer | null>(
      previewRequest,
      environment ? { ...params, environment } : params,
    );
    if (!answer) {
      void vscode.window.showErrorMessage(
        'CORS Lens: the preview failed; see the CORS Lens output for details.',
      );
      return;
    }
    await PreviewPanel.show(client, uri, answer, environment);
  } catch (error) {
    void vscode.window.showErrorMessage(
      `CORS Lens: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
