import { setTimeout as delay } from 'node:timers/promises';
import type { MessagePort } from 'node:worker_threads';
import type { CancellationToken } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { environmentChoices } from '../analysis/environment-policies';
import type { CorsLensSettings } from '../analysis/settings';
import { AnalysisService, type DocumentState } from './analysis-service';
import type { AnalysedState, Answer, FromWorker, Question, ToWorker } from './analysis-messages';
import { uriToPath } from './files';
import { analysisLogLine } from './log-lines';
import { encodePolicies } from './policy-bytes';
import { policiesForLspThread } from './lsp-thread-policies';
import { SerialQueue } from './serial-queue';
import { preloadGrammars } from './startup';
import { answerers, questionError } from './worker-answers';

const encoder = new TextEncoder();

/** How long the start-up index waits for a first document to analyse before it runs anyway. */
const FIRST_DOCUMENT_GRACE_MS = 300;

/**
 * A question's cancellation token over an AbortSignal, as the protocol's token behaves (a listener
 * added once cancelled is still called): the worker never loads vscode-languageserver for it.
 */
function cancellationToken(signal: AbortSignal): CancellationToken {
  return {
    get isCancellationRequested() {
      return signal.aborted;
    },
    onCancellationRequested: (listener, thisArgs?: unknown, disposables?) => {
      const call = () => listener.call(thisArgs, undefined);
      if (signal.aborted) {
        const timer = setTimeout(call, 0);
        const done = { dispose: () => clearTimeout(timer) };
        disposables?.push(done);
        return done;
      }
      signal.addEventListener('abort', call, { once: true });
      const done = { dispose: () => signal.removeEventListener('abort', call) };
      disposables?.push(done);
      return done;
    },
  };
}

/** How long typing must pause before a document that ran out of budget is analysed again. */
const OVER_BUDGET_PAUSE_MS = 300;

const describe = (error: unknown) =>
  error instanceof Error ? (error.stack ?? error.message) : String(error);

/**
 * The analysis worker: owns the parser, the trees, the workspace index and the queue of
 * analyses, so a long analysis never stalls the LSP thread. It hears of documents and settings
 * from that thread and answers with each analysis' state and diagnostics (see
 * `analysis-messages.ts`).
 */
