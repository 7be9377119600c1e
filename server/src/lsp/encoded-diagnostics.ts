import type { Diagnostic } from 'vscode-languageserver';

const decoder = new TextDecoder();

/**
 * A document's diagnostics as the analysis worker encoded them (a UTF-8 JSON array). A stdio
 * connection writes these bytes into the `publishDiagnostics` message as they are
 * (`stdio-connection.ts`): 10,000 diagnostics are 8 MB of JSON, and parsing then re-encoding them
 * held the LSP thread for about a second. Other transports encode the message themselves, through
 * `toJSON`; code actions read the parsed list.
 */
export class EncodedDiagnostics {
  private parsed: Diagnostic[] | undefined;

  constructor(readonly json: Uint8Array) {}

  /** The diagnostics, parsed on first use. */
  get list(): Diagnostic[] {
    this.parsed ??= JSON.parse(decoder.decode(this.json)) as Diagnostic[];
    return this.parsed;
  }

  toJSON(): Diagnostic[] {
    return this.list;
  }
}
