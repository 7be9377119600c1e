/**
 * What the probe asks a live server and what it got back. Header lists keep the wire's order
 * and duplicates (from `res.rawHeaders`), so a real response compares line for line with a
 * model's prediction.
 */
import type { CorsRequest, HeaderList, HttpRequest, Verdict } from '../fetch/types';

/** One probe as a user describes it. */
export interface ProbeInput {
  /** Absolute http(s) URL of the endpoint, e.g. `http://127.0.0.1:8000/api/items`. */
  url: string;
  /** The page's origin the browser would send. */
  origin: string;
  /** Default `GET`. */
  method?: string;
  /** Each a header name (`x-session-token`) or `name: value`. */
  headers?: string[];
  /** `credentials: 'include'`; only then is a user-supplied `Cookie` header sent. */
  credentials?: boolean;
}

/** Limits of one probe; every field has a default (see {@link defaultLimits}). */
export interface ProbeLimits {
  /** Per request, from connect to the last body byte read (default 5 s). */
  timeoutMs: number;
  /** Body bytes read before the socket is closed (default 64 KiB). */
  maxBodyBytes: number;
  /**
   * Response header lines read (default {@link MAX_RESPONSE_HEADERS}); Node drops the ones after
   * its limit without a word, so a response that reaches it gets a note.
   */
  maxHeaders?: number;
}

/** Response header lines read by default: far above Node's 2,000, and 64 KiB of headers hold at most ~16,000. */
export const MAX_RESPONSE_HEADERS = 8192;

/** The defaults: 5 s per request, 64 KiB of body. */
export const defaultLimits: ProbeLimits = { timeoutMs: 5000, maxBodyBytes: 64 * 1024 };

/** Why a request got no usable answer. */
export type ProbeErrorKind =
  'refused' | 'timeout' | 'dns' | 'not-http' | 'tls' | 'reset' | 'aborted' | 'other';

/** A request that got no usable answer, with a sentence for the user. */
export interface ProbeError {
  kind: ProbeErrorKind;
  message: string;
}

/** One request on the wire and the response to it. */
export interface Exchange {
  /** What was sent (the `Host` and `Connection` lines node adds are not listed). */
  sent: HttpRequest;
  status: number;
  /** The reason phrase, as the server wrote it. */
  statusText: string;
  /** Response header lines in order, duplicates kept. */
  headers: HeaderList;
  /** Body bytes read (at most the limit). */
  bodyBytes: number;
  /** The body was longer than the limit; reading stopped there. */
  bodyTruncated: boolean;
  /** Set for a 3xx with `Location`: where it points (resolved), never followed. */
  redirect?: { location: string; sameOrigin: boolean };
  /** Milliseconds until the response headers arrived, and until the body was read. */
  timing: { headersMs: number; totalMs: number };
  /** The response reached the header limit: this many lines were read, the ones after them were not. */
  headersTruncatedAt?: number;
}

/**
 * The CLI contract's `preflight` of a probe: `{needed: false}`, the real exchange, or (with
 * `error` set on the result) the preflight that got no answer.
 */
export type ProbePreflight =
  | { needed: false }
  | ({ needed: true } & Exchange)
  | { needed: true; unanswered: true; sent: HttpRequest };

/** Everything one probe found: the CLI's JSON and the panel's data. */
export interface ProbeResult {
  request: CorsRequest;
  preflight: ProbePreflight;
  /** The actual exchange; null when the browser would not send it (failed preflight) or it got no answer. */
  actual: Exchange | null;
  /** The browser's verdict on the real responses; absent when a request got no answer. */
  verdict: Verdict | null;
  /** Why the server could not be asked (refused, timeout, not HTTP...). */
  error?: ProbeError & { stage: 'preflight' | 'actual' };
  /** Things the user should know that are not CORS verdicts (truncated body, redirect, ignored cookie). */
  notes: string[];
  timing: { totalMs: number };
}
