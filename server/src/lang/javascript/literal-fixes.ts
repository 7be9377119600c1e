/**
 * Fixes of CORS headers written by hand as string literals on a fetch-API `Response` (a Next.js
 * route handler, middleware or `next.config`, a Worker's `fetch`): a fix rewrites one literal in
 * the file's own quotes. A list of
 * origins cannot be one `Access-Control-Allow-Origin` value: those fixes need a guard and are not
 * offered.
 */
import type { Fix, TextEdit } from '../../policy/edits';
import type { Policy, Span } from '../../policy/types';

/** What the fixes read of a check's context: the text of a file, as the editor holds it. */
interface FileTexts {
  text(file: string): string;
}

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

/**
 * The fixes as a framework's `FrameworkFixes` (structurally: `lang` cannot name the checks'
 * type). Those not offered answer undefined.
 */
export const literalHeaderFixes = {
  allowOnly(policy: Policy, origins: string[], context: FileTexts): Fix | undefined {
    const at = policy.origins.allowAllAt;
    if (!at || origins.length !== 1) return undefined;
    const edits = rewrite(at.span, origins[0], (f) => context.text(f));
    return edits && { title: `Allow only ${origins[0]}`, edits };
  },
  replaceOrigin(
    _policy: Policy,
    origin: { span?: Span },
    value: string,
    context: FileTexts,
  ): TextEdit[] | undefined {
    return rewrite(origin.span, value, (f) => context.text(f));
  },
  removeOrigin: (): undefined => undefined,
  replacePattern: (): undefined => undefined,
  addOrigins: (): undefined => undefined,
};
