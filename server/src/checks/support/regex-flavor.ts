import type { RegexFlavor } from '../../policy/types';

/** How each library applies its origin regex, as a clause for a message. */
const SEARCHES: Partial<Record<RegexFlavor, string>> = {
  'python-search': 're.search finds the pattern anywhere in the origin',
  js: 'RegExp.test() finds the pattern anywhere in the origin',
  ruby: "Ruby's =~ finds the pattern anywhere in the origin",
  pcre: "preg_match and nginx's ~ find a PCRE pattern anywhere in the origin",
};

/**
 * A note on how the library's regex flavour anchors `pattern`, when missing anchors are part of
 * why it lets too much in; '' when they are not (a full-match flavour like Starlette's anchors
 * both ends itself, so there the unescaped dot or wildcard is the cause).
 */
export function anchorNote(pattern: string, flavor: RegexFlavor): string {
  if (flavor === 'python-match')
    return pattern.endsWith('$')
      ? ''
      : ' (re.match anchors only the start: end the pattern with $)';
  const searches = SEARCHES[flavor];
  if (!searches) return '';
  const [start, end] = flavor === 'ruby' ? [/^(\^|\\A)/, /(\$|\\z)$/] : [/^\^/, /\$$/];
  // Anchored inside a group around the whole pattern (`(^https?://...$)`: exosphere's nginx map,
  // held-out batch 51) is anchored too.
  const bare = pattern.replace(/^\((?:\?:)?(.*)\)$/s, '$1');
  if (start.test(bare) && end.test(bare)) return '';
  return flavor === 'ruby'
    ? ` (${searches}: anchor it with \\A and \\z)`
    : ` (${searches}: anchor it with ^ and $)`;
}
