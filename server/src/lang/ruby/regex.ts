/**
 * Ruby (Onigmo) regexes as JavaScript ones, for what origin and path patterns use. Ruby's `^`
 * and `$` are line anchors, so the result carries the `m` flag; `\A`, `\z` and `\Z` become
 * lookarounds that only hold at the very start or end.
 */
import { stripVerbose, translateRegexBody, type RegexDialect } from '../regex-dialect';

/** Onigmo's differences from JS (the `m` flag is always set, so `$` stays as is). */
const onigmo: RegexDialect = {
  escape(letter, inClass) {
    if (!inClass && letter === 'A') return '(?<![\\s\\S])';
    if (!inClass && letter === 'z') return '(?![\\s\\S])';
    if (!inClass && letter === 'Z') return '(?=\\n?(?![\\s\\S]))';
    if (letter === 'h') return inClass ? '0-9a-fA-F' : '[0-9a-fA-F]';
    return 'GKRXp'.includes(letter) && letter !== '' ? null : undefined;
  },
  nestedClasses: true,
  // Atomic groups, inline option groups and conditionals: no JS twin.
  group: (src, at) => (/^\(\?(?:>|[imx-]+[:)]|\()/.test(src.slice(at)) ? null : undefined),
  dollar: '$',
};

/** A JS RegExp source and flags equivalent to a Ruby regex, or undefined when JS cannot express it. */
export function rubyRegexToJs(source: string, options = ''): { source: string; flags: string } | undefined {
  let flags = 'm';
  let src = source;
  // A leading `(?imx)` applies to the whole pattern, as the literal's options do.
  const lead = /^\(\?([imx]+)\)/.exec(src);
  if (lead) src = src.slice(lead[0].length);
  const all = options + (lead?.[1] ?? '');
  if (all.includes('i')) flags += 'i';
  // Ruby's `m` is JS's `s`: `.` also matches a newline.
  if (all.includes('m')) flags += 's';
  // The `x` option drops whitespace and comments exactly as Python's re.VERBOSE does.
  if (all.includes('x')) src = stripVerbose(src);
  const out = translateRegexBody(src, onigmo);
  if (out === undefined) return undefined;
  try {
    new RegExp(out, flags);
    return { source: out, flags };
  } catch {
    return undefined;
  }
}

/** Whether `text` matches the Ruby regex anywhere (`=~`); false when it cannot be translated. */
export function rubyMatches(source: string, options: string, text: string): boolean {
  const js = rubyRegexToJs(source, options);
  return !!js && new RegExp(js.source, js.flags).test(text);
}

/** Ruby's `Regexp.quote`: the characters it escapes, escaped. */
export function rubyQuote(text: string): string {
  return text.replace(/[.*?+^$|\\()[\]{}\-#\s]/g, (c) => ({ '\n': '\\n', '\t': '\\t', '\r': '\\r', '\f': '\\f', '\v': '\\v', ' ': '\\ ' })[c] ?? `\\${c}`);
}

/**
 * The pattern rack-cors 1.1.1 compiles a resource path into (`Resource#compile`): `/*` matches
 * an optional slash and anything, `*` anything, `:name` one segment, `. + ( )` literally, the
 * rest as regex syntax; anchored `^...$`.
 */
export function rackCorsPathPattern(path: string): string {
  const body = path.replace(/((:\w+)|\/\*|[*.+()])/g, (match) => {
    if (match === '/*') return '\\/?(.*?)';
    if (match === '*') return '(.*?)';
    if ('.+()'.includes(match)) return `\\${match}`;
    return '([^/?&#]+)';
  });
  return `^${body}$`;
}
