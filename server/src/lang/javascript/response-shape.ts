/**
 * A `Response` as a fetch-API handler builds it (`new Response(body, { status, headers })`,
 * `Response.json`, `NextResponse`): its status, the header lines written on it and the condition
 * each is written under. Next.js route handlers and fetch handlers (Workers, Deno, Bun) share it.
 */
import type { HeaderList } from '../../fetch/types';
import type { Span } from '../../policy/types';

/** A header value a handler writes: a literal, or the request's Origin echoed back. */
export type WebHeaderValue =
  | { kind: 'literal'; value: string }
  /**
   * `request.headers.get('origin')`, with the literal used when there is no Origin (`?? '*'`), or
   * also when it is empty (`|| '*'`: `orEmpty`).
   */
  | { kind: 'request-origin'; fallback?: string; orEmpty?: true }
  | { kind: 'dynamic' };

/** One header a handler sets, and the condition it is set under. */
export interface WebHeader {
  /** The name as written (Headers objects send it lowercased). */
  name: string;
  value: WebHeaderValue;
  /** `append` adds a line; `set` (and object literals) replace the previous value. */
  append: boolean;
  /**
   * Set only when the request's Origin is in `allowlist` (an `if (allowed.has(origin))` guard),
   * or, `present`, whenever it has one (`origin ? {...} : {}`: every CORS request); unset: always.
   */
  guard?: { allowlist: string[]; dynamic: boolean; present?: true };
  span: Span;
  /** The value's literal in the source, when it is one (what fixes rewrite). */
  valueSpan?: Span;
}

/** What one handler (a route's exported method, or the middleware) answers. */
export interface WebResponseShape {
  status: number;
  headers: WebHeader[];
  /** The body's kind (in Next.js, a compressible body makes its compression add `Accept-Encoding` to Vary). */
  body: 'none' | 'json' | 'text' | 'unknown';
  /** The module-level constant the headers come from (`headers: corsHeaders`), when they do. */
  headersFrom?: string;
  /**
   * What the handler returns instead when the request's Origin is not in `allowlist`
   * (`if (!ALLOWED.includes(origin)) return new Response(null, { status: 403 })`).
   */
  refusal?: { allowlist: string[]; response: WebResponseShape };
}

/** The CORS headers a response sets, as a comparable string (two answers with the same agree). */
export const corsKey = (shape: WebResponseShape): string =>
  shape.headers
    .filter((h) => /^access-control-/i.test(h.name))
    .map((h) => `${h.name.toLowerCase()}=${JSON.stringify(h.value)}`)
    .sort()
    .join('|');

/**
 * A test of the request's path a handler routes by: `exact` (`url.pathname === '/api'`),
 * `prefix` (`.startsWith('/api/')`), either negated, or `unknown` (another test of the URL).
 */
export type PathTest =
  { kind: 'exact' | 'prefix'; value: string; negated: boolean } | { kind: 'unknown' };

/** Whether a path passes every test (an unknown test is taken to fail: the route is not known). */
export function pathPasses(tests: readonly PathTest[] | undefined, path: string): boolean {
  return (tests ?? []).every(
    (t) =>
      t.kind !== 'unknown' &&
      (t.kind === 'exact' ? path === t.value : path.startsWith(t.value)) !== t.negated,
  );
}

/** The value a handler writes for this request, or undefined when it sets nothing. */
function valueFor(h: WebHeader, origin: string | undefined): string | undefined {
  if (h.guard?.present) {
    if (!origin) return undefined;
  } else if (h.guard && (origin === undefined || !h.guard.allowlist.includes(origin)))
    return undefined;
  if (h.value.kind === 'literal') return h.value.value;
  if (h.value.kind === 'request-origin')
    return (h.value.orEmpty ? origin || undefined : origin) ?? h.value.fallback;
  // A value the extractor could not resolve is not predicted.
  return undefined;
}

/**
 * A WHATWG `Headers` built by the handler's `set`/`append` calls, iterated as `forEach` does:
 * lowercase names, sorted, repeated values joined with `, `.
 */
export function webHeaders(headers: WebHeader[], origin: string | undefined): HeaderList {
  const map = new Map<string, string>();
  for (const h of headers) {
    const value = valueFor(h, origin);
    if (value === undefined) continue;
    const name = h.name.toLowerCase();
    const previous = map.get(name);
    map.set(name, h.append && previous !== undefined ? `${previous}, ${value}` : value);
  }
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
