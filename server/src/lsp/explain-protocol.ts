/**
 * `corsLens/explain` between the extension client and the language server (types only on the
 * client side), beside protocol.ts's preview and probe-protocol.ts's probe.
 */
import type { ProbeSourceLink } from './probe-protocol';

/** `corsLens/explain`: a browser's CORS error (or a HAR) to the server, the lines and the fix. */
export const explainRequest = 'corsLens/explain';

/** What the client asks to explain. */
export interface ExplainParams {
  /** Console text pasted from the browser, or a HAR file's text when `har` is set. */
  text: string;
  har?: boolean;
  /** The page's origin, when the message does not print it (Firefox). */
  origin?: string;
}

/** A fix's edits in one document, at the version they were computed against (null: the file on disk). */
export interface ExplainChange {
  uri: string;
  version: number | null;
  edits: {
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    newText: string;
  }[];
}

/** One explained failure (a HAR's: one cause and the requests it blocked). */
export interface ExplainItem {
  browser: string;
  rule: string;
  url: string;
  origin: string;
  method: string;
  outcome: 'reproduced' | 'different' | 'not-modelled' | 'no-server';
  /** The cause, in one sentence. */
  cause: string;
  /** The server thought to have answered, and why. */
  server?: { label: string; uri: string; framework: string; reasons: string[] };
  /** Other servers that may have, less likely. */
  others: { label: string; framework: string; reasons: string[] }[];
  lines: ProbeSourceLink[];
  fix?: {
    title: string;
    check?: string;
    docs?: string;
    finding?: string;
    changes: ExplainChange[];
  };
  predicted?: string[];
  assumptions: string[];
  /** `cors-lens probe ...` with the request filled in. */
  probe: string;
  /** For a HAR: the requests this cause blocked. */
  requests?: string[];
}

/** The answer to `corsLens/explain`. */
export interface ExplainAnswer {
  items: ExplainItem[];
  /** Said when there is nothing to list (no CORS error found in the text) or about a HAR as a whole. */
  note?: string;
}
