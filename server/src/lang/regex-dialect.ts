/**
 * Other engines' regexes (Python `re`, Ruby's Onigmo) as JavaScript ones. One walk over the
 * pattern keeps track of escapes and character classes; each engine's dialect says what it
 * writes differently. Untranslatable constructs make the whole pattern undefined, never a guess.
 */

/** How one engine's syntax differs from JavaScript's, for the parts origin and path patterns use. */
export interface RegexDialect {
  /** `\x`: its JS text, `null` when JS has no equivalent, undefined to copy it as is. */
  escape(letter: string, inClass: boolean): string | null | undefined;
  /** Whether `[` inside a class opens a nested class or a POSIX bracket (no JS twin). */
  nestedClasses: boolean;
  /** At `(` outside a class: its JS text and how many characters it covers, `null` when untranslatable, undefined when plain. */
  group(src: string, at: number): { out: string; length: number } | null | undefined;
  /** The JS text for `$` outside a class. */
  dollar: string;
}

/** A pattern body in JS syntax, or undefined when a construct has no JS equivalent. */
export function translateRegexBody(src: string, dialect: RegexDialect): string | undefined {
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      const n = src[i + 1] ?? '';
      i++;
      const escaped = dialect.escape(n, inClass);
      if (escaped === null) return undefined;
      out += escaped ?? c + n;
      continue;
    }
    if (inClass) {
      if (c === '[' && dialect.nestedClasses) return undefined;
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      // A `]` (or `^]`) right after `[` is a literal in these engines; copy it so it does not close.
      if (src[i + 1] === '^') out += src[++i];
      if (src[i + 1] === ']') out += '\\' + src[++i];
      continue;
    }
    if (c === '(') {
      const group = dialect.group(src, i);
      if (group === null) return undefined;
      if (group) {
        out += group.out;
        i += group.length - 1;
        continue;
      }
    }
    // Possessive quantifiers: no JS twin.
    if ((c === '+' || c === '*' || c === '?' || c === '}') && src[i + 1] === '+') return undefined;
    out += c === '$' ? dialect.dollar : c;
  }
  return out;
}

/** Drops whitespace and `#` comments outside classes and escapes, as Python's `re.VERBOSE` and Ruby's `x` do. */
export function stripVerbose(src: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      out += c + (src[i + 1] ?? '');
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
    } else if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (!/\s/.test(c)) {
      out += c;
    }
  }
  return out;
}
