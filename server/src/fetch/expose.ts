/** Which response headers script can read: https://fetch.spec.whatwg.org/#concept-filtered-response-cors */
import type { HeaderList } from './types';
import { getCombined } from './headers';
import { parseAllowList } from './preflight-check';
import { CORS_SAFELISTED_RESPONSE_HEADER_NAMES } from './safelist';

/** https://fetch.spec.whatwg.org/#forbidden-response-header-name: never visible to script. */
const FORBIDDEN_RESPONSE_HEADER_NAMES = new Set(['set-cookie', 'set-cookie2']);

/**
 * `Access-Control-Expose-Headers` as Chromium 156 parses it: a comma list with tab/space around
 * items, empty items skipped; one item that is not a token exposes nothing at all. Names come
 * back lowercase.
 */
export function parseExposeHeaders(value: string | undefined): string[] {
  const items = parseAllowList(value);
  return items === undefined ? [] : items.map((n) => n.toLowerCase());
}

/**
 * The header names `response.headers.keys()` yields for a CORS response: the CORS-safelisted
 * response-header names plus the exposed ones (`*` means all, but only without credentials),
 * restricted to names present in the response; lowercase, unique, sorted.
 */
export function readableResponseHeaders(
  headers: HeaderList,
  credentials: 'omit' | 'same-origin' | 'include',
): string[] {
  const exposed = parseExposeHeaders(getCombined(headers, 'Access-Control-Expose-Headers'));
  const all = credentials !== 'include' && exposed.includes('*');
  const visible = new Set([...CORS_SAFELISTED_RESPONSE_HEADER_NAMES, ...exposed]);
  const names = new Set<string>();
  for (const [name] of headers) {
    const lower = name.toLowerCase();
    if (FORBIDDEN_RESPONSE_HEADER_NAMES.has(lower)) continue;
    if (all || visible.has(lower)) names.add(lower);
  }
  return [...names].sort();
}
