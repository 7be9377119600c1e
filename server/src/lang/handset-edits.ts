/**
 * What the fixes of hand-set headers share across languages (PHP, Python, Ruby, Node): finding the
 * allowlist literal the code tests the Origin against, and adding `Vary: Origin` after the write
 * the policy names. The syntax itself (which literal opens a list, how a header line is written)
 * is each language's.
 */
import type { Fix, TextEdit } from '../policy/edits';
import type { Policy, Span } from '../policy/types';

/** Header lines added right after the write at `span`, in its style; undefined where it cannot. */
export type HeadersAfter = (
  text: string,
  span: Span,
  headers: [string, string][],
) => TextEdit | undefined;

/**
 * The allowlist literal the code tests the Origin against, when it is written in place: the
 * policy's `listAt`, if `opens` (the language's list syntax) accepts what starts there.
 */
export function writtenAllowlist(
  policy: Policy,
  textOf: (file: string) => string,
  opens: (text: string, span: Span) => boolean,
): { text: string; span: Span } | undefined {
  const span = policy.origins.listAt?.span;
  if (!span) return undefined;
  const text = textOf(span.file);
  return opens(text, span) ? { text, span } : undefined;
}

/**
 * `Vary: Origin` written after each origin write that lacks it (`unvariedAt`, else `varyAt`), in
 * that write's style; no fix when one of them cannot take the line.
 */
export function varyAfterWrite(
  policy: Policy,
  textOf: (file: string) => string,
  addAfter: HeadersAfter,
): Fix | undefined {
  const spans = policy.unvariedAt?.length
    ? policy.unvariedAt
    : policy.varyAt
      ? [policy.varyAt]
      : [];
  const edits = spans.map((at) => addAfter(textOf(at.file), at, [['Vary', 'Origin']]));
  if (!edits.length || !edits.every((e): e is TextEdit => !!e)) return undefined;
  return { title: 'Send Vary: Origin with the allowed origin', edits };
}

/** `[...]`: an array literal written in place (JS, Ruby). */
export const opensArray = (text: string, span: Span): boolean => text[span.start] === '[';
