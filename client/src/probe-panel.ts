import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { showSourceAt } from './show-source';
import type { LanguageClient } from 'vscode-languageclient/node';
import { policyRequest, type PolicySummary } from '../../server/src/lsp/protocol';
import {
  probeDefaultsRequest,
  probeRequest,
  type ProbeAnswer,
  type ProbeDefaults,
} from '../../server/src/lsp/probe-protocol';
import { currentEnvironment } from './environment-status';
import { renderProbePage } from './probe-html';
import {
  formToParams,
  parseWebviewMessage,
  restoreState,
  untrustedProblem,
  type PanelState,
  type ProbeForm,
} from './probe-state';

/** The webview type, also the serializer's key (package.json `onWebviewPanel:corsLens.probe`). */
export const probeViewType = 'corsLens.probe';

/** What "compare with live server" passes: the previewed request. */
export interface ProbeSeed {
  uri?: string;
  origin?: string;
  method?: string;
  headers?: string[];
  credentials?: boolean;
  path?: string;
  /** Probe at once (the preview's "compare with live server"). */
  run?: boolean;
}

/**
 * The probe panel: one per window. The webview only shows state and posts the user's actions;
 * the requests go through the language server (`corsLens/probe`), which has the workspace policy
 * to compare with and link to.
 */
export class ProbePanel {
  private static current: ProbePanel | undefined;
  private cancel: vscode.CancellationTokenSource | undefined;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly client: LanguageClient,
    private state: PanelState,
  ) {
    panel.webview.options = { enableScripts: true, localResourceRoots: [] };
    panel.onDidDispose(() => {
      this.cancel?.cancel();
      if (ProbePanel.current === this) ProbePanel.current = undefined;
    });
    panel.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw));
    this.render();
  }

  /** `corsLens.probe`: opens (or focuses) the panel, pre-filled from the active file's policy or `seed`. */
  static async show(client: LanguageClient, seed: ProbeSeed = {}): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(
        'CORS Lens: the probe sends requests to a server, so it is off in untrusted workspaces.',
      );
      return;
    }
    // A probe in flight keeps its panel as it is; the user can cancel it there.
    if (ProbePanel.current?.state.running) return ProbePanel.current.panel.reveal();
    const uri = seed.uri ?? vscode.window.activeTextEditor?.document.uri.toString();
    const state = await initialState(client, uri, seed);
    if (ProbePanel.current) {
      ProbePanel.current.state = { ...state, rev: ProbePanel.current.state.rev + 1 };
      ProbePanel.current.render();
      ProbePanel.current.panel.reveal();
    } else {
      const panel = vscode.window.createWebviewPanel(
        probeViewType,
        'CORS Lens: Probe',
        vscode.ViewColumn.Beside,
        { enableScripts: true, localResourceRoots: [] },
      );
      ProbePanel.current = new ProbePanel(panel, client, state);
    }
    if (seed.run) await ProbePanel.current.run(state.form, false);
  }

  /** The environment was switched (status bar): a shown prediction is now for another one. */
  static environmentChanged(environment: string): void {
    const open = ProbePanel.current;
    if (!open) return;
    open.state = { ...open.state, environment };
    open.render();
  }

  /** Restores a panel after a reload from the state its webview saved. */
  static serializer(client: LanguageClient): vscode.WebviewPanelSerializer {
    return {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, saved: unknown) {
        // A reload skips `show`: the restored panel is told the workspace's trust too, and `run`
        // checks it again before anything is sent.
        const trusted = vscode.workspace.isTrusted;
        const state = restoreState(saved, trusted) ?? {
          ...emptyState('', undefined, []),
          problem: trusted ? undefined : untrustedProblem,
        };
        ProbePanel.current?.panel.dispose();
        ProbePanel.current = new ProbePanel(panel, client, state);
      },
    };
  }

  private render(): void {
    this.state = { ...this.state, rev: this.state.rev + 1 };
    const nonce = randomBytes(16).toString('base64');
    this.panel.webview.html = renderProbePage(this.state, {
      nonce,
      cspSource: this.panel.webview.cspSource,
    });
  }

  private async onMessage(raw: unknown): Promise<void> {
    const message = parseWebviewMessage(raw);
    if (!message) return;
    if (message.type === 'cancel') this.cancel?.cancel();
    else if (message.type === 'open') {
      await showSourceAt(message);
    } else await this.run(message.form, message.sweep);
  }

  /** Sends the probe and renders the answer; always ends with the spinner gone. */
  private async run(form: ProbeForm, sweep: boolean): Promise<void> {
    if (this.state.running) return;
    // Trust is read now, at send time: the panel may predate it (restored, or opened before).
    const params = formToParams(form, sweep, this.state.policyUri, vscode.workspace.isTrusted);
    if ('problem' in params) {
      this.state = { ...this.state, form, problem: params.problem, answer: undefined };
      return this.render();
    }
    this.cancel = new vscode.CancellationTokenSource();
    // The server predicts in the editor's environment (corsLens.environment), as of now.
    const environment = currentEnvironment(
      this.state.policyUri ? vscode.Uri.parse(this.state.policyUri) : undefined,
    );
    this.state = {
      ...this.state,
      form,
      sweep,
      environment,
      predictedIn: environment,
      running: true,
      problem: undefined,
      answer: undefined,
    };
    this.render();
    try {
      const answer = await this.client.sendRequest<ProbeAnswer>(
        probeRequest,
        params,
        this.cancel.token,
      );
      this.state = { ...this.state, running: false, answer };
      // The walkthrough's "Probe the running server" step completes on a real answer.
      void vscode.commands.executeCommand('setContext', 'corsLens.probed', true);
    } catch (error) {
      const cancelled = this.cancel.token.isCancellationRequested;
      this.state = {
        ...this.state,
        running: false,
        problem: cancelled
          ? 'Cancelled.'
          : `The probe failed: ${error instanceof Error ? error.message : String(error)}`,
      };
    } finally {
      this.cancel.dispose();
      this.cancel = undefined;
    }
    this.render();
  }
}

