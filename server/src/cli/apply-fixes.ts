import type { Fix, TextEdit } from '../policy/edits';

const clash = (a: TextEdit, b: TextEdit) =>
  a.file === b.file && ((a.start < b.end && b.start < a.end) || a.start === b.start);

/**
 * The fixes that can be applied together, first come first served: a fix whose edits overlap an
 * accepted one (or insert at the same place) waits for the next round, after a re-check.
 */
export function chooseFixes(fixes: Fix[]): Fix[] {
  const taken: TextEdit[] = [];
  const chosen: Fix[] = [];
  for (const fix of fixes) {
    if (fix.edits.some((e) => taken.some((t) => clash(e, t)))) continue;
    taken.push(...fix.edits);
    chosen.push(fix);
  }
  return chosen;
}

/** Applies non-overlapping edits to one text, from the end backwards so offsets stay valid. */
export function applyEdits(
  text: string,
  edits: Pick<TextEdit, 'start' | 'end' | 'newText'>[],
): string {
  let out = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) {
    out = out.slice(0, edit.start) + edit.newText + out.slice(edit.end);
  }
  return out;
}
