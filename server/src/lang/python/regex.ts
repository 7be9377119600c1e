import type { RegexFlavor } from '../../policy/types';
import { stripVerbose, translateRegexBody, type RegexDialect } from '../regex-dialect';

/** Python `re`'s differences from JS (`$` is set per pattern: it depends on MULTILINE). */
const pythonRe: Omit<RegexDialect, 'dollar'> = {
  escape: (letter, inClass) => (inClass ? undefined : letter === 'A' ? '(?<![\\s\\S])' : letter === 'Z' ? '(?![\\s\\S])' : undefined),
  nestedClasses: false,
  group(src, at) {
    if (src.startsWith('(?P<', at)) return { out: '(?<', length: 4 };
    if (src.startsWith('(?P=', at)) {
      const end = src.indexOf(')', at);
      return end < 0 ? null : { out: `\\k<${src.slice(at + 4, end)}>`, length: end - at + 1 };
    }
    // Scoped and inline flags inside the pattern: JS has no equivalent.
    return /^\(\?[aiLmsux-]+[:)]/.test(src.slice(at)) ? null : undefined;
  },
};

/**
 * A Python `re` pattern as a JS RegExp, for `re.match` (anchored at the start only),
 * `re.fullmatch` or `re.search`. Handles what origin and URL patterns use: leading global flags
 * `(?i)`/`(?s)`/`(?m)`/`(?x)`, `(?P<name>...)`, `(?P=name)`, `\A`, `\Z`, and `$` (which in Python
 * also matches before a final newline). Returns undefined for what JS cannot express (scoped
 * flags like `(?i:...)`, possessive quantifiers) or what neither engine compiles. Match and
 * fullmatch patterns are sticky: set `lastIndex = 0` before each `test()`.
 */
export function pythonRegex(pattern: string, flavor: RegexFlavor = 'python-match'): RegExp | undefined {
  let src = pattern;
  let flags = '';
  const lead = /^\(\?([aiLmsux]+)\)/.exec(src);
  if (lead) {
    src = src.slice(lead[0].length);
    for (const f of lead[1]) if ('ims'.includes(f) && !flags.includes(f)) flags += f;
    if (lead[1].includes('x')) src = stripVerbose(src);
  }
  // Python's `$` (no MULTILINE): the end, or just before a newline that ends the string.
  const out = translateRegexBody(src, { ...pythonRe, dollar: flags.includes('m') ? '$' : '(?=\\n?(?![\\s\\S]))' });
  if (out === undefined) return undefined;
  const body = flavor === 'python-fullmatch' ? `(?:${out})(?![\\s\\S])` : `(?:${out})`;
  try {
    // Sticky: match only at lastIndex 0, i.e. re.match's "at the start" without touching `^`.
    return new RegExp(body, flavor === 'python-search' ? flags : flags + 'y');
  } catch {
    return undefined;
  }
}
