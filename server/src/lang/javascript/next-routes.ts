/**
 * The URL paths of Next.js route modules, shared by the frameworks that read them: App Router
 * `route.*` files (nextjs) and pages-router API modules written with Node's response
 * (node-handset).
 */

/** `s` as regex text that matches it literally (`/` escaped too, for regex literals). */
export const escapeRegexText = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The regex Next routes a route path with (`[id]` one segment, `[...x]` one or more, `[[...x]]` optional). */
export function routeRegex(routePath: string): string {
  const parts = routePath.split('/').filter(Boolean);
  let out = '';
  for (const part of parts) {
    if (/^\[\[\.\.\..+\]\]$/.test(part)) out += '(?:/.+)?';
    else if (/^\[\.\.\..+\]$/.test(part)) out += '/.+';
    else if (/^\[.+\]$/.test(part)) out += '/[^/]+';
    else out += '/' + escapeRegexText(part);
  }
  return `^${out || '/'}$`;
}

/** A path a route path serves, its dynamic segments filled in (`/api/orders/[id]` → `/api/orders/x`). */
export const routeSample = (routePath: string): string =>
  routePath.replace(/\[\[?(?:\.\.\.)?[^\]/]+\]\]?/g, 'x');

/**
 * The URL path of a pages-router API module (`pages/api/orders/[id].ts` → `/api/orders/[id]`,
 * `pages/api/orders/index.ts` → `/api/orders`): the pages router serves each such module at its
 * file's path, and no other.
 */
export function pagesApiPathOf(file: string): string | undefined {
  const norm = file.split('\\').join('/');
  const m = /(?:^|\/)(?:src\/)?pages\/(api(?:\/[^/]+)*?)\.[mc]?[jt]sx?$/.exec(norm);
  if (!m) return undefined;
  const segments = m[1].split('/');
  if (segments.length > 1 && segments[segments.length - 1] === 'index') segments.pop();
  return `/${segments.join('/')}`;
}
