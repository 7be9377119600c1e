/**
 * PHP's `preg_*` patterns: the delimited literal (`'/^https:\/\/a\.com$/i'`) split into its body
 * and modifiers, and the body as a JavaScript RegExp matching where PCRE2 does (`preg_match`
 * searches anywhere; `$` also matches before a final newline unless the `D` modifier is set).
 */
import { stripVerbose, translateRegexBody, type RegexDialect } from '../regex-dialect';

const PAIRS: Record<string, string> = { '(': ')', '[': ']', '{': '}', '<': '>' };

/** A `preg_*` pattern split into delimiter, body and modifiers, or undefined when it is not one. */
export function pregParts(literal: string): { open: string; close: string; body: string; modifiers: string; bodyStart: number } | undefined {
  const lead = /^\s*/.exec(literal)![0].length;
  const open = literal[lead];
  if (!open || /[\w\s\\]/.test(open)) return undefined;
  const close = PAIRS[open] ?? open;
  const end = literal.lastIndexOf(close);
  if (end <= lead) return undefined;
  const modifiers = literal.slice(end + 1);
  if (!/^[imsxuADSUXJn\s]*$/.test(modifiers)) return undefined;
  return { open, close, body: literal.slice(lead + 1, end), modifiers: modifiers.trim(), bodyStart: lead + 1 };
}

const pcre = (dollarEndOnly: boolean, multiline: boolean): RegexDialect => ({
  escape(letter, inClass) {
    if (!inClass && letter === 'A') return '(?<![\\s\\S])';
    if (!inClass && letter === 'z') return '(?![\\s\\S])';
    if (!inClass && letter === 'Z') return '(?=\\n?(?![\\s\\S]))';
    if (letter === 'h') return inClass ? ' \\t' : '[ \\t]';
    return 'GKRXpPQEC'.includes(letter) && letter !== '' ? null : undefined;
  },
  nestedClasses: true,
  group(src, at) {
    const rest = src.slice(at);
    if (rest.startsWith('(?P<')) return { out: '(?<', length: 4 };
    if (/^\(\?(?:>|[imsxnU-]+[:)]|\(|\||R|\d|&|P[=>])/.test(rest)) return null;
    return undefined;
  },
  dollar: multiline ? '$' : dollarEndOnly ? '(?![\\s\\S])' : '(?=\\n?(?![\\s\\S]))',
});

/** A JS RegExp equivalent to a PCRE body with `preg_*` modifiers, or undefined when JS cannot express it. */
export function pcreToJs(body: string, modifiers = ''): RegExp | undefined {
  let src = body;
  const lead = /^\(\?([imsx]+)\)/.exec(src);
  if (lead) src = src.slice(lead[0].length);
  const all = modifiers + (lead?.[1] ?? '');
  if (all.includes('x')) src = stripVerbose(src);
  const out = translateRegexBody(src, pcre(all.includes('D'), all.includes('m')));
  if (out === undefined) return undefined;
  const flags = ['i', 'm', 's'].filter((f) => all.includes(f)).join('');
  try {
    return new RegExp(out, flags);
  } catch {
    return undefined;
  }
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
