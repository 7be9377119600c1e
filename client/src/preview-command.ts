import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { PreviewReport } from '../../server/src/core/preview-report';
import { policyRequest, previewRequest, type PolicySummary } from '../../server/src/lsp/protocol';
import { previewMarkdown } from './preview-markdown';
import { promptPreviewRequest } from './preview-prompts';
import type { PreviewDocuments } from './preview-view';

/** `corsLens.previewEffectiveHeaders`: ask for a request, predict it, show the result beside the editor. */
export async function previewEffectiveHeaders(client: LanguageClient, view: PreviewDocuments): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('CORS Lens: open the file that configures CORS first.');
    return;
  }
  const uri = editor.document.uri.toString();
  try {
    const summary = await client.sendRequest<PolicySummary>(policyRequest, { uri });
    if (!summary.found) {
      void vscode.window.showWarningMessage('CORS Lens: this file configures no CORS policy that CORS Lens understands.');
      return;
    }
    const params = await promptPreviewRequest(uri, summary);
    if (!params) return;
    const report = await client.sendRequest<PreviewReport | null>(previewRequest, params);
    if (!report) {
      void vscode.window.showErrorMessage('CORS Lens: the preview failed; see the CORS Lens output for details.');
      return;
    }
    const name = path.basename(editor.document.uri.path);
    await view.show(name, previewMarkdown(report, name));
  } catch (error) {
    void vscode.window.showErrorMessage(`CORS Lens: ${error instanceof Error ? error.message : String(error)}`);
  }
}
