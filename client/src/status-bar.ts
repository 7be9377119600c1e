import * as vscode from 'vscode';
import { statusDocument } from './status-document';
import type { LanguageClient } from 'vscode-languageclient/node';
import { policyRequest, type PolicySummary } from '../../server/src/lsp/protocol';
import { statusText, statusTooltip } from './status-text';

/** The command the item runs: the CORS Lens menu. */
export const menuCommand = 'corsLens.showMenu';
/** The source our diagnostics carry. */
const source = 'CORS Lens';

/**
 * "CORS Lens: N findings" for the active file (or "no CORS setup here"), shown for the languages
 * the server reads; a click opens the menu. Refreshed when the editor or its diagnostics change.
 */
export function statusBar(client: LanguageClient): vscode.Disposable {
  const item = vscode.window.createStatusBarItem(
    'corsLens.status',
    vscode.StatusBarAlignment.Right,
    100,
  );
  item.name = 'CORS Lens';
  item.command = menuCommand;
  let generation = 0;
  const refresh = async () => {
    const doc = statusDocument();
    const mine = ++generation;
    if (!doc) {
      item.hide();
      return;
    }
    const findings = vscode.languages
      .getDiagnostics(doc.uri)
      .filter((d) => d.source === source).length;
    let configured = findings > 0;
    if (!configured && client.isRunning()) {
      try {
        const summary = await client.sendRequest<PolicySummary>(policyRequest, {
          uri: doc.uri.toString(),
        });
        configured = summary.found;
      } catch {
        // Unknown: said as "no CORS setup here" until the next refresh.
      }
    }
    // A newer refresh started meanwhile: its answer wins.
    if (mine !== generation) return;
    // The walkthrough's "See a finding" step completes once a finding is on screen.
    if (findings > 0)
      void vscode.commands.executeCommand('setContext', 'corsLens.hasFindings', true);
    item.text = statusText(findings, configured);
    item.tooltip = statusTooltip(findings, configured);
    item.show();
  };
  const active = () =>
    (
      vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0]
    )?.document.uri.toString();
  void refresh();
  return vscode.Disposable.from(
    item,
    vscode.window.onDidChangeActiveTextEditor(() => void refresh()),
    vscode.window.onDidChangeVisibleTextEditors(() => void refresh()),
    vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === active())) void refresh();
    }),
    client.onDidChangeState(() => void refresh()),
  );
}

/** The menu behind the item: the commands a user wants from here. */
export async function showMenu(output: vscode.OutputChannel): Promise<void> {
  const entries: { label: string; command?: string; detail: string }[] = [
    {
      label: '$(preview) Preview Effective Headers…',
      command: 'corsLens.previewEffectiveHeaders',
      detail: 'Predict the preflight, the response and the browser’s verdict for a request',
    },
    ...(vscode.workspace.isTrusted
      ? [
          {
            label: '$(debug-start) Probe Dev Server',
            command: 'corsLens.probe',
            detail: 'Ask the running server what it really sends',
          },
        ]
      : []),
    {
      label: '$(question) Explain a CORS Error…',
      command: 'corsLens.explainError',
      detail: 'From a browser console message to the line that causes it',
    },
    {
      label: '$(output) Show Output',
      detail: 'The language server’s log: analyses, timings, errors',
    },
  ];
  const picked = await vscode.window.showQuickPick(entries, { title: 'CORS Lens' });
  if (!picked) return;
  if (picked.command) await vscode.commands.executeCommand(picked.command);
  else output.show(true);
}
