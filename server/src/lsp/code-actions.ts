import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type Position,
  type Range,
  type TextDocumentEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import {
  diagnosticSource,
  type DiagnosticData,
  type DocumentChange,
  type FixData,
} from './diagnostics';

/** `source.fixAll.cors-lens`: applies every fix in a file (for `editor.codeActionsOnSave`). */
export const fixAllKind = `${CodeActionKind.SourceFixAll}.cors-lens`;

const dataOf = (d: Diagnostic): DiagnosticData | undefined =>
  d.source === diagnosticSource && d.data && typeof d.data === 'object'
    ? (d.data as DiagnosticData)
    : undefined;

/** Whether a requested `only` list admits a kind (a requested kind covers its sub-kinds). */
function wants(kind: string, only: string[] | undefined, byDefault: boolean): boolean {
  if (!only) return byDefault;
  return only.some((o) => kind === o || kind.startsWith(`${o}.`));
}

const before = (a: Position, b: Position) =>
  a.line < b.line || (a.line === b.line && a.character < b.character);
const overlaps = (a: Range, b: Range) => before(a.start, b.end) && before(b.start, a.end);

/** Edits with the document version: a client refuses them once the document has changed. */
function workspaceEdit(changes: DocumentChange[]): WorkspaceEdit {
  const documentChanges: TextDocumentEdit[] = changes.map((c) => ({
    textDocument: { uri: c.uri, version: c.version },
    edits: c.edits,
  }));
  return { documentChanges };
}

/** Several fixes as one edit; a fix that overlaps one already taken is left for the next round. */
export function mergeFixes(fixes: FixData[]): DocumentChange[] {
  const merged = new Map<string, DocumentChange>();
  for (const fix of fixes) {
    const clash = fix.changes.some((c) =>
      c.edits.some((e) => merged.get(c.uri)?.edits.some((taken) => overlaps(taken.range, e.range))),
    );
    if (clash) continue;
    for (const c of fix.changes) {
      const into = merged.get(c.uri);
      if (into) into.edits.push(...c.edits);
      else merged.set(c.uri, { uri: c.uri, version: c.version, edits: [...c.edits] });
    }
  }
  return [...merged.values()];
}

/**
 * The code actions for a request: a preferred quick fix per CORS Lens diagnostic in the range, a
 * "fix all" per check when the file has several fixable findings of it, and `source.fixAll`.
 * `published` is what the server last published for the document (the fixes of findings outside
 * the requested range come from there).
 */
export function codeActions(params: CodeActionParams, published: Diagnostic[]): CodeAction[] {
  const only = params.context.only;
  const actions: CodeAction[] = [];
  if (wants(CodeActionKind.QuickFix, only, true)) {
    const checksInRange = new Set<string>();
    for (const diagnostic of params.context.diagnostics) {
      // Clients without `dataSupport` drop `data`: take it from what was published.
      const data = dataOf(diagnostic) ?? dataOf(findPublished(diagnostic, published) ?? diagnostic);
      if (!data?.fix) continue;
      checksInRange.add(data.check);
      actions.push({
        title: data.fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: true,
        edit: workspaceEdit(data.fix.changes),
      });
    }
    for (const check of checksInRange) {
      const all = published.filter((d) => dataOf(d)?.check === check && dataOf(d)?.fix);
      if (all.length < 2) continue;
      actions.push({
        title: `Fix all ${check} problems`,
        kind: CodeActionKind.QuickFix,
        diagnostics: all,
        edit: workspaceEdit(mergeFixes(all.map((d) => dataOf(d)!.fix!))),
      });
    }
  }
  if (wants(fixAllKind, only, false)) {
    const fixes = published.flatMap((d) => (dataOf(d)?.fix ? [dataOf(d)!.fix!] : []));
    if (fixes.length > 0) {
      actions.push({
        title: 'Fix all CORS Lens problems',
        kind: fixAllKind,
        edit: workspaceEdit(mergeFixes(fixes)),
      });
    }
  }
  return actions;
}

function findPublished(d: Diagnostic, published: Diagnostic[]): Diagnostic | undefined {
  return published.find(
    (p) =>
      p.code === d.code &&
      p.message === d.message &&
      p.range.start.line === d.range.start.line &&
      p.range.start.character === d.range.start.character,
  );
}
