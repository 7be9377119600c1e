import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  PublishDiagnosticsNotification,
  ErrorCodes,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Worker } from 'node:worker_threads';
import { AnalysisThread } from './analysis-thread';
import { codeActions, fixAllKind } from './code-actions';
import { ConfigurationStore } from './configuration';
import { uriToPath } from './files';
import { hover, hoverSubject, Places } from './hover';
import {
  analysesSettledRequest,
  noPolicySummary,
  startupTimingsRequest,
  policyRequest,
  previewRequest,
  type PolicyParams,
  type PreviewParams,
} from './protocol';
import { decodePolicies } from './policy-bytes';
import {
  noProbeDefaults,
  probeDefaultsRequest,
  probeRequest,
  untrustedProbeMessage,
  workspaceTrustNotification,
  type InitializationOptions,
  type ProbeDefaultsParams,
  type ProbeParams,
  type WorkspaceTrustParams,
} from './probe-protocol';
import { LspSourceReader } from './source-reader';
import { explainRequest, type ExplainParams } from './explain-protocol';

/**
 * The policy summary needs the framework registry (and what it imports), most of the bundle:
 * loaded before `initialize` it delayed the answer and took the CPU from the worker while it
 * started (issue 21, docs/first-squiggle.md), so it loads on the first `corsLens/policy`. The
 * import waits a turn of the event loop: the client asks as it starts, and a request that waited
 * for the first analysis must not evaluate the registry before that analysis' diagnostics are
 * written (over stdio the writer writes on the next turn: without the wait they went out 57–168 ms
 * later, after the registry).
 */
const loadSummaries = () => new Promise(setImmediate).then(() => import('./policy-summary'));
let summaries: ReturnType<typeof loadSummaries> | undefined;
const policySummaries = () => (summaries ??= loadSummaries());

/**
 * Wires the LSP connection to the analysis: documents in, diagnostics out, plus code actions,
 * hovers, configuration and the preview requests. Every handler logs its errors and answers
 * with an empty result: a bug in one check must not take the server down with it. The analysis
 * runs on a worker thread started from `analysisScript` (this bundle, see `main.ts`; `worker`:
 * the one the entry already started): this thread only speaks LSP and answers from the analyses
 * the worker sent.
 */
