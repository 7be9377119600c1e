import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  ErrorCodes,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisService, type DocumentState } from './analysis-service';
import { codeActions, fixAllKind } from './code-actions';
import { ConfigurationStore } from './configuration';
import { uriToPath } from './files';
import { hover, hoversAt } from './hover';
import { policyRequest, previewRequest, type PolicyParams, type PreviewParams } from './protocol';
import { policySummary, previewedPolicy, previewFor } from './requests';
import { environmentChoices, policiesInEnvironment } from '../analysis/environment-policies';
import { launchRootOf, serverPortOf } from '../analysis/server-ports';
import { previewServerAt } from '../analysis/preview-report';
import {
  probeDefaultsRequest,
  probeRequest,
  untrustedProbeMessage,
  workspaceTrustNotification,
  type InitializationOptions,
  type ProbeDefaultsParams,
  type ProbeParams,
  type WorkspaceTrustParams,
} from './probe-protocol';
import { noProbeDefaults, probeDefaults, probeFor } from './probe-requests';
import { analysisLogLine } from './log-lines';
import { SerialQueue } from './serial-queue';
import { explainRequest, type ExplainParams } from './explain-protocol';
import { explainFor } from './explain-requests';

/**
 * Wires the LSP connection to the analysis: documents in, diagnostics out, plus code actions,
 * hovers, configuration and the preview requests. Every handler logs its errors and answers
 * with an empty result: a bug in one check must not take the server down with it.
 */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const logError = (what: string, error: unknown) =>
    connection.console.error(
      `CORS Lens: ${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  const queue = new SerialQueue((uri, error) => logError(`analysing ${uri}`, error));
  let config = new ConfigurationStore(connection, false);
  let pushConfigChanges = false;
  let roots: string[] = [];
  /** What the client said of workspace trust (VS Code's Restricted Mode): no request is sent while false. */
  let workspaceTrusted = true;
  const service = new AnalysisService({
    document: (uri) => documents.get(uri),
    settings: (uri) => config.get(uri),
    log: (message) => connection.console.log(message),
  });

  /** Analyses a document and publishes; `cascade` also re-analyses open files importing it. */
  const schedule = (uri: string, cascade: boolean): Promise<void> =>
    queue.run(uri, async () => {
      const doc = documents.get(uri);
      if (!doc) return;
      const started = performance.now();
      const diagnostics = await service.validate(doc);
      if (!diagnostics) return;
      await connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
      // The client's "CORS Lens" output channel shows this: what was read and how long it took.
      connection.console.log(analysisLogLine(service.state(uri), diagnostics.length, started));
      const file = uriToPath(uri);
      // Only direct edits cascade, so two files importing each other cannot ping-pong.
      if (cascade && file)
        for (const dependent of service.dependents(file, service.lastChange(file)))
          void schedule(dependent, false);
    });

  const revalidateAll = () => {
    for (const doc of documents.all()) void schedule(doc.uri, false);
  };

  /** Open documents first, then the disk: what an environment's other settings files read. */
  const reader = { read: (file: string) => service.read(file) };

  /** The document's analysis as of its current version (waits for a queued analysis). */
  const fresh = async (uri: string): Promise<DocumentState | undefined> => {
    const doc = documents.get(uri);
    if (!doc) return undefined;
    if (service.state(uri)?.version !== doc.version) {
      await schedule(uri, false);
      await queue.idle();
    }
    return service.state(uri);
  };

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
    const started = performance.now();
    service.indexFolders(roots).then(
      () => {
        connection.console.log(
          `CORS Lens: indexed ${roots.length} workspace folder(s) in ${Math.round(performance.now() - started)} ms`,
        );
        revalidateAll();
      },
      (e: unknown) => logError('indexing the workspace', e),
    );
    if (pushConfigChanges) {
      connection.client
        .register(DidChangeConfigurationNotification.type, { section: 'corsLens' })
        .catch((e: unknown) => logError('registering for configuration changes', e));
    }
  });

  documents.onDidChangeContent((event) => void schedule(event.document.uri, true));
  documents.onDidClose((event) => {
    try {
      service.forget(event.document.uri);
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
      void Promise.all(
        documents.all().map(async (doc) => {
          if (await config.environmentSwitched(doc.uri)) service.forget(doc.uri);
        }),
      ).then(revalidateAll, (e: unknown) => logError('switching the environment', e));
    } catch (error) {
      logError('applying new settings', error);
    }
  });

  // A notification: nothing waits on it, so its failures are logged here.
  connection.onDidChangeWatchedFiles((params) => {
    void (async () => {
      for (const change of params.changes) {
        const file = uriToPath(change.uri);
        if (!file) continue;
        await service.changedOnDisk(file);
        for (const dependent of service.dependents(file)) void schedule(dependent, false);
      }
    })().catch((error: unknown) => logError('handling changed files', error));
  });

  connection.onCodeAction(
    guarded('code actions', [], async (params) => {
      const state = await fresh(params.textDocument.uri);
      return codeActions(params, state?.diagnostics ?? []);
    }),
  );

  connection.onHover(
    guarded('hover', null, async (params) => {
      const doc = documents.get(params.textDocument.uri);
      const state = await fresh(params.textDocument.uri);
      if (!doc || !state || !hoversAt(doc, params.position)) return null;
      const uri = params.textDocument.uri;
      const settings = await config.get(uri);
      const names = environmentChoices(
        state.file,
        state.analysis.policies,
        reader,
        settings.environments,
      );
      const environments = await Promise.all(
        names.map(async (name) => ({
          name,
          ...(await policiesInEnvironment(name, state.file, reader, settings.analysisBudgetMs)),
        })),
      );
      return hover(
        doc,
        state.file,
        params.position,
        state.analysis.policies,
        (file) => service.read(file),
        environments,
      );
    }),
  );

  connection.onRequest(
    previewRequest,
    guarded('preview', null, async (params: PreviewParams) => {
      const policies = (await fresh(params.uri))?.analysis.policies ?? [];
      const file = uriToPath(params.uri);
      const environment = typeof params.environment === 'string' ? params.environment : '';
      let shown = policies;
      if (environment && file) {
        // In an environment: its env files answer env reads, and Django runs its settings module.
        const { analysisBudgetMs } = await config.get(params.uri);
        shown = (await policiesInEnvironment(environment, file, reader, analysisBudgetMs)).policies;
      }
      // The server URL the preview shows: the port the workspace says the app listens on.
      const policy = previewedPolicy(shown, params);
      const port = policy && (await serverPortOf(policy, reader, launchRootOf(policy.file, roots)));
      return previewFor(
        shown,
        params,
        (f) => service.locate(f),
        port && (() => previewServerAt(port.port)),
      );
    }),
  );

  connection.onRequest(
    policyRequest,
    guarded('policy', policySummary([]), async (params: PolicyParams) => {
      const policies = (await fresh(params.uri))?.analysis.policies ?? [];
      const file = uriToPath(params.uri);
      const { environments } = await config.get(params.uri);
      const choices = file ? environmentChoices(file, policies, reader, environments) : [];
      return { ...policySummary(policies), ...(choices.length ? { environments: choices } : {}) };
    }),
  );

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
      return probeFor(
        (params.uri ? (await fresh(params.uri))?.analysis.policies : undefined) ?? [],
        params,
        (file) => service.locate(file),
        token,
      );
    },
  );

  connection.onRequest(
    probeDefaultsRequest,
    guarded('probe defaults', noProbeDefaults, async (params: ProbeDefaultsParams) =>
      probeDefaults(
        (params.uri ? (await fresh(params.uri))?.analysis.policies : undefined) ?? [],
        service.workspaceFacts().calls,
        { read: (file) => service.read(file) },
        roots,
      ),
    ),
  );

  connection.onRequest(
    explainRequest,
    // Errors reach the client as they are: an explanation has no meaningful empty answer.
    async (params: ExplainParams) =>
      explainFor(params, {
        roots,
        reader,
        locate: (file) => service.locate(file),
      }),
  );

  connection.onShutdown(() => {
    try {
      service.dispose();
    } catch (error) {
      logError('shutting down', error);
    }
  });

  documents.listen(connection);
}
