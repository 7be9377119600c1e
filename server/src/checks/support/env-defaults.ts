/**
 * What the env checks share: which env read a policy value came from (its default, when the
 * variable is unset), and a safe default to write in its place.
 */
import type { EnvReadRef, Policy, Span } from '../../policy/types';

/**
 * The env read at `span` whose text's truth decides the value (`bool(os.getenv("X", True))`):
 * no value of the variable but an empty one turns it off.
 */
export function truthOfTextReadAt(policy: Policy, span: Span): EnvReadRef | undefined {
  return policy.envReads?.find((read) => read.truthOfText && overlaps(read.span, span));
}

/** Two ranges of the same file overlap. */
export const overlaps = (a: Span, b: Span): boolean =>
  a.file === b.file && a.start < b.end && b.start < a.end;

/** The env read whose default gives the value at `span`, when the value comes from one. */
export function defaultReadAt(policy: Policy, span: Span | undefined): EnvReadRef | undefined {
  if (!span) return undefined;
  return policy.envReads?.find((read) => read.fallback && overlaps(read.span, span));
}

/** The words a boolean default turns on with, and the one that turns it off, case kept. */
const OFF: Record<string, string> = { true: 'false', '1': '0', yes: 'no', on: 'off' };

/** `TRUE` → `FALSE`, `True` → `False`, `true` → `false`. */
function sameCase(word: string, like: string): string {
  if (like === like.toUpperCase() && like !== like.toLowerCase()) return word.toUpperCase();
  if (like[0] === like[0].toUpperCase() && like[0] !== like[0].toLowerCase())
    return word[0].toUpperCase() + word.slice(1);
  return word;
}

/**
 * The safe default for a written default, in its own quoting: a boolean that turns CORS on is
 * turned off; an origin default becomes the user's `corsLens.allowedOrigins` (comma-separated,
 * as the code splits it); undefined when there is no safe value to write (the user must choose).
 */
export function safeDefault(text: string, allowedOrigins: string[]): string | undefined {
  const m = /^(['"`]?)([^'"`]*)\1$/.exec(text.trim());
  if (!m) return undefined;
  const [, quote, body] = m;
  const off = OFF[body.toLowerCase()];
  if (off !== undefined) return `${quote}${sameCase(off, body)}${quote}`;
  if (quote && allowedOrigins.length && /^(\*|https?:\/\/)/.test(body))
    return `${quote}${allowedOrigins.join(',')}${quote}`;
  return undefined;
}
