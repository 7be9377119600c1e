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
