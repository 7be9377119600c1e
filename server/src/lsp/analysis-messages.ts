import type { CorsLensSettings } from '../analysis/settings';
import type { ExplainAnswer, ExplainParams } from './explain-protocol';
import type { ProbeAnswer, ProbeDefaults, ProbeParams } from './probe-protocol';
import type { PreviewAnswer, PreviewParams, StartupTimings } from './protocol';

/**
 * The messages between the LSP thread and the analysis worker (`analysis-thread.ts` ↔
 * `analysis-worker.ts`). Not LSP: the worker never sees the connection. Everything here crosses
 * by structured clone; policies cross as `v8.serialize` bytes (`policy-bytes.ts`) and are only
 * read on the LSP thread, never run through a model: a framework's facts may hold class instances
 * (Express's route index), which arrive as plain objects without their methods.
 */

/** `workerData` of the analysis worker: the same bundle as the server, started in this role. */
export const analysisWorkerRole = 'cors-lens-analysis';

/** A `Policy[]` as `v8.serialize` bytes: decoded only where it is read. */
export type PolicyBytes = Uint8Array;

/** What the LSP thread keeps of a document's latest analysis: enough to answer requests alone. */
export interface AnalysedState {
  uri: string;
  file: string;
  version: number;
  /**
   * The diagnostics as UTF-8 JSON, transferred: the LSP thread writes them to a stdio client as
   * they are (`encoded-diagnostics.ts`), and the worker pays for the encoding.
   */
  diagnostics: Uint8Array;
  /**
   * The policies: decoded on the LSP thread only when a request reads them (a file with 10,000
   * origins would otherwise cost every publish a large decode).
   */
  policies: PolicyBytes;
  /**
   * The environments the preview and the hover offer for the document (`environmentChoices`, read
   * when it was analysed); empty when nothing in its project differs between them.
   */
  environments: string[];
}

/** One environment's policies of a document, and the file they were read from. */
export interface EnvironmentPolicyBytes {
  name: string;
  file: string;
  policies: PolicyBytes;
}

/**
 * What the LSP thread asks the worker, which holds the parsed project, with the type of each
 * answer. `uri` questions are asked once the LSP thread holds the document's current analysis.
 */
export interface Questions {
  /** The hover's values per environment: `uri`'s policies in each of `names`. */
  environments: {
    ask: { uri: string; names: string[]; budgetMs: number };
    answer: EnvironmentPolicyBytes[];
  };
  /** `corsLens/preview`: it replays the policy through its library's model, in its environment. */
  preview: { ask: { params: PreviewParams; budgetMs: number }; answer: PreviewAnswer };
  /** `corsLens/probe` (cancelled by `cancel`): it compares the live server with the model. */
  probe: { ask: { params: ProbeParams }; answer: ProbeAnswer };
  /** `corsLens/probeDefaults` for `uri`'s policies (none: the framework-free defaults). */
  probeDefaults: { ask: { uri?: string }; answer: ProbeDefaults };
  /** `corsLens/explain`: it reads every server of the workspace. */
  explain: { ask: { params: ExplainParams }; answer: ExplainAnswer };
  /** `corsLens/startupTimings`: when the worker loaded the grammars the client named. */
  startup: { ask: object; answer: StartupTimings };
  /** Answered once every analysis queued so far, and every re-analysis those queued, has run. */
  idle: { ask: object; answer: null };
}

/** A question of kind `K` (any kind by default). */
export type Question<K extends keyof Questions = keyof Questions> = K extends keyof Questions
  ? { kind: K } & Questions[K]['ask']
  : never;

/** The answer to a question of kind `K`. */
export type Answer<K extends keyof Questions = keyof Questions> = Questions[K]['answer'];

/** A question that failed: a protocol error keeps its code, so the client sees it as thrown. */
export interface QuestionError {
  message: string;
  code?: number;
}

/** LSP thread → worker. */
export type ToWorker =
  /** The workspace folders: index their frontend calls, then analyse the open documents. */
  | { kind: 'init'; roots: string[] }
  /** A document opened or changed: its whole text (the worker diffs it into its tree). */
  | { kind: 'document'; uri: string; languageId: string; version: number; text: string }
  | { kind: 'close'; uri: string }
  /**
   * Settings changed: analyse every open document again; `forget`: documents now read in another
   * environment, whose policies are extracted again rather than reused.
   */
  | { kind: 'revalidate'; forget?: string[] }
  /** Files changed on disk. */
  | { kind: 'watched'; files: string[] }
  /** The answer to the worker's `settings` question `id`. */
  | { kind: 'settings'; id: number; settings: CorsLensSettings }
  /** A question, answered by `answer` with the same `id`. */
  | { kind: 'ask'; id: number; question: Question }
  /** The client cancelled the request that asked question `id`. */
  | { kind: 'cancel'; id: number };

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
  /** The answer to question `id`, or why there is none. */
  | { kind: 'answer'; id: number; answer?: Answer; error?: QuestionError }
  | { kind: 'log'; message: string; error: boolean };