function emptyState(url: string, policyUri: string | undefined, origins: string[]): PanelState {
  return {
    rev: 0,
    form: { url, origin: origins[0] ?? '', method: 'GET', headers: '', credentials: false },
    policyUri,
    origins,
    running: false,
    sweep: false,
  };
}

/**
 * The panel's first state: URL guessed by the server from the policy, origins from its allowlist,
 * headers and credentials from the workspace's frontend calls; a `seed` (the preview) wins.
 */
async function initialState(
  client: LanguageClient,
  uri: string | undefined,
  seed: ProbeSeed,
): Promise<PanelState> {
  const ask = async <T>(method: string, params: object, fallback: T): Promise<T> => {
    try {
      return await client.sendRequest<T>(method, params);
    } catch {
      return fallback;
    }
  };
  const summary = uri
    ? await ask<PolicySummary | undefined>(policyRequest, { uri }, undefined)
    : undefined;
  const defaults = await ask<ProbeDefaults>(
    probeDefaultsRequest,
    { uri },
    { url: 'http://127.0.0.1:8000/', headers: [], credentials: false },
  );
  const policyUri = summary?.found ? uri : undefined;
  const state = emptyState(defaults.url, policyUri, summary?.origins ?? []);
  state.environment = currentEnvironment(uri ? vscode.Uri.parse(uri) : undefined);
  state.form.headers = defaults.headers.join('\n');
  state.form.credentials = defaults.credentials;
  if (seed.path) state.form.url = new URL(seed.path, defaults.url).href;
  if (seed.origin) state.form.origin = seed.origin;
  if (seed.method) state.form.method = seed.method;
  if (seed.headers) state.form.headers = seed.headers.join('\n');
  if (seed.credentials !== undefined) state.form.credentials = seed.credentials;
  return state;
}
