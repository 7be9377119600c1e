/**
 * The custom requests between the extension client and the language server, declared once and
 * imported (types only) by both sides, so their names and shapes cannot drift apart.
 */

/** `corsLens/preview`: predict what a browser sees for one request against a file's policy. */
export const previewRequest = 'corsLens/preview';

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
}
