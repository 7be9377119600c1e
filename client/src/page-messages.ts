/** What the webview pages (probe, preview, explain) send: the parts they share. */

/** A link the page rendered to a place in a file. */
export interface OpenMessage {
  type: 'open';
  uri: string;
  line: number;
  character: number;
}

export const isIndex = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** A page's message as its fields; undefined when it is not an object (untrusted input). */
export const messageFields = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;

/** An `open` message: only file links the page itself rendered, never a command: or http: URI. */
export function parseOpenMessage(m: Record<string, unknown>): OpenMessage | undefined {
  if (
    m.type === 'open' &&
    typeof m.uri === 'string' &&
    m.uri.startsWith('file:') &&
    isIndex(m.line) &&
    isIndex(m.character)
  )
    return { type: 'open', uri: m.uri, line: m.line, character: m.character };
  return undefined;
}
