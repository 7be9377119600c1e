import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  environmentStatus,
  selectEnvironment,
  selectEnvironmentCommand,
} from './environment-status';
import { explainCorsError } from './explain-command';
import { createLanguageClient } from './language-client';
import { StartupTiming } from './startup-timing';
import { previewEffectiveHeaders } from './preview-command';
import { PreviewPanel, previewViewType } from './preview-panel';
import { ProbePanel, probeViewType, type ProbeSeed } from './probe-panel';
import { menuCommand, showMenu, statusBar } from './status-bar';
import {
  workspaceTrustNotification,
  type WorkspaceTrustParams,
} from '../../server/src/lsp/probe-protocol';

let client: LanguageClient | undefined;

/** Starts the language server and registers the commands, the status bar item and the views. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  // The server's log (connection.console: analyses, timings, errors) goes here.
  const output = vscode.window.createOutputChannel('CORS Lens');
  const timing = new StartupTiming(output);
  client = createLanguageClient(context, output);
  context.subscriptions.push(
    output,
    timing,
    vscode.commands.registerCommand('corsLens.previewEffectiveHeaders', () =>
      previewEffectiveHeaders(client!, context.workspaceState),
    ),
    vscode.commands.registerCommand('corsLens.explainError', () => explainCorsError(client!)),
    vscode.commands.registerCommand('corsLens.probe', (seed?: ProbeSeed) =>
      ProbePanel.show(client!, seed),
    ),
    vscode.commands.registerCommand('corsLens.showOutput', () => output.show(true)),
    vscode.commands.registerCommand(menuCommand, () => showMenu(output)),
    vscode.window.registerWebviewPanelSerializer(probeViewType, ProbePanel.serializer(client)),
    vscode.window.registerWebviewPanelSerializer(previewViewType, PreviewPanel.serializer(client)),
    // Trust is only ever granted during a session (revoking it reloads the window).
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      const params: WorkspaceTrustParams = { trusted: true };
      void client?.sendNotification(workspaceTrustNotification, params);
    }),
    statusBar(client),
    vscode.commands.registerCommand(selectEnvironmentCommand, () => selectEnvironment(client!)),
    environmentStatus(client, (environment) => {
      void PreviewPanel.environmentChanged(environment);
      ProbePanel.environmentChanged(environment);
    }),
  );
  await client.start();
  void timing.started(client);
}

/** Stops the language server (VS Code waits for the returned promise). */
export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