export function runAnalysisWorker(port: MessagePort): void {
  // First, so the grammars the client named load while the LSP thread shakes hands.
  const startup = preloadGrammars(process.argv);
  const post = (message: FromWorker) =>
    // An analysis' bytes move to the LSP thread instead of being copied (a TextEncoder's and
    // `encodePolicies`' bytes each have their own buffer, never shared memory).
    port.postMessage(
      message,
      message.kind === 'analysed' && message.state
        ? [
            message.state.diagnostics.buffer as ArrayBuffer,
            message.state.policies.buffer as ArrayBuffer,
          ]
        : [],
    );
  const log = (message: string, error = false) => post({ kind: 'log', message, error });
  const logError = (what: string, error: unknown) =>
    log(`CORS Lens: ${what} failed: ${describe(error)}`, true);

  const documents = new Map<string, TextDocument>();
  const settingsAsked = new Map<number, (settings: CorsLensSettings) => void>();
  /** The settings each document was last analysed with. */
  const settingsOf = new Map<string, CorsLensSettings>();
  let asked = 0;
  let roots: string[] = [];
  const service = new AnalysisService({
    document: (uri) => documents.get(uri),
    settings: (uri) =>
      new Promise((resolve) => {
        settingsAsked.set(++asked, (settings) => {
          settingsOf.set(uri, settings);
          resolve(settings);
        });
        post({ kind: 'settings', id: asked, uri });
      }),
    log: (message) => log(message),
  });
  const queue = new SerialQueue((uri, error) => logError(`analysing ${uri}`, error));
  /** Over-budget documents waiting for typing to pause, by URI. */
  const pausing = new Map<string, ReturnType<typeof setTimeout>>();
  const reader = { read: (file: string) => service.read(file) };

  /** What the LSP thread keeps of a state (the tree and what was read stay here). */
  const shared = (state: DocumentState | undefined): AnalysedState | undefined =>
    state && {
      uri: state.uri,
      file: state.file,
      version: state.version,
      diagnostics: encoder.encode(JSON.stringify(state.diagnostics)),
      policies: encodePolicies(policiesForLspThread(state.analysis.policies)),
      environments: environmentChoices(
        state.file,
        state.analysis.policies,
        reader,
        settingsOf.get(state.uri)?.environments,
      ),
    };

  /** Resolves once the queue is empty: an analysis queues its dependents before it ends. */
  const idle = async () => {
    let tail;
    do {
      tail = queue.idle();
      await tail;
    } while (tail !== queue.idle());
  };
  /** The start-up index and the re-analyses it queues (pending work for `settled`). */
  let indexing = Promise.resolve();
  /** `idle`, once the start-up index has run too (`corsLens/analysesSettled`). */
  const settled = async () => {
    await indexing;
    await idle();
  };
  const answer = answerers({ service, roots: () => roots, idle: settled, startup });
  let firstDocument!: () => void;
  const documentArrived = new Promise<void>((resolve) => (firstDocument = resolve));
  /**
   * The start-up index waits for the analyses of the documents open at start (VS Code sends them
   * right after `initialized`, so they usually arrive just after `init`): reading the workspace
   * and loading the other grammars would otherwise share the thread with the first analysis
   * (issue 21: the first squiggle). With no document within the grace period, it runs anyway.
   */
  const afterFirstAnalyses = async () => {
    await Promise.race([documentArrived, delay(FIRST_DOCUMENT_GRACE_MS)]);
    await idle();
  };
  /** The questions being answered, to cancel them. */
  const cancels = new Map<number, AbortController>();

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
        roots = message.roots;
        indexing = (async () => {
          await afterFirstAnalyses();
          const started = performance.now();
          await service.indexFolders(message.roots);
          log(
            `CORS Lens: indexed ${message.roots.length} workspace folder(s) in ${Math.round(performance.now() - started)} ms`,
          );
          revalidateAll();
        })().catch((error: unknown) => logError('indexing the workspace', error));
        return indexing;
      }
      case 'document':
        firstDocument();
        documents.set(
          message.uri,
          TextDocument.create(message.uri, message.languageId, message.version, message.text),
        );
        clearTimeout(pausing.get(message.uri));
        // A document whose analysis ran out of budget (a 2 MB module) costs the worker the whole
        // budget for every keystroke, and every other document waits behind it: it is analysed
        // once typing pauses.
        if (service.state(message.uri)?.analysis.overBudgetMs !== undefined)
          pausing.set(
            message.uri,
            setTimeout(() => {
              pausing.delete(message.uri);
              void schedule(message.uri, true);
            }, OVER_BUDGET_PAUSE_MS),
          );
        else void schedule(message.uri, true);
        return;
      case 'close':
        clearTimeout(pausing.get(message.uri));
        pausing.delete(message.uri);
        documents.delete(message.uri);
        settingsOf.delete(message.uri);
        service.forget(message.uri);
        return;
      case 'revalidate':
        for (const uri of message.forget ?? []) service.forget(uri);
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
      case 'ask': {
        const { id, question } = message;
        // Each answerer takes its own kind of question: the map is typed per kind, this call not.
        const answerer = answer[question.kind] as (
          question: Question,
          token: CancellationToken,
        ) => Promise<Answer>;
        const cancel = new AbortController();
        cancels.set(id, cancel);
        try {
          post({
            kind: 'answer',
            id,
            answer: await answerer(question, cancellationToken(cancel.signal)),
          });
        } catch (error) {
          post({ kind: 'answer', id, error: await questionError(error) });
        } finally {
          cancels.delete(id);
        }
        return;
      }
      case 'cancel':
        cancels.get(message.id)?.abort();
        return;
    }
  };

  port.on('message', (message: ToWorker) => {
    handle(message).catch((error: unknown) => logError(`handling '${message.kind}'`, error));
  });
  // A stray rejection must be logged, not end the worker (Node ends a thread on one).
  process.on('unhandledRejection', (reason) => logError('a promise', reason));
}
