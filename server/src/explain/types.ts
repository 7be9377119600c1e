/**
 * What `explain` reads from a browser's CORS error and what it answers. Plain data: the CLI prints
 * it, the language server turns its spans into document links.
 */
import type { CorsErrorKind, CorsRequest } from '../fetch';
import type { TextEdit } from '../policy/edits';
import type { Span } from '../policy/types';

/** The browser whose wording a message is in. */
export type BrowserName = 'chromium' | 'firefox' | 'safari';

/**
 * The rule a blocked request broke: Chromium's `CorsError` kinds where the evaluator models them,
 * plus what it does not model (Private/Local Network Access, a network failure Firefox reports as
 * a CORS error, and Firefox reasons with no rule behind them).
 */
export type FailureRule = CorsErrorKind | 'PrivateNetworkAccess' | 'RequestDidNotSucceed' | 'Other';

/** One CORS failure as a browser reported it. */
export interface ParsedMessage {
  browser: BrowserName;
  /** The blocked request's URL, as printed. */
  url: string;
  /** The page's origin; Firefox does not print it. */
  origin?: string;
  /** Where the browser stopped, when the wording says (Chromium and Safari name the preflight). */
  stage?: 'preflight' | 'actual';
  rule: FailureRule;
  /** The request header the preflight did not allow (as printed; Chromium prints it lower-cased). */
  header?: string;
  /** The method the preflight did not allow, or the method a `GET http://... net::ERR_FAILED` line names. */
  method?: string;
  /** The received header value the rule rejected (`Access-Control-Allow-Origin`, `-Credentials`). */
  value?: string;
  /** The HTTP status the browser printed (the preflight's for a preflight status error). */
  status?: number;
  /** For Private Network Access: the target address space (`local`, `loopback`, `private`). */
  addressSpace?: string;
  /** The request carried credentials (`credentials: 'include'`), when the wording implies it. */
  credentials?: boolean;
  /** The sentence(s) the failure was read from, whitespace collapsed. */
  text: string;
}

/** A server of the workspace that may have answered the request, and why it is thought so. */
export interface Candidate {
  /** The app file whose policy answers the URL's path. */
  file: string;
  framework: string;
  /** Higher is likelier. */
  score: number;
  /** Why it matches, one short phrase each ("port 8000 is Django's dev server port"). */
  reasons: string[];
}

/** A line of the setup that causes the failure. */
export interface SourceLine {
  message: string;
  span: Span;
  /** 1-based line of `span.start`. */
  line: number;
}

/** The quick fix of the check finding that addresses the failure. */
export interface ExplainFix {
  /** The check that reports it (`custom-header-not-allowed`); absent when the fix is the framework's own edit. */
  check?: string;
  /** The finding's message, when a check gave the fix. */
  finding?: string;
  docs?: string;
  title: string;
  edits: TextEdit[];
}

/** The answer for one failure. */
export interface Explanation {
  message: ParsedMessage;
  /** The request replayed against the policy. */
  request: CorsRequest;
  /** What was guessed about the request because the message does not say. */
  assumptions: string[];
  /** Servers of the workspace that may have answered, likeliest first. */
  candidates: Candidate[];
  /**
   * `reproduced`: the prediction fails the same way; `different`: the prediction passes or fails
   * otherwise (the running server differs from the code); `not-modelled`: the evaluator does not
   * decide this rule; `no-server`: no server of the workspace answers the URL.
   */
  outcome: 'reproduced' | 'different' | 'not-modelled' | 'no-server';
  /** The cause, in one sentence. */
  cause: string;
  /** The lines that cause it. */
  lines: SourceLine[];
  fix?: ExplainFix;
  /** What the prediction said, when it differs from the browser. */
  predicted?: string[];
  /** `cors-lens probe ...` with the request pre-filled, to ask the running server. */
  probe: string;
}
