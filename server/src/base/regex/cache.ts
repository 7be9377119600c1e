/**
 * Compiled matchers, kept: models run the same user pattern for every request of a matrix and
 * checks for every candidate origin, and compiling is the costly part of re2js.
 */
import type { RegexFlavor } from './parse';
import { compileOrigin, type OriginMatcher } from './translate';

const LIMIT = 2000;
const cache = new Map<string, OriginMatcher>();

/** `compileOrigin`, memoised per (pattern, flavor, flags); the oldest entries go first when full. */
export function originMatcher(pattern: string, flavor: RegexFlavor, flags = ''): OriginMatcher {
  const key = `${flavor}\u0000${flags}\u0000${pattern}`;
  let matcher = cache.get(key);
  if (!matcher) {
    matcher = compileOrigin(pattern, flavor, flags);
    if (cache.size >= LIMIT) cache.delete(cache.keys().next().value as string);
    cache.set(key, matcher);
  }
  return matcher;
}

/**
 * Whether the library's match of `pattern` succeeds on `text`, in linear time. A pattern the
 * bounded engine refuses (lookaround, backreferences) cannot be read: it matches nothing here,
 * and callers that must not under-report check `originMatcher(...).ok` themselves.
 */
export function regexMatches(
  pattern: string,
  flavor: RegexFlavor,
  flags: string,
  text: string,
): boolean {
  const matcher = originMatcher(pattern, flavor, flags);
  return matcher.ok && matcher.test(text);
}
