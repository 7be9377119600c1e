/**
 * Next.js path syntax as JS regexes: App Router folders (`app/api/[id]/route.ts`) and the
 * path-to-regexp patterns of `next.config` `headers()` sources and middleware matchers.
 */
import { originMatcher } from '../../base/regex';
import { escapeRegexText } from '../../lang/javascript/next-routes';

/**
 * The URL path of a route file (`/api/items/[id]`), or undefined when the file is not an App Router
 * `route.*` under an `app/` folder. Route groups `(x)` and parallel slots `@x` add no segment.
 */
export function routePathOf(file: string): { root: string; path: string } | undefined {
  const norm = file.split('\\').join('/');
  const m = /^(.*?)\/(?:src\/)?app\/((?:[^/]+\/)*)route\.[mc]?[jt]sx?$/.exec(norm);
  if (!m) return undefined;
  const segments = m[2].split('/').filter((s) => s && !/^\(.*\)$/.test(s) && !s.startsWith('@'));
  if (segments.some((s) => s.startsWith('_'))) return undefined;
  return { root: m[1], path: '/' + segments.join('/') };
}

/**
 * A path-to-regexp source (`/api/:path*`, `/api/:id`, `/(.*)`) as an anchored JS regex, or
 * undefined for syntax it does not read.
 */
export function sourceRegex(source: string): string | undefined {
  if (!source.startsWith('/')) return undefined;
  let out = '';
  let i = 0;
  while (i < source.length) {
    const rest = source.slice(i);
    const param = /^\/:([A-Za-z_]\w*)(\([^)]*\))?([*+?])?/.exec(rest);
    if (param) {
      const inner = param[2] ? param[2].slice(1, -1) : '[^/]+?';
      const mod = param[3];
      if (mod === '*') out += `(?:/(?:${param[2] ? inner : '.*'}))?`;
      else if (mod === '+') out += `/(?:${param[2] ? inner : '.+'})`;
      else if (mod === '?') out += `(?:/(?:${inner}))?`;
      else out += `/(?:${inner})`;
      i += param[0].length;
      continue;
    }
    const group = /^\(([^)]*)\)/.exec(rest);
    if (group) {
      out += `(?:${group[1]})`;
      i += group[0].length;
      continue;
    }
    if (rest[0] === ':') return undefined;
    out += escapeRegexText(rest[0]);
    i++;
  }
  // What the linear-time engine refuses is never run elsewhere: unreadable.
  if (!originMatcher(`^${out}$`, 'js').ok) return undefined;
  return `^${out}$`;
}
