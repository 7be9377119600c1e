/**
 * `explain`: a browser's CORS error (pasted console text or a HAR) to the server, the line and
 * the fix. No LSP and no terminal here: the CLI and the language server are its front ends.
 */
import type { SourceReader } from '../base/source-reader';
import { explainMessage, type ExplainContext } from './explain';
import { explainHar, type HarReport } from './har';
import { parseMessages } from './parse-message';
import { scanServers } from './servers';
import type { Explanation } from './types';

export { parseMessages, normalizeConsoleText } from './parse-message';
export { explainMessage, sameFailure, type ExplainContext } from './explain';
export { locate, type Located } from './locate';
export { scanServers, type WorkspaceServer, type KnownPort } from './servers';
export { explainHar, readHar, HarError, type HarReport, type HarGroup } from './har';
export { probeCommand } from './infer-request';
export type {
  BrowserName,
  Candidate,
  ExplainFix,
  Explanation,
  FailureRule,
  ParsedMessage,
  SourceLine,
} from './types';

/** What to explain against. */
export interface ExplainOptions {
  /** The workspace folder whose servers may have answered. */
  root: string;
  reader: SourceReader;
  /** The page's origin, when the message does not print it (Firefox). */
  origin?: string;
}

async function contextFor(options: ExplainOptions): Promise<ExplainContext> {
  return {
    servers: await scanServers(options.root, options.reader),
    reader: options.reader,
    root: options.root,
    origin: options.origin,
  };
}

/** Explains every CORS failure in pasted console text (none found: an empty list). */
export async function explainText(text: string, options: ExplainOptions): Promise<Explanation[]> {
  const messages = parseMessages(text);
  if (!messages.length) return [];
  const context = await contextFor(options);
  return messages.map((m) => explainMessage(m, context));
}

/** Explains the cross-origin requests of a HAR that the browser blocked (or would block), grouped by cause. */
export async function explainHarText(har: string, options: ExplainOptions): Promise<HarReport> {
  return explainHar(har, await contextFor(options));
}
