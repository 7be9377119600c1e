import type { CorsLensSettings } from '../analysis/settings';
import type { FrontendCall } from '../workspace/types';

/**
 * The messages between the LSP thread and the analysis worker (`analysis-thread.ts` ↔
 * `analysis-worker.ts`). Not LSP: the worker never sees the connection. Everything here crosses
 * by structured clone or `v8.serialize` (policies hold only plain data, Maps and Sets).
 */

/** `workerData` of the analysis worker: the same bundle as the server, started in this role. */
export const analysisWorkerRole = 'cors-lens-analysis';

/** What the LSP thread keeps of a document's latest analysis: enough to answer requests alone. */
export interface AnalysedState {
  uri: string;
  file: string;
  version: number;
  /**
   * The diagnostics as JSON: parsing 10,000 of them on the LSP thread costs half what a
   * structured-clone decode does, and the worker pays for the encoding.
   */
  diagnostics: string;
  /**
   * The policies, `v8.serialize`d by the worker: decoded on the LSP thread only when a request
   * reads them (a file with 10,000 origins would otherwise cost every publish a large decode).
   */
  policies: Uint8Array;
}

/** LSP thread → worker. */
export type ToWorker =
  /** The workspace folders: index their frontend calls, then analyse the open documents. */
  | { kind: 'init'; roots: string[] }
  /** A document opened or changed: its whole text (the worker diffs it into its tree). */
  | { kind: 'document'; uri: string; languageId: string; version: number; text: string }
  | { kind: 'close'; uri: string }
  /** Settings changed: analyse every open document again. */
  | { kind: 'revalidate' }
  /** Files changed on disk. */
  | { kind: 'watched'; files: string[] }
  /** The answer to the worker's `settings` question `id`. */
  | { kind: 'settings'; id: number; settings: CorsLensSettings }
  /** Asks for the workspace's frontend calls (answered by `calls` with the same `id`). */
  | { kind: 'calls'; id: number }
  /** Asks to be told (by `idle` with the same `id`) once every analysis queued so far has run. */
  | { kind: 'idle'; id: number };

/** Worker → LSP thread. */
export type FromWorker =
  /**
   * One analysis of `uri` at `version` ended. `state` is the worker's latest state of the
   * document (absent when it has none: skipped or failed before any); `publish`: its diagnostics
   * are to be published when the document is still at `version` (false: nothing new to publish).
   */
  | {
      kind: 'analysed';
      uri: string;
      version: number;
      state?: AnalysedState;
      publish: boolean;
      log?: string;
    }
  /** Asks for the settings of `uri` (answered by `settings` with the same `id`). */
  | { kind: 'settings'; id: number; uri: string }
  | { kind: 'calls'; id: number; calls: FrontendCall[] }
  | { kind: 'idle'; id: number }
  | { kind: 'log'; message: string; error: boolean };
