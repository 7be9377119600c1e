import { serialize } from 'node:v8';
import type { MessagePort } from 'node:worker_threads';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CorsLensSettings } from '../analysis/settings';
import { AnalysisService, type DocumentState } from './analysis-service';
import type { AnalysedState, FromWorker, ToWorker } from './analysis-messages';
import { uriToPath } from './files';
import { analysisLogLine } from './log-lines';
import { SerialQueue } from './serial-queue';

const describe = (error: unknown) =>
  error instanceof Error ? (error.stack ?? error.message) : String(error);

/** What the LSP thread keeps of a state (the tree and what was read stay here). */
const shared = (state: DocumentState | undefined): AnalysedState | undefined =>
  state && {
    uri: state.uri,
    file: state.file,
    version: state.version,
    diagnostics: JSON.stringify(state.diagnostics),
    policies: new Uint8Array(serialize(state.analysis.policies)),
  };

/**
 * The analysis worker: owns the parser, the trees, the workspace index and the queue of
 * analyses, so a long analysis never stalls the LSP thread. It hears of documents and settings
 * from that thread and answers with each analysis' state and diagnostics (see
 * `analysis-messages.ts`).
 */
export function runAnalysisWorker(port: MessagePort): void {
  const post = (message: FromWorker) => port.postMessage(message);
  const log = (message: string, error = false) => post({ kind: 'log', message, error });
  const logError = (what: string, error: unknown) =>
    log(`CORS Lens: ${what} failed: ${describe(error)}`, true);

  const documents = new Map<string, TextDocument>();
  const settingsAsked = new Map<number, (settings: CorsLensSettings) => void>();
  let asked = 0;
  const service = new AnalysisService({
    document: (uri) => documents.get(uri),
    settings: (uri) =>
      new Promise((resolve) => {
        settingsAsked.set(++asked, resolve);
        post({ kind: 'settings', id: asked, uri });
      }),
    log: (message) => log(message),
  });
  const queue = new SerialQueue((uri, error) => logError(`analysing ${uri}`, error));

  /** Analyses a document and reports; `cascade` also re-analyses open files importing it. */
  const schedule = (uri: string, cascade: boolean): Promise<void> =>
    queue.run(uri, async () => {
      const doc = documents.get(uri);
      if (!doc) return;
      const started = performance.now();
      let diagnostics;
      try {
        diagnostics = await service.validate(doc);
      } catch (error) {
        // Still answered: the LSP thread may be waiting for this version.
        logError(`analysing ${uri}`, error);
        const state = shared(service.state(uri));
        post({ kind: 'analysed', uri, version: doc.version, state, publish: false });
        return;
      }
      // Changed while analysed: the analysis of the newer text is queued and will answer.
      if (!diagnostics) return;
      const state = service.state(uri);
      post({
        kind: 'analysed',
        uri,
        version: doc.version,
        state: shared(state),
        publish: true,
        // The client's "CORS Lens" output channel shows this: what was read and how long it took.
        log: analysisLogLine(state, diagnostics.length, started),
      });
      const file = uriToPath(uri);
      // Only direct edits cascade, so two files importing each other cannot ping-pong.
      if (cascade && file)
        for (const dependent of service.dependents(file, service.lastChange(file)))
          void schedule(dependent, false);
    });

  const revalidateAll = () => {
    for (const uri of documents.keys()) void schedule(uri, false);
  };

  const handle = async (message: ToWorker): Promise<void> => {
    switch (message.kind) {
      case 'init': {
        const started = performance.now();
        await service.indexFolders(message.roots);
        log(
          `CORS Lens: indexed ${message.roots.length} workspace folder(s) in ${Math.round(performance.now() - started)} ms`,
        );
        revalidateAll();
        return;
      }
      case 'document':
        documents.set(
          message.uri,
          TextDocument.create(message.uri, message.languageId, message.version, message.text),
        );
        void schedule(message.uri, true);
        return;
      case 'close':
        documents.delete(message.uri);
        service.forget(message.uri);
        return;
      case 'revalidate':
        revalidateAll();
        return;
      case 'watched':
        for (const file of message.files) {
          await service.changedOnDisk(file);
          for (const dependent of service.dependents(file)) void schedule(dependent, false);
        }
        return;
      case 'settings':
        settingsAsked.get(message.id)?.(message.settings);
        settingsAsked.delete(message.id);
        return;
      case 'calls':
        post({ kind: 'calls', id: message.id, calls: service.workspaceFacts().calls });
        return;
      case 'idle': {
        // An analysis queues its dependents before it ends: wait until the tail stops moving.
        let tail;
        do {
          tail = queue.idle();
          await tail;
        } while (tail !== queue.idle());
        post({ kind: 'idle', id: message.id });
        return;
      }
    }
  };

  port.on('message', (message: ToWorker) => {
    handle(message).catch((error: unknown) => logError(`handling '${message.kind}'`, error));
  });
  // A stray rejection must be logged, not end the worker (Node ends a thread on one).
  process.on('unhandledRejection', (reason) => logError('a promise', reason));
}
