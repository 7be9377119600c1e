/**
 * How a file shows the way its project authenticates, read from its text: the shared matching;
 * the signs are each language's (`lang/python/auth-signs.ts`, `lang/javascript/auth-signs.ts`).
 */

/** Where a file shows one way of authenticating, and what it is. */
export interface AuthSign {
  sign: string;
  start: number;
  end: number;
}

/** One way of authenticating and the text that shows it. */
export interface Sign {
  sign: string;
  pattern: RegExp;
  /** Matches of `pattern` that are not the sign (tested at the match, sticky). */
  unless?: RegExp;
}

/** The first match of a sign's pattern that its `unless` does not take back. */
function firstMatch(text: string, { pattern, unless }: Sign): RegExpExecArray | undefined {
  if (!unless) return pattern.exec(text) ?? undefined;
  const all = new RegExp(pattern.source, `${pattern.flags}g`);
  for (let match = all.exec(text); match; match = all.exec(text)) {
    unless.lastIndex = match.index;
    if (!unless.test(text)) return match;
  }
  return undefined;
}

/** The earliest sign of any of `signs` in the text. */
export function firstSign(text: string, signs: Sign[]): AuthSign | undefined {
  let found: AuthSign | undefined;
  for (const entry of signs) {
    const match = firstMatch(text, entry);
    if (match && (!found || match.index < found.start))
      found = { sign: entry.sign, start: match.index, end: match.index + match[0].length };
  }
  return found;
}
