/**
 * The custom requests between the extension client and the language server, declared once and
 * imported (types only) by both sides, so their names and shapes cannot drift apart.
 */

import type { PreviewReport } from '../analysis/preview-report';
import type { ProbeSourceLink } from './probe-protocol';

/** `corsLens/preview`: predict what a browser sees for one request against a file's policy. */
export const previewRequest = 'corsLens/preview';

/**
 * The answer to `corsLens/preview`: the report (as the CLI's JSON) plus links to the source. The
 * Markdown of the CLI is made from the report alone.
 */
export interface PreviewAnswer extends PreviewReport {
  /** The policy's file name (`settings.py`). */
  policyFile: string;
  /** The lines behind the verdict: what let the origin in, or the setting behind each failure. */
  because: ProbeSourceLink[];
  /** Every line the policy was read from, in any file (an override in an imported settings file too). */
  sources: ProbeSourceLink[];
}

/** What the client asks the preview for. */
export interface PreviewParams {
  /** The document whose policy answers the request. */
  uri: string;
  /** The page's origin, e.g. `https://app.example.com`. */
  origin: string;
  /** Path and query of the request, default `/`. */
  path: string;
  method: string;
  /** Request headers, each a name (`x-session-token`) or `name: value`. */
  headers: string[];
  /** `credentials: 'include'` when true, `'omit'` otherwise. */
  credentials: boolean;
  /**
   * The environment whose env files and settings module the policy is read in (one of
   * `PolicySummary.environments`); absent: the document as written, every variable unset.
   */
  environment?: string;
}

/** `corsLens/policy`: the origins a document's policy allows, for the client's quick picks. */
export const policyRequest = 'corsLens/policy';

/** Which document's policy to summarise. */
export interface PolicyParams {
  uri: string;
}

/** The answer to `corsLens/policy`. */
export interface PolicySummary {
  /** Whether the document configures CORS at all. */
  found: boolean;
  /** Exact allowlisted origins, in the order written. */
  origins: string[];
  /** Origin regexes, as written. */
  regexes: string[];
  /** Every origin is allowed. */
  allowAll: boolean;
  /** The environments the preview can be asked for; absent when nothing differs between them. */
  environments?: string[];
  /** A request path the policy covers (a route of the app), offered as the preview's path. */
  path?: string;
}

/** `corsLens/policy`'s answer for a document without policies (and when it fails). */
export const noPolicySummary: PolicySummary = {
  found: false,
  origins: [],
  regexes: [],
  allowAll: false,
};

/**
 * `corsLens/startupTimings`: when the server process started and loaded the grammars the client
 * asked it to preload, for the client's first-squiggle breakdown in the "CORS Lens" output.
 */
export const startupTimingsRequest = 'corsLens/startupTimings';

/** The answer to `corsLens/startupTimings` (epoch milliseconds). */
export interface StartupTimings {
  processStart: number;
  /** The grammars preloaded (`--preload=`), none when none was asked for or one failed. */
  grammars: string[];
  grammarsFrom: number;
  grammarsLoaded?: number;
}

/**
 * `corsLens/analysesSettled`: answered once every analysis queued so far (and the re-analyses of
 * the open files they reach) has run and published. Other requests answer as soon as their own
 * document is analysed; tests, benches and the fuzzer use this one to count publishes.
 */
export const analysesSettledRequest = 'corsLens/analysesSettled';
