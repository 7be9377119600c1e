/**
 * Types shared by the browser model (the Fetch evaluator), the library models and the probe.
 * Header lists keep order and duplicates, as on the wire.
 */

/** Header lines in order as `[name, value]`; a header sent twice appears twice. */
export type HeaderList = [string, string][];

/** What a page's script asks `fetch()` to do, cross-origin, in mode "cors". */
export interface CorsRequest {
  /** The absolute target URL. */
  url: string;
  /** The page's origin, serialized (`https://app.example.com`, or `null`). */
  origin: string;
  method: string;
  /** Author request headers, as given to `fetch()`. */
  headers: HeaderList;
  credentials: 'omit' | 'same-origin' | 'include';
}

/** One HTTP request as the server sees it. */
export interface HttpRequest {
  method: string;
  /** Path and query, e.g. `/api/items?x=1`. */
  path: string;
  headers: HeaderList;
}

/** One HTTP response as the browser sees it. */
export interface HttpResponse {
  status: number;
  headers: HeaderList;
  /**
   * A model's: the code took a branch on a condition its reader could not decide, and another
   * branch writes Access-Control-Allow-Origin; the real answer may carry it.
   */
  undecided?: boolean;
}

/** The browser's answer for one cross-origin request. */
export interface Verdict {
  /** Whether script gets to read the response. */
  allowed: boolean;
  /** The last step the browser ran: the preflight when it failed there, else the actual request. */
  stage: 'preflight' | 'actual';
  /**
   * When blocked: Chromium's console message (one per header when several request headers are
   * missing from Access-Control-Allow-Headers; Chromium prints one of them). When allowed: why.
   */
  reasons: string[];
  /** Response header names script can read (lowercase, sorted), as `response.headers.keys()`. */
  readableHeaders: string[];
  /** How long Chromium keeps the preflight result, when a preflight passed. */
  preflightCacheSeconds?: number;
  /** Things that work here but are likely to break elsewhere (caches, dropped headers). */
  warnings: string[];
}
