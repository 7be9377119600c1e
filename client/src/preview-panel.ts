import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { showSourceAt } from './show-source';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  previewRequest,
  type PreviewAnswer,
  type PreviewParams,
} from '../../server/src/lsp/protocol';
import {
  probeDefaultsRequest,
  probeRequest,
  type ProbeAnswer,
  type ProbeDefaults,
  type ProbeParams,
} from '../../server/src/lsp/probe-protocol';
import {
  parsePreviewMessage,
  renderPreviewPage,
  restorePreviewState,
  type PreviewPageState,
} from './preview-html';
import { untrustedProblem } from './probe-state';

/** The webview type of the preview. */
export const previewViewType = 'corsLens.preview';

/** Fired when a preview has been rendered (the walkthrough's step listens through a context key). */
const shownContext = 'corsLens.previewShown';

/**
 * The rendered preview: one panel per window, beside the editor, replaced by each new preview.
 * "Compare with live server" probes in place through the language server (trust read at send
 * time, as the probe panel does).
 */
export class PreviewPanel {
  private static current: PreviewPanel | undefined;
  private cancel: vscode.CancellationTokenSource | undefined;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly client: LanguageClient,
    private state: PreviewPageState,
  ) {
    panel.onDidDispose(() => {
      this.cancel?.cancel();
      if (PreviewPanel.current === this) PreviewPanel.current = undefined;
    });
    panel.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw));
    this.render();
  }

  /** Shows `answer` (the preview of `documentUri`'s policy), reusing the open panel. */
  static async show(
    client: LanguageClient,
    documentUri: string,
    answer: PreviewAnswer,
    environment = '',
  ): Promise<void> {
    const state: PreviewPageState = {
      uri: documentUri,
      answer,
      live: { url: await liveUrl(client, documentUri, answer), running: false },
      ...(environment ? { environment } : {}),
    };
    const title = `CORS Preview: ${answer.policyFile}`;
    const open = PreviewPanel.current;
    if (open) {
      open.cancel?.cancel();
      open.state = state;
      open.panel.title = title;
      open.render();
      open.panel.reveal(vscode.ViewColumn.Beside, true);
    } else {
      const panel = vscode.window.createWebviewPanel(
        previewViewType,
        title,
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
        // The page loads nothing: its style and script are inline, by nonce.
        { enableScripts: true, localResourceRoots: [], enableFindWidget: true },
      );
      PreviewPanel.current = new PreviewPanel(panel, client, state);
    }
    void vscode.commands.executeCommand('setContext', shownContext, true);
  }

  /**
   * Restores a panel after a reload: the same request is previewed again against the file as it
   * is now (it may have changed since); the saved answer stands in when the file is gone.
   */
  static serializer(client: LanguageClient): vscode.WebviewPanelSerializer {
    return {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, saved: unknown) {
        const state = restorePreviewState(saved);
        if (!state) return panel.dispose();
        const answer = await client
          .sendRequest<PreviewAnswer | null>(previewRequest, paramsOf(state))
          .catch(() => null);
        PreviewPanel.current?.panel.dispose();
        PreviewPanel.current = new PreviewPanel(panel, client, {
          ...state,
          answer: answer ?? state.answer,
        });
      },
    };
  }

  /** The environment was switched (status bar): the open preview is computed again in it. */
  static async environmentChanged(environment: string): Promise<void> {
    const open = PreviewPanel.current;
    if (!open) return;
    // The code as written is the server's analysis of the document: wait until it has been
    // redone in the new setting (its diagnostics are published again).
    await republished(vscode.Uri.parse(open.state.uri), 10_000);
    const params = paramsOf({ ...open.state, environment });
    const answer = await open.client
      .sendRequest<PreviewAnswer | null>(previewRequest, params)
      .catch(() => null);
    // Closed meanwhile, or another preview took its place.
    if (!answer || PreviewPanel.current !== open) return;
    open.cancel?.cancel();
    open.state = {
      uri: open.state.uri,
      answer,
      live: { url: open.state.live.url, running: false },
      ...(environment ? { environment } : {}),
    };
    open.render();
  }

  private render(): void {
    const nonce = randomBytes(16).toString('base64');
    this.panel.webview.html = renderPreviewPage(this.state, {
      nonce,
      cspSource: this.panel.webview.cspSource,
    });
  }

  private async onMessage(raw: unknown): Promise<void> {
    const message = parsePreviewMessage(raw);
    if (!message) return;
    if (message.type === 'open') {
      await showSourceAt(message);
    } else await this.compare(message.url);
  }

  /** Probes the live server with the previewed request and shows the answer in place. */
  private async compare(url: string): Promise<void> {
    if (this.state.live.running) return;
    const live = { ...this.state.live, url: url.trim(), answer: undefined, problem: undefined };
    // Trust is read now, at send time: the panel may predate a change of it.
    if (!vscode.workspace.isTrusted) {
      this.state = { ...this.state, live: { ...live, problem: untrustedProblem } };
      return this.render();
    }
    if (!/^https?:\/\/[^/]/i.test(live.url)) {
      this.state = {
        ...this.state,
        live: {
          ...live,
          problem: 'Enter the URL of the running server, e.g. http://127.0.0.1:8000/api/items',
        },
      };
      return this.render();
    }
    const request = this.state.answer.request;
    const params: ProbeParams = {
      url: live.url,
      origin: request.origin,
      method: request.method,
      headers: headerLines(request.headers),
      credentials: request.credentials === 'include',
      sweep: false,
      uri: this.state.uri,
    };
    this.cancel = new vscode.CancellationTokenSource();
    this.state = { ...this.state, live: { ...live, running: true } };
    this.render();
    try {
      const answer = await this.client.sendRequest<ProbeAnswer>(
        probeRequest,
        params,
        this.cancel.token,
      );
      this.state = { ...this.state, live: { ...live, running: false, answer } };
    } catch (error) {
      this.state = {
        ...this.state,
        live: {
          ...live,
          running: false,
          problem: `The probe failed: ${error instanceof Error ? error.message : String(error)}`,
        },
      };
    } finally {
      this.cancel.dispose();
      this.cancel = undefined;
    }
    this.render();
  }
}

