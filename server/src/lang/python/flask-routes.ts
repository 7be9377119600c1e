import { escapeRegex } from '../../base/regex';
/** Flask route rules (`/items/<int:id>`) as the regexes Werkzeug's router matches them with. */

const CONVERTERS: Record<string, string> = {
  path: '[^/].*?',
  any: '[^/]+',
  default: '[^/]+',
  int: '\\d+',
  float: '\\d+\\.\\d+',
  uuid: '[0-9a-fA-F-]{36}',
};

/** The regex of a route rule, anchored at both ends (Python flavour, `re.match`). */
export function ruleRegex(rule: string): string {
  let out = '^';
  let at = 0;
  for (const match of rule.matchAll(/<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>/g)) {
    out += escapeRegex(rule.slice(at, match.index));
    out += `(?:${CONVERTERS[match[1] ?? 'default'] ?? CONVERTERS.default})`;
    at = match.index! + match[0].length;
  }
  return `${out}${escapeRegex(rule.slice(at))}$`;
}

/** A path the rule matches (each `<converter:name>` filled with `1`). */
export const samplePath = (rule: string): string => rule.replace(/<[^>]*>/g, '1');

/** A literal string as a regex. */
