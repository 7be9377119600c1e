/**
 * The hover of a CORS setting: what `hover-subjects.ts` found under the cursor, then its value in
 * each environment the project distinguishes, with the env reads that decided it there (set by
 * which file, or unset and so the written default).
 */
import path from 'node:path';
import { MarkupKind, type Hover } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { LineIndex } from '../base/positions';
import type { EnvReadRef, Policy, Span } from '../policy/types';
import { pathToUri } from './files';
import type { HoverSubject } from './hover-subjects';

export { hoverSubject } from './hover-subjects';

/** The policies of the document as one environment runs them (its settings module, its env files). */
export interface EnvironmentPolicies {
  name: string;
  /** The file they were read from (Django: that environment's settings module). */
  file: string;
  policies: Policy[];
}

/** Line (1-based) of an offset in a file's text. */
function lineOf(text: string | undefined, offset: number): number {
  if (text === undefined) return 1;
  return new LineIndex(text).position(offset).line + 1;
}

/** Names files and places for the hovered document: links with the file's name and line. */
export class Places {
  constructor(
    private readonly doc: TextDocument,
    private readonly file: string,
    private readonly read: (file: string) => string | undefined,
  ) {}

  private text(file: string) {
    return file === this.file ? this.doc.getText() : this.read(file);
  }

  /** `[name:line](uri#Lline)`; `name` relative to the hovered file's folder. */
  private link(file: string, line: number) {
    const shown =
      file === this.file
        ? path.basename(file)
        : path.relative(path.dirname(this.file), file) || file;
    return `[${shown}:${line}](${pathToUri(file)}#L${line})`;
  }

  /** A span's file and line. */
  readonly at = (span: Span): string =>
    this.link(span.file, lineOf(this.text(span.file), span.start));

  /** The line of an env or deployment file that sets `name` (its first mention there). */
  setting(file: string, name: string): string {
    const text = this.text(file) ?? '';
    const mention = new RegExp(`\\b${name.replace(/\W/g, '\\$&')}\\b[ \\t]*[=:]`).exec(text);
    return this.link(file, mention ? lineOf(text, mention.index) : 1);
  }
}

/** What one env read gave in an environment. */
function describeRead(read: EnvReadRef, places: Places): string {
  const set = read.setBy;
  if (!set)
    return read.fallback
      ? `${read.name} unset → default ${read.fallback.text}`
      : `${read.name} unset`;
  if (set.mode) return `${read.name} = ${JSON.stringify(set.value)} (the environment's name)`;
  if (set.span) return `${read.name} set in ${places.at(set.span)}`;
  const from = places.setting(set.file, read.name);
  return set.value === undefined
    ? `${read.name} set in ${from} (not known statically)`
    : `${read.name} = ${JSON.stringify(set.value)} from ${from}`;
}

const overlaps = (a: Span, b: Span) => a.file === b.file && a.start < b.end && b.start < a.end;

/**
 * The hover of `subject`: its value as the document was analysed, then in each environment (when
 * the project distinguishes some) with the reads that decided it there: those overlapping where
 * the value was written, or on the hovered range's line.
 */
export function hover(
  doc: TextDocument,
  file: string,
  found: HoverSubject,
  places: Places,
  environments: EnvironmentPolicies[] = [],
): Hover {
  const subject = found.settle?.(environments.map((e) => e.policies)) ?? found;
  const lines = [...subject.header];
  if (environments.length) lines.push('', 'Per environment:');
  const line = doc.positionAt(subject.start).line;
  const onLine = (span: Span) =>
    span.file === file &&
    doc.positionAt(span.start).line <= line &&
    doc.positionAt(span.end).line >= line;
  for (const environment of environments) {
    const there = subject.valueIn(environment.policies);
    const reads = (there?.reads ?? []).filter(
      (r) => onLine(r.span) || there?.spans.some((s) => overlaps(s, r.span)),
    );
    const decided = reads.length
      ? ` — ${reads.map((r) => describeRead(r, places)).join('; ')}`
      : '';
    lines.push(
      `- ${environment.name} (${path.basename(environment.file)}): ${there?.text ?? subject.absent}${decided}`,
    );
  }
  return {
    contents: { kind: MarkupKind.Markdown, value: lines.join('\n') },
    range: { start: doc.positionAt(subject.start), end: doc.positionAt(subject.end) },
  };
}
