/**
 * Express 5 path matching (router 2.x over path-to-regexp 8): `:name` parameters, `*name`
 * wildcards, `{...}` optional groups, case-insensitive, a trailing slash allowed. Routes match the
 * whole path; `app.use` mounts match a prefix that ends at a `/` or the end. Express 4 strings
 * (path-to-regexp 0.1) are read too, for projects that run it (`express4PathSource`).
 */
import { regexMatches, escapeRegex } from '../../base/regex';

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

/** A path-to-regexp 0.1 parameter (`/:id`, `.:ext`, `:id(\\d+)`, `:path*`, `:id?`) and its parts. */
const EXPRESS4_PARAM = /^(\/)?(\.)?:(\w+)(\(.*?\))?(\*)?(\?)?/;

/**
 * path-to-regexp 0.1 (Express 4) syntax → a RegExp source. 0.1 rewrites a few tokens and passes
 * every other character to `RegExp` as written: `*` is any text (`'*'` every path, `'/api/*'`
 * every path under `/api/`), `.` a dot, `:name` one segment (`/:name?` an optional one,
 * `:name(\\d+)` its own pattern, `:name*` more segments), `/(` a group, and `?`, `+`, `(`, `[`
 * stay regex syntax (`'/ab?cd'` matches `/acd`). Undefined for a parameter whose stop text 0.1
 * checks with a lookahead this engine cannot run (`'/:from-to-:to'`), which the model treats as a
 * path it cannot read. test/unit/express/express4-paths.test.ts compares it with the real
 * Express 4 (the `express4` dev dependency, an npm alias of express@4).
 */
export function express4PathSource(path: string): string | undefined {
  let out = '';
  // The text since the last token: a parameter with no `/` or `.` before it stops where that text
  // (or a `/`) starts again. Undefined after an escape, a `.` or `/(`, which 0.1 counts oddly.
  let since: string | undefined = '';
  for (let i = 0; i < path.length;) {
    const rest = path.slice(i);
    const param = EXPRESS4_PARAM.exec(rest);
    if (rest[0] === '\\') {
      out += rest.slice(0, 2);
      i += 2;
      since = undefined;
    } else if (param) {
      const [whole, slash, dot, , pattern, star, optional] = param;
      const stop = slash || dot ? '' : since;
      let inner: string;
      // 0.1 rewrites the first `*` (or keeps the first escape) of a parameter's own pattern.
      if (pattern) inner = pattern.replace(/\\.|\*/, (m) => (m === '*' ? '(.*)' : m));
      else if (stop === '' || stop?.startsWith('/')) inner = `([^/${dot ? '\\.' : ''}]+?)`;
      else if (stop?.length === 1) inner = `([^/${escapeChar(stop)}]+?)`;
      else return undefined;
      const more = star ? `((?:[/${dot ? '\\.' : ''}].+?)?)` : '';
      out += `(?:${dot ? '\\.' : ''}${slash ? '\\/' : ''}${inner}${more})${optional ?? ''}`;
      i += whole.length;
      since = '';
    } else if (rest[0] === '*') {
      out += '(.*)';
      i++;
      since = '';
    } else if (rest[0] === '.' || rest.startsWith('/(')) {
      out += rest[0] === '.' ? '\\.' : '\\/(?:';
      i += rest[0] === '.' ? 1 : 2;
      since = undefined;
    } else {
      // Regex syntax as written; `/` and braces (not a quantifier in practice) are literal text.
      out += '/{}'.includes(rest[0]) ? escapeChar(rest[0]) : rest[0];
      if (since !== undefined) since += rest[0];
      i++;
    }
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
  const escape = (p: string) => escapeRegex(p).replace(/\/+$/, '');
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
