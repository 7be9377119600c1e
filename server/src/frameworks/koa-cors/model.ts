/**
 * What a Koa 3.3 app sends with `@koa/cors` 5.0.0 (or kcors 2.2.2, or koa2-cors 2.0.6: see
 * `KoaLibraryFacts.variant`), or with a hand-written `(ctx, next)` middleware: a reading of
 * `@koa/cors/index.js`, Koa's `response.set`/`vary` and its error handler, checked against the
 * real packages by test/truth/koa-cors.test.ts.
 *
 * `@koa/cors` always adds `Vary: Origin` first; an OPTIONS request without
 * Access-Control-Request-Method is handed on untouched; `'*'` with credentials becomes the
 * request Origin (`''` when there is none, sent as an empty header). A hand-written
 * `ctx.set(name, ctx.headers.origin)` throws when the request has no Origin (Node refuses an
 * `undefined` header value), and Koa answers 500 with every header removed.
 *
 * Assumptions, because the model sees the file and not the running app: the middleware runs
 * before the code that answers; every path answers 200 unless the module defines `@koa/router`
 * routes (then a path with no route gets Koa's 404); an origin function the extractor could not
 * read allows only what it could read; a `credentials` function is read as false.
 */
import type { HeaderList, HttpRequest, HttpResponse } from '../../fetch/types';
import {
  requestHeader,
  setHeader,
  varyHeader as vary,
} from '../../lang/javascript/cors-package/respond';
import { routeAnswers } from '../../lang/javascript/route-calls';
import { type Policy, factsOf } from '../../policy/types';
import type { LibraryModel } from '../../replay/library-model';
import type { KoaCorsFacts, KoaHandsetFacts, KoaLibraryFacts } from './facts';

/** The status once the middleware hands on. */
function routeStatus(facts: KoaCorsFacts, method: string, pathname: string): number {
  if (!facts.routes) return 200;
  return facts.routes.some((r) => routeAnswers(r, method, pathname)) ? 200 : 404;
}

/** The facts a policy without Koa facts stands for: `app.use(cors(options))`. */
function defaultFacts(policy: Policy): KoaCorsFacts {
  const span = { file: policy.file, start: 0, end: 0 };
  return {
    kind: 'library',
    origin:
      policy.origins.allowAll || policy.origins.reflectAny
        ? { kind: 'fixed', value: '*' }
        : { kind: 'function', reflect: false },
    allowMethods: policy.methods.names.join(','),
    allowHeaders: policy.headers.names.join(',') || undefined,
    exposeHeaders: policy.expose.names.join(',') || undefined,
    maxAge: typeof policy.maxAge === 'number' && policy.maxAge ? String(policy.maxAge) : undefined,
    secureContext: false,
    privateNetworkAccess: policy.allowPrivateNetwork,
    call: span,
  };
}

/** The Access-Control-Allow-Origin a library middleware picks; `''`: it hands on without CORS. */
function libraryOrigin(policy: Policy, facts: KoaLibraryFacts, requestOrigin: string): string {
  if (facts.origin.kind === 'function') {
    const listed = policy.origins.exact.some((o) => o.value === requestOrigin);
    return (facts.origin.reflect || listed) && requestOrigin
      ? requestOrigin
      : (facts.origin.missing ?? '');
  }
  if (!facts.variant) return facts.origin.value || '*';
  return facts.origin.value || requestOrigin || (facts.variant === 'koa2-cors' ? '*' : '');
}

/** koa2-cors' middleware, once it has an origin: see `KoaLibraryFacts.variant`. */
function koa2Cors(
  policy: Policy,
  facts: KoaLibraryFacts,
  request: HttpRequest,
  headers: HeaderList,
  origin: string,
): HttpResponse | 'next' {
  const credentials = policy.credentials === true;
  setHeader(headers, 'Access-Control-Allow-Origin', origin);
  if (request.method !== 'OPTIONS') {
    if (credentials && origin !== '*')
      setHeader(headers, 'Access-Control-Allow-Credentials', 'true');
    if (facts.exposeHeaders)
      setHeader(headers, 'Access-Control-Expose-Headers', facts.exposeHeaders);
    return 'next';
  }
  if (!requestHeader(request.headers, 'Access-Control-Request-Method')) return 'next';
  if (facts.maxAge) setHeader(headers, 'Access-Control-Max-Age', facts.maxAge);
  if (credentials) setHeader(headers, 'Access-Control-Allow-Credentials', 'true');
  if (facts.allowMethods) setHeader(headers, 'Access-Control-Allow-Methods', facts.allowMethods);
  // Sent even when the preflight asks for no header: an empty value.
  const requested = requestHeader(request.headers, 'Access-Control-Request-Headers') ?? '';
  setHeader(headers, 'Access-Control-Allow-Headers', facts.allowHeaders || requested);
  return { status: 204, headers };
}

