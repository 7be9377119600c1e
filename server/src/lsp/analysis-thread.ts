import type { Worker } from 'node:worker_threads';
import { ResponseError, type CancellationToken } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CorsLensSettings } from '../analysis/settings';
import { AnalysedDocument } from './analysed-document';
import { EncodedDiagnostics } from './encoded-diagnostics';
import { spawnAnalysisWorker } from './analysis-worker-spawn';
import type {
  Answer,
  FromWorker,
  Question,
  QuestionError,
  Questions,
  ToWorker,
} from './analysis-messages';

/** How many times a worker that died is started again before analysis stays off. */
const MAX_RESTARTS = 3;

/** What the analysis needs from the LSP thread: open documents, settings, publishing and a log. */
export interface AnalysisThreadHost {
  document(uri: string): TextDocument | undefined;
  documents(): TextDocument[];
  settings(uri: string): Promise<CorsLensSettings>;
  publish(uri: string, version: number, diagnostics: EncodedDiagnostics): void;
  log(message: string, error: boolean): void;
}

interface Waiter {
  uri: string;
  version: number;
  resolve: (state: AnalysedDocument | undefined) => void;
}

const noDiagnostics = new EncodedDiagnostics(new TextEncoder().encode('[]'));

/** A question sent to the worker, awaiting its answer. */
interface Asked {
  resolve(answer: Answer): void;
  reject(error: Error): void;
}

/** The error of a question the worker could not answer, as the asking handler would throw it. */
const failure = (error: QuestionError): Error =>
  error.code === undefined
    ? new Error(error.message)
    : new ResponseError(error.code, error.message);

/**
 * The analysis, run on a worker thread (`analysis-worker.ts`, started from `script` in the
 * analysis role) so that the LSP thread stays free: a file that takes seconds to analyse never
 * delays a hover, a code action or `shutdown`. Keeps the latest state of each open document, so
 * requests about an analysed document are answered here without asking the worker.
 */
export class AnalysisThread {
  private worker: Worker | undefined;
  private readonly states = new Map<string, AnalysedDocument>();
  /**
   * The version each open document was last analysed at, state or not: a document the analysis
   * skips (binary text, no grammar) has no state, yet its version is answered.
   */
  private readonly analysedVersions = new Map<string, number>();
  private waiters: Waiter[] = [];
  /** The questions awaiting the worker's answer, by id. */
  private readonly asked = new Map<number, Asked>();
  private lastId = 0;
  private roots: string[] | undefined;
  private restarts = 0;
  private stopped = false;

  /** `first`: the worker the entry already started from `script` (`main.ts`), if any. */
  constructor(
    private readonly script: string,
    private readonly host: AnalysisThreadHost,
    first?: Worker,
  ) {
    this.worker = this.start(first);
  }

  /** Listens to `worker`, a new one (`spawnAnalysisWorker`) unless the entry started it. */
  private start(worker = spawnAnalysisWorker(this.script)): Worker {
    worker.stdout.on('data', (chunk: Buffer) => this.host.log(chunk.toString(), false));
    worker.stderr.on('data', (chunk: Buffer) => this.host.log(chunk.toString(), true));
    worker.on('message', (message: FromWorker) => this.receive(worker, message));
    worker.on('error', (error) =>
      this.host.log(`CORS Lens: the analysis worker failed: ${error.stack ?? error.message}`, true),
    );
    worker.on('exit', (code) => this.exited(worker, code));
    return worker;
  }

  /** A worker that ends unasked is started again with the open documents, a few times. */
  private exited(worker: Worker, code: number): void {
    if (this.stopped || worker !== this.worker) return;
    this.worker = undefined;
    this.failAsked('the analysis worker exited');
    if (this.restarts >= MAX_RESTARTS) {
      this.host.log(`CORS Lens: the analysis worker exited (${code}); analysis is off.`, true);
      this.settleAll();
      return;
    }
    this.restarts++;
    this.host.log(`CORS Lens: the analysis worker exited (${code}); starting it again.`, true);
    this.worker = this.start();
    if (this.roots) this.post({ kind: 'init', roots: this.roots });
    for (const doc of this.host.documents()) this.changed(doc);
  }

  private post(message: ToWorker): void {
    this.worker?.postMessage(message);
  }

