/**
 * Matches a path against a glob with `**`, `*` and `?` (the subset VS Code settings use).
 * Paths are compared with forward slashes; a pattern without `/` matches the base name.
 */
export function globMatch(pattern: string, file: string): boolean {
  const target = file.replace(/\\/g, '/');
  const subject = pattern.includes('/') ? target : target.slice(target.lastIndexOf('/') + 1);
  return compiled(pattern).test(subject);
}

/**
 * Compiled patterns: the analysis asks once per policy and check, which for a config with hundreds
 * of locations was most of an edit's time. The patterns are the user's few settings globs.
 */
const cache = new Map<string, RegExp>();

function compiled(pattern: string): RegExp {
  let regex = cache.get(pattern);
  if (!regex) {
    regex = toRegExp(pattern);
    cache.set(pattern, regex);
  }
  return regex;
}

function toRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      const slash = pattern[i + 2] === '/';
      re += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`(?:^|/)${re}$`);
}

/**
 * Whether `name` fits a pattern whose only wildcard is `*` (an nginx `include` glob's last part),
 * in at most length × length steps. A pattern from the file being checked never becomes a regex:
 * `*a*a*a*...*b` as `.*a.*a...` backtracks exponentially (a 4-minute match on a 45-character name).
 */
export function wildcardMatch(pattern: string, name: string): boolean {
  let p = 0;
  let n = 0;
  let star = -1;
  let resume = 0;
  while (n < name.length) {
    if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = n;
    } else if (p < pattern.length && pattern[p] === name[n]) {
      p++;
      n++;
    } else if (star >= 0) {
      p = star + 1;
      n = ++resume;
    } else return false;
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}
