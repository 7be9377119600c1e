import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { startupTimingsRequest, type StartupTimings } from '../../server/src/lsp/protocol';
import { breakdown, markLine, type Mark } from './startup-text';

/** The source our diagnostics carry. */
const source = 'CORS Lens';

/**
 * Where the time to the first squiggle goes (issue 21): activation, the server process, its
 * handshake, the grammars, the first diagnostics. Each phase is one line of the "CORS Lens"
 * output with its epoch time, then one summary line once the first diagnostics arrive.
 */
export class StartupTiming implements vscode.Disposable {
  private readonly marks: Mark[] = [];
  private readonly listener: vscode.Disposable;

  constructor(private readonly output: vscode.OutputChannel) {
    this.mark({ phase: 'activate', at: Date.now() });
    this.listener = vscode.languages.onDidChangeDiagnostics((e) => {
      const uri = e.uris.find((u) =>
        vscode.languages.getDiagnostics(u).some((d) => d.source === source),
      );
      if (!uri) return;
      this.listener.dispose();
      this.mark({
        phase: 'first-diagnostics',
        at: Date.now(),
        detail: vscode.workspace.asRelativePath(uri),
      });
      this.output.appendLine(`CORS Lens first squiggle: ${breakdown(this.marks)}`);
    });
  }

  /** The client is started (the server answered `initialize`): asks the server for its phases. */
  async started(client: LanguageClient): Promise<void> {
    this.mark({ phase: 'server-ready', at: Date.now() });
    const server = await client
      .sendRequest<StartupTimings>(startupTimingsRequest)
      .catch(() => undefined);
    if (!server) return;
    this.mark({ phase: 'server-process', at: server.processStart });
    if (server.grammarsLoaded !== undefined)
      this.mark({
        phase: 'grammars-loaded',
        at: server.grammarsLoaded,
        detail: server.grammars.join(', '),
      });
  }

  private mark(m: Mark): void {
    this.marks.push(m);
    this.output.appendLine(markLine(m));
  }

  dispose(): void {
    this.listener.dispose();
  }
}