  private receive(worker: Worker, message: FromWorker): void {
    switch (message.kind) {
      case 'analysed': {
        const { uri, version } = message;
        const doc = this.host.document(uri);
        // Closed meanwhile: its diagnostics were cleared and its state must not come back.
        if (!doc) return;
        const state = message.state && new AnalysedDocument(message.state);
        if (state) this.states.set(uri, state);
        else this.states.delete(uri);
        this.analysedVersions.set(uri, version);
        // An edit that arrived after this analysis started has its own analysis queued: publishing
        // this one would show outdated diagnostics.
        if (message.publish && doc.version === version)
          this.host.publish(uri, version, state?.encoded ?? noDiagnostics);
        if (message.log) this.host.log(message.log, false);
        this.settle((w) => w.uri === uri && w.version <= version);
        return;
      }
      case 'settings':
        this.host.settings(message.uri).then(
          (settings) => worker.postMessage({ kind: 'settings', id: message.id, settings }),
          (error: unknown) => this.host.log(`CORS Lens: settings: ${String(error)}`, true),
        );
        return;
      case 'answer': {
        const asked = this.asked.get(message.id);
        this.asked.delete(message.id);
        if (message.error) asked?.reject(failure(message.error));
        else asked?.resolve(message.answer ?? null);
        return;
      }
      case 'log':
        this.host.log(message.message, message.error);
        return;
    }
  }

  /** Answers the waiters that `which` picks with their document's latest state. */
  private settle(which: (waiter: Waiter) => boolean): void {
    const done = this.waiters.filter(which);
    this.waiters = this.waiters.filter((w) => !which(w));
    for (const waiter of done) waiter.resolve(this.states.get(waiter.uri));
  }

  private settleAll(): void {
    this.settle(() => true);
    this.failAsked('the analysis is off');
  }

  /** Questions to a worker that is gone are never answered: they fail. */
  private failAsked(why: string): void {
    for (const asked of this.asked.values()) asked.reject(new Error(why));
    this.asked.clear();
  }

  /** Indexes the workspace folders' frontend calls, then analyses the open documents again. */
  init(roots: string[]): void {
    this.roots = roots;
    this.post({ kind: 'init', roots });
  }

  /** A document opened or changed: analysed (with the open files that read it) in the worker. */
  changed(doc: TextDocument): void {
    this.post({
      kind: 'document',
      uri: doc.uri,
      languageId: doc.languageId,
      version: doc.version,
      text: doc.getText(),
    });
  }

  closed(uri: string): void {
    this.post({ kind: 'close', uri });
    this.states.delete(uri);
    this.analysedVersions.delete(uri);
    this.settle((w) => w.uri === uri);
  }

  /** Settings changed: every open document is analysed again. */
  revalidate(forget: string[] = []): void {
    this.post({ kind: 'revalidate', forget });
  }

  /** Files changed on disk: their readers are analysed again. */
  watched(files: string[]): void {
    this.post({ kind: 'watched', files });
  }

  /**
   * The document's analysis as of its current version: at once when it is known, else when the
   * worker has analysed that version (or a later one).
   */
  fresh(uri: string): Promise<AnalysedDocument | undefined> {
    const doc = this.host.document(uri);
    if (!doc) return Promise.resolve(undefined);
    const state = this.states.get(uri);
    if (this.analysedVersions.get(uri) === doc.version || !this.worker)
      return Promise.resolve(state);
    return new Promise((resolve) => this.waiters.push({ uri, version: doc.version, resolve }));
  }

  /**
   * Asks the worker what needs the parsed project (`Questions`); fails with the worker's error
   * (a protocol error as one), or when there is no worker.
   */
  async ask<K extends keyof Questions>(
    question: Question<K>,
    token?: CancellationToken,
  ): Promise<Answer<K>> {
    const worker = this.worker;
    if (!worker) throw new Error('the analysis is off');
    const id = ++this.lastId;
    const cancel = token?.onCancellationRequested(() => this.post({ kind: 'cancel', id }));
    try {
      return await new Promise<Answer<K>>((resolve, reject) => {
        // The worker answers question `id` with its own kind's answer.
        this.asked.set(id, { resolve: resolve as (answer: Answer) => void, reject });
        worker.postMessage({ kind: 'ask', id, question } satisfies ToWorker);
      });
    } finally {
      cancel?.dispose();
    }
  }

  /**
   * Resolves once every analysis queued so far, and every re-analysis those queued, has run and
   * its diagnostics were published (at once when there is no worker).
   */
  async idle(): Promise<void> {
    await this.ask({ kind: 'idle' }).catch(() => undefined);
  }

  /** Stops the worker, whatever it is doing (an analysis in progress is abandoned). */
  async dispose(): Promise<void> {
    this.stopped = true;
    const worker = this.worker;
    this.worker = undefined;
    this.settleAll();
    await worker?.terminate();
  }
}
