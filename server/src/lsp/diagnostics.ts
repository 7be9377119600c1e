import type { Diagnostic, DiagnosticSeverity, TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, Severity } from '../checks/types';

/** Shown as the diagnostic's source in the Problems panel. */
export const diagnosticSource = 'CORS Lens';

/** A file's text at a known version: what positions and versioned edits are computed against. */
export interface Located {
  uri: string;
  /** The open document's version, or null for a file read from disk. */
  version: number | null;
  document: TextDocument;
}

/** The edits of one fix in one document, with the version they apply to (stale ones are refused). */
export interface DocumentChange {
  uri: string;
  version: number | null;
  edits: TextEdit[];
}

/** A fix as it travels in `Diagnostic.data`: ready-made edits, so a code action costs nothing. */
export interface FixData {
  title: string;
  changes: DocumentChange[];
}

/** What every CORS Lens diagnostic carries in `data`. */
export interface DiagnosticData {
  check: string;
  fix?: FixData;
}

// The protocol's numbers, written out: the analysis worker, which makes every diagnostic, then
// need not load vscode-languageserver before its first analysis (issue 21: the first squiggle).
const severities: Record<Severity, DiagnosticSeverity> = {
  error: 1,
  warning: 2,
  info: 3,
  hint: 4,
};

/**
 * A finding as an LSP diagnostic. Spans are UTF-16 offsets, which is what `positionAt` counts, so
 * non-ASCII text before a finding cannot shift it. `locate` gives the text of files a fix edits
 * besides the finding's own (undefined: that fix is dropped rather than placed wrongly).
 */
export function toDiagnostic(
  finding: Finding,
  own: Located,
  locate: (file: string) => Located | undefined,
): Diagnostic {
  const doc = own.document;
  const data: DiagnosticData = { check: finding.check };
  if (finding.fix) data.fix = toFixData(finding, own, locate);
  const diagnostic: Diagnostic = {
    range: { start: doc.positionAt(finding.span.start), end: doc.positionAt(finding.span.end) },
    severity: severities[finding.severity],
    code: finding.check,
    codeDescription: { href: finding.docs },
    source: diagnosticSource,
    message: finding.message,
    data,
  };
  // Places in other files (a frontend call) become relatedInformation; unreadable ones are dropped.
  const related = (finding.related ?? []).flatMap((r) => {
    const target = r.span.file === finding.span.file ? own : locate(r.span.file);
    if (!target) return [];
    const range = {
      start: target.document.positionAt(r.span.start),
      end: target.document.positionAt(r.span.end),
    };
    return [{ location: { uri: target.uri, range }, message: r.message }];
  });
  if (related.length) diagnostic.relatedInformation = related;
  return diagnostic;
}

function toFixData(
  finding: Finding,
  own: Located,
  locate: (file: string) => Located | undefined,
): FixData | undefined {
  const fix = finding.fix!;
  const byFile = new Map<string, { target: Located; edits: TextEdit[] }>();
  for (const edit of fix.edits) {
    let entry = byFile.get(edit.file);
    if (!entry) {
      const target = edit.file === finding.span.file ? own : locate(edit.file);
      if (!target) return undefined;
      entry = { target, edits: [] };
      byFile.set(edit.file, entry);
    }
    const doc = entry.target.document;
    entry.edits.push({
      range: { start: doc.positionAt(edit.start), end: doc.positionAt(edit.end) },
      newText: edit.newText,
    });
  }
  const changes = [...byFile.values()].map(({ target, edits }) => ({
    uri: target.uri,
    version: target.version,
    edits,
  }));
  return { title: fix.title, changes };
}
