import type { NginxToken } from './facts';
import type { Span } from '../../policy/types';
import type { Directive } from './config';

interface Entry {
  start: number;
  directive: Directive;
}

/** How many files' blocks are remembered (the nginx configurations open in the editor). */
const MAX_FILES = 8;

/**
 * Block directives (`server { ... }`, `location ... { ... }`) already read, by file and exact
 * text: a keystroke changes one block of a large configuration, and every other block reads as it
 * did, moved by the length of the edit. Keyed by text, a hit cannot be stale (the same text parses
 * the same way; blocks holding an `include` or a syntax error are never stored). Each read keeps
 * only the blocks it met.
 */
export class BlockMemo {
  private files = new Map<string, Map<string, Entry>>();
  private next = new Map<string, Map<string, Entry>>();

  /** The block read before with this text, moved to `start`. */
  get(file: string, text: string, start: number): Directive | undefined {
    const entry = this.files.get(file)?.get(text);
    if (!entry) return undefined;
    this.keep(file, text, entry);
    return moved(entry.directive, start - entry.start);
  }

  set(file: string, text: string, start: number, directive: Directive): void {
    this.keep(file, text, { start, directive });
  }

  /** Ends a read: each file read keeps only the blocks met this time. */
  commit(): void {
    for (const [file, entries] of this.next) {
      this.files.delete(file);
      this.files.set(file, entries);
    }
    for (const file of this.files.keys()) {
      if (this.files.size <= MAX_FILES) break;
      this.files.delete(file);
    }
    this.next = new Map();
  }

  private keep(file: string, text: string, entry: Entry): void {
    let entries = this.next.get(file);
    if (!entries) this.next.set(file, (entries = new Map()));
    entries.set(text, entry);
  }
}

/** A directive as read `delta` characters later in its file (the same objects when not moved). */
function moved(directive: Directive, delta: number): Directive {
  if (delta === 0) return directive;
  const span = (s: Span): Span => ({ file: s.file, start: s.start + delta, end: s.end + delta });
  const token = (t: NginxToken): NginxToken => ({
    value: t.value,
    quoted: t.quoted,
    span: span(t.span),
  });
  return {
    name: token(directive.name),
    args: directive.args.map(token),
    block: directive.block?.map((d) => moved(d, delta)),
    span: span(directive.span),
    body: directive.body && span(directive.body),
  };
}