/** Resolves when `uri`'s diagnostics are next published, or after `ms` (they may not change). */
function republished(uri: vscode.Uri, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      listener.dispose();
      resolve();
    };
    const timer = setTimeout(done, ms);
    const listener = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) done();
    });
  });
}

/** Request headers as the protocol's lines (`name: value`, or a bare name). */
const headerLines = (headers: [string, string][]) =>
  headers.map(([n, v]) => (v ? `${n}: ${v}` : n));

/** The preview request that produced `state`'s answer. */
function paramsOf({ uri, answer: { request }, environment }: PreviewPageState): PreviewParams {
  const url = new URL(request.url);
  return {
    uri,
    origin: request.origin,
    path: url.pathname + url.search,
    method: request.method,
    headers: headerLines(request.headers),
    credentials: request.credentials === 'include',
    ...(environment ? { environment } : {}),
  };
}

/** The live server's URL for the previewed path: the workspace's guessed dev-server origin. */
async function liveUrl(
  client: LanguageClient,
  uri: string,
  answer: PreviewAnswer,
): Promise<string> {
  let base = 'http://127.0.0.1:8000/';
  try {
    base = (await client.sendRequest<ProbeDefaults>(probeDefaultsRequest, { uri })).url;
  } catch {
    // The guess is only a pre-fill; the user can edit it on the page.
  }
  const previewed = new URL(answer.request.url);
  // The default path `/` says nothing: the guess already holds a path the policy covers.
  if (previewed.pathname === '/' && !previewed.search) return base;
  return new URL(previewed.pathname + previewed.search, base).href;
}