/** `@koa/cors`'s middleware (or a variant's): the response, or `next` when it hands on. */
function library(
  policy: Policy,
  facts: KoaLibraryFacts,
  request: HttpRequest,
  headers: HeaderList,
): HttpResponse | 'next' {
  const requestOrigin = requestHeader(request.headers, 'Origin') ?? '';
  vary(headers, 'Origin');
  if (facts.variant === 'kcors' && !requestOrigin) return 'next';
  let origin = libraryOrigin(policy, facts, requestOrigin);
  if (!origin) return 'next';
  if (facts.variant === 'koa2-cors') return koa2Cors(policy, facts, request, headers, origin);
  const credentials = policy.credentials === true;
  if (credentials && origin === '*' && !facts.variant) origin = requestOrigin;
  if (request.method !== 'OPTIONS') {
    setHeader(headers, 'Access-Control-Allow-Origin', origin);
    if (credentials) setHeader(headers, 'Access-Control-Allow-Credentials', 'true');
    if (facts.exposeHeaders)
      setHeader(headers, 'Access-Control-Expose-Headers', facts.exposeHeaders);
    if (facts.secureContext) {
      setHeader(headers, 'Cross-Origin-Opener-Policy', 'same-origin');
      setHeader(headers, 'Cross-Origin-Embedder-Policy', 'require-corp');
    }
    return 'next';
  }
  if (!requestHeader(request.headers, 'Access-Control-Request-Method')) return 'next';
  setHeader(headers, 'Access-Control-Allow-Origin', origin);
  if (credentials) setHeader(headers, 'Access-Control-Allow-Credentials', 'true');
  if (facts.maxAge) setHeader(headers, 'Access-Control-Max-Age', facts.maxAge);
  if (
    facts.privateNetworkAccess &&
    requestHeader(request.headers, 'Access-Control-Request-Private-Network')
  )
    setHeader(headers, 'Access-Control-Allow-Private-Network', 'true');
  if (facts.allowMethods) setHeader(headers, 'Access-Control-Allow-Methods', facts.allowMethods);
  if (facts.secureContext) {
    setHeader(headers, 'Cross-Origin-Opener-Policy', 'same-origin');
    setHeader(headers, 'Cross-Origin-Embedder-Policy', 'require-corp');
  }
  const allowHeaders =
    facts.allowHeaders || requestHeader(request.headers, 'Access-Control-Request-Headers');
  if (allowHeaders) setHeader(headers, 'Access-Control-Allow-Headers', allowHeaders);
  return { status: 204, headers };
}

/** A hand-written middleware's steps, replayed. */
function handset(
  facts: KoaHandsetFacts,
  request: HttpRequest,
  headers: HeaderList,
): HttpResponse | 'next' {
  const origin = requestHeader(request.headers, 'Origin');
  for (const step of facts.steps) {
    if (step.kind === 'preflight') {
      if (request.method !== 'OPTIONS') continue;
      for (const write of step.writes)
        if (write.value.kind === 'literal') setHeader(headers, write.name, write.value.value);
      return { status: step.status, headers };
    }
    if (step.kind === 'vary') {
      vary(headers, step.name);
      continue;
    }
    const value = step.value;
    if (value.kind === 'dynamic' || (step.configured && origin === undefined)) continue;
    if (step.whenOrigin && !origin) continue;
    if (value.kind === 'literal') setHeader(headers, step.name, value.value);
    else {
      const read = value.read === 'get' ? (origin ?? '') : origin;
      const fallback = value.fallback;
      if (fallback && (fallback.nullish ? read === undefined : !read))
        setHeader(headers, step.name, fallback.value);
      // `ctx.headers.origin` is undefined without an Origin: `setHeader` throws, Koa answers 500 bare.
      else if (read === undefined) return { status: 500, headers: [] };
      else setHeader(headers, step.name, read);
    }
  }
  return 'next';
}

/** Koa with `@koa/cors` or hand-set headers, as a {@link LibraryModel}. */
export const koaCors: LibraryModel = {
  library: '@koa/cors 5.0.0 (Koa 3.3)',
  respond(policy: Policy, request: HttpRequest): HttpResponse {
    const facts = factsOf(policy, 'koa-cors') ?? defaultFacts(policy);
    const headers: HeaderList = [];
    const outcome =
      facts.kind === 'library'
        ? library(policy, facts, request, headers)
        : handset(facts, request, headers);
    if (outcome !== 'next') return outcome;
    return {
      status: routeStatus(
        facts,
        request.method.toUpperCase(),
        request.path.replace(/[?#].*$/s, ''),
      ),
      headers,
    };
  },
};
