import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { PreviewReport } from '../../server/src/analysis/preview-report';
import {
  policyRequest,
  previewRequest,
  type PolicySummary,
  type PreviewParams,
} from '../../server/src/lsp/protocol';
import { previewMarkdown } from './preview-markdown';
import { promptPreviewRequest } from './preview-prompts';
import type { PreviewDocuments } from './preview-view';
import type { ProbeSeed } from './probe-panel';

/** `corsLens.previewEffectiveHeaders`: ask for a request, predict it, show the result beside the editor. */
export async function previewEffectiveHeaders(
  client: LanguageClient,
  view: PreviewDocuments,
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
    const params = await promptPreviewRequest(uri, summary);
    if (!params) return;
    const report = await client.sendRequest<PreviewReport | null>(previewRequest, params);
    if (!report) {
      void vscode.window.showErrorMessage(
        'CORS Lens: the preview failed; see the CORS Lens output for details.',
      );
      return;
    }
    const name = path.basename(editor.document.uri.path);
    await view.show(name, previewMarkdown(report, name));
    if (vscode.workspace.isTrusted) void offerLiveComparison(params);
  } catch (error) {
    void vscode.window.showErrorMessage(
      `CORS Lens: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** "Compare with live server": the probe panel, pre-filled with the previewed request, run at once. */
async function offerLiveComparison(params: PreviewParams): Promise<void> {
  const compare = 'Compare with live server';
  if (
    (await vscode.window.showInformationMessage(
      'CORS Lens: prediction shown. Ask the running dev server too?',
      compare,
    )) !== compare
  )
    return;
  const seed: ProbeSeed = {
    uri: params.uri,
    origin: params.origin,
    method: params.method,
    headers: params.headers,
    credentials: params.credentials,
    path: params.path,
    run: true,
  };
  await vscode.commands.executeCommand('corsLens.probe', seed);
}
