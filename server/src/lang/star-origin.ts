/**
 * The one fix hand-set headers share across languages (Python, Ruby): the `'*'` literal that
 * allows every origin replaced by the one origin allowed, in the literal's own quotes. Several
 * origins need an allowlist test around the line, which each language writes itself (or leaves).
 */
import type { Fix } from '../policy/edits';
import type { Span } from '../policy/types';

/** A string literal in the language's syntax, in the given quotes. */
export type StringWriter = (value: string, quote: '"' | "'") => string;

/** `'*'` / `"*"` inside `span` (the line allowing every origin) rewritten as `origin`. */
export function replaceStar(
  text: string,
  span: Span,
  origin: string,
  write: StringWriter,
): Fix | undefined {
  const star = /(['"])\*\1/.exec(text.slice(span.start, span.end));
  if (!star) return undefined;
  const start = span.start + star.index;
  return {
    title: `Allow only ${origin}`,
    edits: [
      {
        file: span.file,
        start,
        end: start + star[0].length,
        newText: write(origin, star[1] as '"' | "'"),
      },
    ],
  };
}
