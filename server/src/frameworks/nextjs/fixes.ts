/**
 * Fixes in Next.js syntax: the hand-set headers are string literals in a route handler, a
 * middleware or `next.config`, so a fix rewrites one literal in the file's own quotes. A list of
 * origins cannot be one `Access-Control-Allow-Origin` value: those fixes need a guard and are not
 * offered.
 */
import type { TextEdit } from '../../policy/edits';
import type { Span } from '../../policy/types';
import type { FrameworkFixes } from '../../checks/framework-fixes';

/** `value` as a JS string literal in the quotes of the literal at `span`. */
function quoted(text: string, span: Span, value: string): string {
  const quote = /^["'`]/.exec(text.slice(span.start, span.end))?.[0] ?? "'";
  const escaped = value.replace(/\\/g, '\\\\').split(quote).join(`\\${quote}`);
  return `${quote}${escaped}${quote}`;
}

/** Replaces the string literal at `span` (only when it is one). */
function rewrite(
  span: Span | undefined,
  value: string,
  text: (file: string) => string,
): TextEdit[] | undefined {
  if (!span) return undefined;
  const source = text(span.file);
  if (!/^(["'`])[^]*\1$/.test(source.slice(span.start, span.end))) return undefined;
  return [
    { file: span.file, start: span.start, end: span.end, newText: quoted(source, span, value) },
  ];
}

export const nextjsFixes: FrameworkFixes = {
  allowOnly(policy, origins, context) {
    const at = policy.origins.allowAllAt;
    if (!at || origins.length !== 1) return undefined;
    const edits = rewrite(at.span, origins[0], (f) => context.text(f));
    return edits && { title: `Allow only ${origins[0]}`, edits };
  },
  replaceOrigin(_policy, origin, value, context) {
    return rewrite(origin.span, value, (f) => context.text(f));
  },
  removeOrigin() {
    return undefined;
  },
  replacePattern() {
    return undefined;
  },
  addOrigins() {
    return undefined;
  },
};
