/**
 * What Next.js 16.4 (`next start`, Node runtime) sends for one request to a path whose CORS
 * headers come from `next.config` `headers()`, a middleware/proxy and an App Router route
 * handler. Read from next/dist (`send-response.js`, `auto-implement-methods.js`) and checked
 * against a real `next build && next start` by test/truth/nextjs.test.ts. What it replays:
 * - `next.config` headers are set first, in the order written, with their case.
 * - A middleware's headers on `NextResponse.next()` come next; a response the middleware returns
 *   itself is sent as is (Headers order: lowercase names, sorted), with no Vary.
 * - A route response starts with `vary: rsc, next-router-state-tree, ...`; then the handler's
 *   headers (lowercase, sorted) are appended, skipping any header already set above (only Vary
 *   adds a line). A compressible body (JSON, text) makes Next's compression merge the Vary lines
 *   into one `Vary: ..., Accept-Encoding`.
 * - A route without an OPTIONS export answers OPTIONS itself: `204` with
 *   `allow: <exported methods + OPTIONS (+ HEAD with GET)>`; HEAD runs GET; other methods: 405.
 * - A middleware in a file Next does not load (middleware-place.ts) sends nothing.
 */
import { regexMatches } from '../../base/regex';
import { firstValue } from '../../fetch/headers';
import type { HeaderList, HttpRequest, HttpResponse } from '../../fetch/types';
import type { NextHandler, NextjsFacts } from './facts';
import { type WebResponseShape, webHeaders } from '../../lang/javascript/response-shape';
import { type Policy, factsOf } from '../../policy/types';
import { OutgoingHeaders } from '../../lang/javascript/outgoing-headers';
import type { LibraryModel } from '../../replay/library-model';

/** The Vary line App Router responses start with (app-render's RSC cache keys). */
export const NEXT_BASE_VARY =
  'rsc, next-router-state-tree, next-router-prefetch, next-router-segment-prefetch';

/** The methods a route module can export (next/dist/server/web/http.js). */
export const NEXT_HTTP_METHODS = ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'DELETE', 'PATCH'];

/**
 * The route assumed behind a middleware or `next.config` policy (whose file does not say which
 * route answers): every method but OPTIONS exported, answering 200 with text and no CORS headers.
 */
const ASSUMED_HANDLERS: NextHandler[] = NEXT_HTTP_METHODS.filter(
  (m) => m !== 'OPTIONS' && m !== 'HEAD',
).map((method) => ({
  method,
  span: { file: '', start: 0, end: 0 },
  response: { status: 200, headers: [], body: 'text' },
}));

const header = firstValue;

/** `sendResponse`: only headers that may repeat are appended over ones already set. */
function copyResponseHeaders(out: OutgoingHeaders, headers: HeaderList): void {
  for (const [name, value] of headers) {
    if (
      ['set-cookie', 'www-authenticate', 'proxy-authenticate', 'vary'].includes(name) ||
      !out.has(name)
    )
      out.append(name, value);
  }
}

/** The npm `compression` middleware's `vary(res, 'Accept-Encoding')` for a compressible body. */
function addAcceptEncoding(out: OutgoingHeaders): void {
  const current = (out.get('vary') ?? []).join(', ');
  const fields = current.split(',').map((f) => f.trim().toLowerCase());
  if (fields.includes('*') || fields.includes('accept-encoding')) return;
  out.set('Vary', current ? `${current}, Accept-Encoding` : 'Accept-Encoding');
}

/** A next.config `source` (its `:id(\\d+)` parts are the user's regex) in linear time. */
function pathMatches(regex: string, path: string): boolean {
  return regexMatches(regex, 'js', '', path);
}

/** The handler that runs for a method, Next's automatic OPTIONS answer, or undefined for a 405. */
function routeResponse(
  handlers: NextHandler[],
  method: string,
): WebResponseShape | 'auto-options' | undefined {
  const exported = (m: string) => handlers.find((h) => h.method === m);
  const handler = exported(method) ?? (method === 'HEAD' ? exported('GET') : undefined);
  if (handler) return handler.response;
  return method === 'OPTIONS' ? 'auto-options' : undefined;
}

/** `Allow` of the automatic OPTIONS answer. */
function allowHeader(handlers: NextHandler[]): string {
  const methods = new Set(['OPTIONS', ...handlers.map((h) => h.method)]);
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort().join(', ');
}

function respondNext(facts: NextjsFacts, request: HttpRequest): HttpResponse {
  const path = request.path.replace(/[?#].*$/s, '');
  const method = request.method.toUpperCase();
  const origin = header(request.headers, 'origin');
  const out = new OutgoingHeaders();

  // A route (or a lib helper, for the routes using it) holds only the layers covering its path.
  const own = facts.kind === 'route' || facts.kind === 'helper';
  const covers = (regex: string) => own || pathMatches(regex, path);
  for (const entry of facts.config) {
    if (covers(entry.regex)) for (const h of entry.headers) out.set(h.key, h.value);
  }
  const mw = facts.unloaded ? undefined : facts.middleware;
  if (mw && (mw.matchers.length === 0 || mw.matchers.some(covers))) {
    const answers = mw.answers;
    if (answers && (answers.methods.length === 0 || answers.methods.includes(method))) {
      copyResponseHeaders(out, webHeaders(answers.response.headers, origin));
      return { status: answers.response.status, headers: out.lines() };
    }
    for (const [name, value] of webHeaders(mw.passThrough, origin)) out.set(name, value);
  }

  const handlers = own ? facts.handlers : ASSUMED_HANDLERS;
  const response = routeResponse(handlers, method);
  out.set('vary', NEXT_BASE_VARY);
  if (response === undefined) return { status: 405, headers: out.lines() };
  if (response === 'auto-options') {
    copyResponseHeaders(out, [['allow', allowHeader(handlers)]]);
    return { status: 204, headers: out.lines() };
  }
  const refused =
    response.refusal && (origin === undefined || !response.refusal.allowlist.includes(origin));
  const sent = refused ? response.refusal!.response : response;
  copyResponseHeaders(out, webHeaders(sent.headers, origin));
  if (sent.body === 'json' || sent.body === 'text') addAcceptEncoding(out);
  return { status: sent.status, headers: out.lines() };
}

/**
 * Next.js 16.4 route handlers, middleware and `next.config` headers, as a {@link LibraryModel}.
 * Assumptions: the Node runtime with `compress` on (the default); a handler's headers are
 * predicted when the extractor resolved them (a dynamic value is left out); a middleware or
 * `next.config` policy has the route of `ASSUMED_HANDLERS` behind it.
 */
export const nextjsModel: LibraryModel = {
  library: 'next 16.4',
  respond(policy: Policy, request: HttpRequest): HttpResponse {
    const facts = factsOf(policy, 'nextjs');
    if (!facts) return { status: 200, headers: [] };
    return respondNext(facts, request);
  },
};
