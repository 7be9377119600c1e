/**
 * Express 5 path matching (router 2.x over path-to-regexp 8): `:name` parameters, `*name`
 * wildcards, `{...}` optional groups, case-insensitive, a trailing slash allowed. Routes match the
 * whole path; `app.use` mounts match a prefix that ends at a `/` or the end. Express 4 strings
 * (path-to-regexp 0.1) are read too, for projects that run it (`express4PathSource`).
 */
import { regexMatches } from '../../base/regex';

/** A route or mount path as Express 5 matches it. */
export type ExpressPath =
  | { kind: 'all' }
  | { kind: 'string'; value: string }
  | { kind: 'regex'; pattern: string; flags: string }
  | { kind: 'dynamic' };

/** path-to-regexp 8 syntax → a RegExp source; undefined for what v8 rejects at start-up (`*`, `(`). */
export function expressPathSource(path: string): string | undefined {
  let out = '';
  let depth = 0;
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    if (c === '\\') {
      out += escapeChar(path[i + 1] ?? '');
      i++;
    } else if (c === ':' || c === '*') {
      const name = /^(?:[A-Za-z_$][\w$]*|"[^"]*")/.exec(path.slice(i + 1));
      // Express 5 throws "Missing parameter name" for a bare `*` or `:`.
      if (!name) return undefined;
      out += c === ':' ? '([^/]+?)' : '([\\s\\S]+?)';
      i += name[0].length;
    } else if (c === '{') {
      depth++;
      out += '(?:';
    } else if (c === '}') {
      if (depth-- === 0) return undefined;
      out += ')?';
    } else if ('()[]?+!'.includes(c)) {
      // Reserved characters in path-to-regexp 8: a start-up error.
      return undefined;
    } else out += escapeChar(c);
  }
  return depth === 0 ? out : undefined;
}

const escapeChar = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * path-to-regexp 0.1 (Express 4) syntax → a RegExp source: `*` any text (`'*'` every path,
 * `'/api/*'` every path under `/api/`), `:name` one segment, `/:name?` an optional one. Undefined
 * for the regex syntax 0.1 passes through (`(`, `[`, `+`, a `?` after a literal), which the model
 * treats as a path it cannot read. test/unit/express/express4-paths.test.ts compares it with the
 * real Express 4 (the `express4` dev dependency, an npm alias of express@4).
 */
export function express4PathSource(path: string): string | undefined {
  let out = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    if (c === '*') out += '(.*)';
    else if (c === ':') {
      const name = /^\w+/.exec(path.slice(i + 1));
      if (!name) return undefined;
      i += name[0].length;
      if (path[i + 1] === '(') return undefined;
      if (path[i + 1] === '?' && out.endsWith('\\/')) {
        out = `${out.slice(0, -2)}(?:\\/([^/]+?))?`;
        i++;
      } else out += '([^/]+?)';
    } else if ('()[]?+'.includes(c)) return undefined;
    else out += escapeChar(c);
  }
  return out;
}

/** Whether a path-to-regexp 8 string would throw when Express registers it (e.g. `'*'`). */
export const rejectedByExpress5 = (path: string): boolean => expressPathSource(path) === undefined;

/**
 * Whether `pathname` matches a route path (whole) or a mount path (`prefix` true), in the Express
 * `major` the project runs (5 when it does not say).
 */
export function expressPathMatches(
  path: ExpressPath,
  pathname: string,
  prefix: boolean,
  major = 5,
): boolean {
  switch (path.kind) {
    case 'all':
      return true;
    case 'dynamic':
      // Unknown paths are assumed to cover the request (the model's documented assumption).
      return true;
    case 'regex':
      return regexMatches(path.pattern, 'js', path.flags.replace(/[gy]/g, ''), pathname);
    case 'string': {
      const source = major < 5 ? express4PathSource(path.value) : expressPathSource(path.value);
      // Express 5 throws at start-up on it; an Express 4 path not read here is assumed to match.
      if (source === undefined) return major < 5;
      const trimmed = source.replace(/(?:\\\/)+$/, '');
      const tail = prefix ? '(?:\\/|$)' : '\\/?$';
      // The source may hold the user's own regex parts (`:id(\\d+)`): linear time too.
      return regexMatches(`^${trimmed}${tail}`, 'js', 'i', pathname);
    }
  }
}

/** The paths the mounts cover, as a regex matched from the start (null: every path). */
export function urlRegexOf(
  mounts: { path: ExpressPath; prefix: boolean }[],
): string | null | 'dynamic' {
  if (mounts.some((m) => m.path.kind === 'all')) return null;
  if (mounts.some((m) => m.path.kind !== 'string')) return 'dynamic';
  const escape = (p: string) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\/+$/, '');
  const parts = mounts.map((m) => {
    const value = m.path.kind === 'string' ? m.path.value : '';
    // Parameters and wildcards: any segment text.
    const literal = escape(value)
      .replace(/:\w+/g, '[^/]+')
      .replace(/\\\*\w+/g, '.+');
    return m.prefix ? `${literal}(?:/|$)` : `${literal}/?$`;
  });
  return parts.length === 1 ? parts[0] : `(?:${parts.join('|')})`;
}