export function startServer(connection: Connection, analysisScript: string, worker?: Worker): void {
  const documents = new TextDocuments(TextDocument);
  const logError = (what: string, error: unknown) =>
    connection.console.error(
      `CORS Lens: ${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  let config = new ConfigurationStore(connection, false);
  let pushConfigChanges = false;
  let roots: string[] = [];
  /** What the client said of workspace trust (VS Code's Restricted Mode): no request is sent while false. */
  let workspaceTrusted = true;
  const analysis = new AnalysisThread(
    analysisScript,
    {
      document: (uri) => documents.get(uri),
      documents: () => documents.all(),
      settings: (uri) => config.get(uri),
      // The encoded diagnostics stand in for the list: `publishDiagnostics` by its method name, as
      // the typed `sendDiagnostics` takes only a list.
      publish: (uri, version, diagnostics) =>
        void connection
          .sendNotification(PublishDiagnosticsNotification.method, { uri, version, diagnostics })
          .catch((error: unknown) => logError('publishing diagnostics', error)),
      log: (message, error) =>
        error ? connection.console.error(message) : connection.console.log(message),
    },
    worker,
  );
  /** Files as the extractors read them (open documents first): the hover's other settings files. */
  const reader = new LspSourceReader((uri) => documents.get(uri));
  const fresh = (uri: string) => analysis.fresh(uri);
  /** The re-analysis the last settings change asked for, once it is queued. */
  let settingsApplied: Promise<void> = Promise.resolve();

  /** A request handler that logs and answers `fallback` instead of throwing (protocol errors pass). */
  function guarded<P, R>(name: string, fallback: R, handler: (params: P) => Promise<R> | R) {
    return async (params: P): Promise<R | ResponseError<void>> => {
      try {
        return await handler(params);
      } catch (error) {
        if (error instanceof ResponseError) return error as ResponseError<void>;
        logError(name, error);
        return fallback;
      }
    };
  }

  connection.onInitialize((params): InitializeResult => {
    const workspace = params.capabilities.workspace;
    config = new ConfigurationStore(connection, workspace?.configuration === true);
    pushConfigChanges = workspace?.didChangeConfiguration?.dynamicRegistration === true;
    const folders =
      params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    roots = folders.flatMap((uri) => uriToPath(uri) ?? []);
    const options = params.initializationOptions as InitializationOptions | undefined;
    workspaceTrusted = options?.workspaceTrusted !== false;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, fixAllKind] },
        hoverProvider: true,
      },
      serverInfo: { name: 'CORS Lens' },
    };
  });

  connection.onInitialized(() => {
    // Cross-file checks need the frontend calls of files that are not open.
    analysis.init(roots);
    if (pushConfigChanges) {
      connection.client
        .register(DidChangeConfigurationNotification.type, { section: 'corsLens' })
        .catch((e: unknown) => logError('registering for configuration changes', e));
    }
  });

  documents.onDidChangeContent((event) => analysis.changed(event.document));
  documents.onDidClose((event) => {
    try {
      analysis.closed(event.document.uri);
      config.forget(event.document.uri);
      void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
    } catch (error) {
      logError('closing a document', error);
    }
  });

  connection.onDidChangeConfiguration((change) => {
    try {
      config.changed(change.settings);
      // Policies are reused while their files are unchanged: a document now read in another
      // environment (the status bar's choice) is extracted again.
      settingsApplied = Promise.all(
        documents
          .all()
          .map(async (doc) => ((await config.environmentSwitched(doc.uri)) ? [doc.uri] : [])),
      ).then(
        (switched) => analysis.revalidate(switched.flat()),
        (e: unknown) => logError('switching the environment', e),
      );
    } catch (error) {
      logError('applying new settings', error);
    }
  });

  connection.onDidChangeWatchedFiles((params) =>
    analysis.watched(params.changes.flatMap((change) => uriToPath(change.uri) ?? [])),
  );

  connection.onCodeAction(
    guarded('code actions', [], async (params) => {
      const state = await fresh(params.textDocument.uri);
      return codeActions(params, state?.diagnostics ?? []);
    }),
  );

  connection.onHover(
    guarded('hover', null, async (params) => {
      const uri = params.textDocument.uri;
      const doc = documents.get(uri);
      const state = await fresh(uri);
      if (!doc || !state) return null;
      // Only a project whose environments differ asks the worker for each one's policies.
      const names = state.environments;
      const places = new Places(doc, state.file, (file) => reader.read(file));
      const subject = hoverSubject(
        doc,
        state.file,
        doc.offsetAt(params.position),
        state.policies,
        names.length > 0,
        places.at,
      );
      if (!subject) return null;
      const environments = names.length
        ? await analysis.ask({
            kind: 'environments',
            uri,
            names,
            budgetMs: (await config.get(uri)).analysisBudgetMs,
          })
        : [];
      return hover(
        doc,
        state.file,
        subject,
        places,
        environments.map((e) => ({ ...e, policies: decodePolicies(e.policies) })),
      );
    }),
  );

  connection.onRequest(
    previewRequest,
    guarded('preview', null, async (params: PreviewParams) => {
      // Asked once the document's current version is analysed (the worker replays its policies).
      await fresh(params.uri);
      const budgetMs = (await config.get(params.uri)).analysisBudgetMs;
      return analysis.ask({ kind: 'preview', params, budgetMs });
    }),
  );

  connection.onRequest(
    policyRequest,
    guarded('policy', noPolicySummary, async (params: PolicyParams) => {
      const state = await fresh(params.uri);
      const environments = state?.environments ?? [];
      const { policySummary } = await policySummaries();
      return {
        ...policySummary(state?.policies ?? []),
        ...(environments.length ? { environments } : {}),
      };
    }),
  );

  // Settled once the analyses a settings change queues (after asking the client) are queued too.
  connection.onRequest(analysesSettledRequest, async () => {
    await settingsApplied;
    return analysis.idle();
  });
  // The first-squiggle breakdown: this process's start, the worker's grammar preload.
  connection.onRequest(startupTimingsRequest, async () => ({
    ...(await analysis.ask({ kind: 'startup' })),
    processStart: Math.round(performance.timeOrigin),
  }));

  connection.onNotification(workspaceTrustNotification, (params: WorkspaceTrustParams) => {
    workspaceTrusted = params?.trusted === true;
  });

  connection.onRequest(
    probeRequest,
    // Errors reach the panel as they are (a probe has no meaningful empty answer). Trust is
    // checked when the request arrives, whichever client path sent it.
    async (params: ProbeParams, token) => {
      if (!workspaceTrusted)
        throw new ResponseError(ErrorCodes.InvalidRequest, untrustedProbeMessage);
      // The worker compares the answers with the document's policies, once analysed.
      if (params.uri) await fresh(params.uri);
      return analysis.ask({ kind: 'probe', params }, token);
    },
  );

  connection.onRequest(
    probeDefaultsRequest,
    guarded('probe defaults', noProbeDefaults, async (params: ProbeDefaultsParams) => {
      // Asked once the document's current version is analysed (the worker reads its policies).
      const uri = params.uri && (await fresh(params.uri)) ? params.uri : undefined;
      return analysis.ask({ kind: 'probeDefaults', ...(uri ? { uri } : {}) });
    }),
  );

  connection.onRequest(
    explainRequest,
    // Errors reach the client as they are: an explanation has no meaningful empty answer. The
    // worker reads the workspace's servers.
    (params: ExplainParams) => analysis.ask({ kind: 'explain', params }),
  );

  // The worker stops at once, even mid-analysis: `shutdown` is answered, `exit` ends the process.
  connection.onShutdown(() =>
    analysis.dispose().catch((error: unknown) => logError('shutting down', error)),
  );

  documents.listen(connection);
}
