import type { Diagnostic } from 'vscode-languageserver';
import type { Policy } from '../policy/types';
import type { AnalysedState } from './analysis-messages';
import { decodePolicies } from './policy-bytes';
import { EncodedDiagnostics } from './encoded-diagnostics';

/** A document's latest analysis as the LSP thread holds it (sent by the analysis worker). */
export class AnalysedDocument {
  private decoded: Policy[] | undefined;
  /** Its diagnostics as the worker encoded them: what is published. */
  readonly encoded: EncodedDiagnostics;

  constructor(private readonly state: AnalysedState) {
    this.encoded = new EncodedDiagnostics(state.diagnostics);
  }

  get file(): string {
    return this.state.file;
  }

  get version(): number {
    return this.state.version;
  }

  /** The environments the preview and the hover offer (empty: nothing differs between them). */
  get environments(): string[] {
    return this.state.environments;
  }

  /** Its diagnostics, parsed on first use. */
  get diagnostics(): Diagnostic[] {
    return this.encoded.list;
  }

  /** The policies the document configures, decoded on first use. */
  get policies(): Policy[] {
    this.decoded ??= decodePolicies(this.state.policies);
    return this.decoded;
  }
}
