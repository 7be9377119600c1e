import * as vscode from 'vscode';
import { statusDocument } from './status-document';
import type { LanguageClient } from 'vscode-languageclient/node';
import { policyRequest, type PolicySummary } from '../../server/src/lsp/protocol';
import { environmentChoices, environmentText, environmentTooltip } from './environment-text';
import { promptEnvironment } from './preview-prompts';

/** The command behind the item: pick the environment. */
export const selectEnvironmentCommand = 'corsLens.selectEnvironment';

/** The environment the diagnostics, the preview and the probe's prediction are computed in ('' as written). */
export function currentEnvironment(uri?: vscode.Uri): string {
  return vscode.workspace.getConfiguration('corsLens', uri).get<string>('environment', '');
}

/** The environments the active file's project offers (the server says), else the defaults and the user's. */
async function choicesFor(client: LanguageClient, uri?: vscode.Uri): Promise<string[]> {
  const extra = vscode.workspace
    .getConfiguration('corsLens', uri)
    .get<string[]>('environments', []);
  let offered: string[] | undefined;
  if (uri && client.isRunning()) {
    offered = await client.sendRequest<PolicySummary>(policyRequest, { uri: uri.toString() }).then(
      (s) => s.environments,
      () => undefined,
    );
  }
  return environmentChoices(offered, extra);
}

/**
 * `corsLens.selectEnvironment`: the environment quick pick (as the preview used to ask), saved
 * as the workspace's `corsLens.environment`; the server re-reads every open file in it.
 */
export async function selectEnvironment(client: LanguageClient): Promise<void> {
  const uri = vscode.window.activeTextEditor?.document.uri;
  const picked = await promptEnvironment(await choicesFor(client, uri), currentEnvironment(uri));
  if (picked === undefined || picked === currentEnvironment(uri)) return;
  // A workspace choice (a folder-less window has only the user's settings).
  const target = vscode.workspace.workspaceFolders?.length
    ? vscode.ConfigurationTarget.Workspace
    : vscode.ConfigurationTarget.Global;
  await vscode.workspace
    .getConfiguration('corsLens', uri)
    .update('environment', picked || undefined, target);
}

/**
 * "CORS Lens env: development" beside the findings item, for the files the server reads when
 * their project tells environments apart (or one was chosen); a click switches it. `changed`
 * hears every switch (the open preview is computed again).
 */
export function environmentStatus(
  client: LanguageClient,
  changed: (environment: string) => void,
): vscode.Disposable {
  const item = vscode.window.createStatusBarItem(
    'corsLens.environment',
    vscode.StatusBarAlignment.Right,
    // Just left of the findings item (100): the findings are computed in this environment.
    100.01,
  );
  item.name = 'CORS Lens Environment';
  item.command = selectEnvironmentCommand;
  let generation = 0;
  const refresh = async () => {
    const mine = ++generation;
    const doc = statusDocument();
    if (!doc) {
      item.hide();
      return;
    }
    const environment = currentEnvironment(doc.uri);
    let offered = environment !== '';
    if (!offered && client.isRunning()) {
      const summary = await client
        .sendRequest<PolicySummary>(policyRequest, { uri: doc.uri.toString() })
        .catch(() => undefined);
      offered = (summary?.environments?.length ?? 0) > 0;
    }
    if (mine !== generation) return;
    if (!offered) return item.hide();
    item.text = environmentText(environment);
    item.tooltip = environmentTooltip(environment);
    item.show();
  };
  void refresh();
  return vscode.Disposable.from(
    item,
    vscode.window.onDidChangeActiveTextEditor(() => void refresh()),
    vscode.window.onDidChangeVisibleTextEditors(() => void refresh()),
    // The file's environments are known once the server has analysed it.
    vscode.languages.onDidChangeDiagnostics((e) => {
      const active = (
        vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0]
      )?.document.uri.toString();
      if (e.uris.some((u) => u.toString() === active)) void refresh();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('corsLens.environment')) return;
      void refresh();
      changed(currentEnvironment(vscode.window.activeTextEditor?.document.uri));
    }),
    client.onDidChangeState(() => void refresh()),
  );
}
