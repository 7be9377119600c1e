/**
 * PHP's `preg_*` patterns: the delimited literal (`'/^https:\/\/a\.com$/i'`) split into its body
 * and modifiers, and the body as a bounded matcher that matches where PCRE2 does (`preg_match`
 * searches anywhere).
 */
import { originMatcher } from '../../base/regex';

const PAIRS: Record<string, string> = { '(': ')', '[': ']', '{': '}', '<': '>' };

/** A `preg_*` pattern split into delimiter, body and modifiers, or undefined when it is not one. */
export function pregParts(
  literal: string,
): { open: string; close: string; body: string; modifiers: string; bodyStart: number } | undefined {
  const lead = /^\s*/.exec(literal)![0].length;
  const open = literal[lead];
  if (!open || /[\w\s\\]/.test(open)) return undefined;
  const close = PAIRS[open] ?? open;
  const end = literal.lastIndexOf(close);
  if (end <= lead) return undefined;
  const modifiers = literal.slice(end + 1);
  if (!/^[imsxuADSUXJn\s]*$/.test(modifiers)) return undefined;
  return {
    open,
    close,
    body: literal.slice(lead + 1, end),
    modifiers: modifiers.trim(),
    bodyStart: lead + 1,
  };
}

/**
 * A linear-time matcher for a PCRE body with `preg_*` modifiers (`i`, `m`, `s`, `x`; others do not
 * change what an origin pattern matches), or undefined when the bounded engine cannot run it
 * (lookaround, backreferences): such a pattern is unreadable, never run by a backtracking engine.
 */
export function pcreToJs(
  body: string,
  modifiers = '',
): { test(text: string): boolean } | undefined {
  const flags = [...new Set(modifiers.replace(/[^imsx]/g, ''))].join('');
  // `D` (DOLLAR_ENDONLY): a final `$` matches only at the very end, as `\z` does.
  const source =
    modifiers.includes('D') && !flags.includes('m')
      ? body.replace(/(?<!\\)((?:\\\\)*)\$$/, '$1\\z')
      : body;
  const matcher = originMatcher(source, 'pcre', flags);
  return matcher.ok ? { test: (text) => matcher.test(text) } : undefined;
}

/** `preg_match(pattern, subject)`: whether the pattern matches anywhere (false when it cannot be translated). */
export function pregMatches(literal: string, subject: string): boolean {
  const parts = pregParts(literal);
  const re = parts && pcreToJs(parts.body, parts.modifiers);
  return !!re && re.test(subject);
}

/** A pattern body with every unescaped delimiter escaped, to write it back between `delimiter`s. */
export function escapeDelimiter(body: string, open: string, close: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') {
      out += c + (body[i + 1] ?? '');
      i++;
    } else out += c === open || c === close ? `\\${c}` : c;
  }
  return out;
}
