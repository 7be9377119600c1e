/**
 * What a Koa app says beyond the neutral policy: the `@koa/cors` options as the middleware reads
 * them, or the header writes of a hand-written `(ctx, next)` middleware, and the app's routes.
 */
import type { RoutePath } from '../../lang/javascript/route-calls';
import type { Span } from '../../policy/types';

/** How `@koa/cors` picks Access-Control-Allow-Origin. */
export type KoaOriginMode =
  /** A string (`'*'` when unset): sent as is; `'*'` with credentials becomes the request Origin. */
  | { kind: 'fixed'; value: string }
  /**
   * A function: it returns the request Origin (`reflect`), or what it does is not known statically.
   * `missing`: what it returns for a request without one (`ctx.get('Origin') || '*'`).
   */
  | { kind: 'function'; reflect: boolean; missing?: string };

/** The packages read as `@koa/cors` with a difference: see `KoaLibraryFacts.variant`. */
export type KoaVariant = 'kcors' | 'koa2-cors';

/** `@koa/cors` 5 options as the middleware holds them after its constructor. */
export interface KoaLibraryFacts {
  kind: 'library';
  origin: KoaOriginMode;
  allowMethods?: string;
  allowHeaders?: string;
  exposeHeaders?: string;
  maxAge?: string;
  secureContext: boolean;
  privateNetworkAccess: boolean;
  /** The options object literal, when it is one. */
  options?: Span;
  /** The `cors(...)` call. */
  call: Span;
  /**
   * Another package with the same options (unset: `@koa/cors` 5). Both echo the request's Origin
   * when `origin` is unset whatever the credentials, keep `'*'` with credentials, and have no
   * `secureContext` or `privateNetworkAccess`. Read from their sources and checked against them by
   * the truth suite:
   * - `kcors` 2.2.2, `@koa/cors` before the rename: a request without Origin is handed on (after
   *   `Vary`).
   * - `koa2-cors` 2.0.6, a separate package: a request without Origin gets `*`; the origin is set
   *   before the method is looked at, so an OPTIONS without Access-Control-Request-Method carries
   *   it too; a preflight always sends its methods (OPTIONS and HEAD among the defaults) and the
   *   credentials flag, echoes the requested headers even when none were asked (an empty header);
   *   an actual request with `*` drops the credentials flag.
   */
  variant?: KoaVariant;
  /** The `origin` entry (or what stands for it) in an imported options module, which fixes edit. */
  originEntry?: Span;
}

/** A header value a hand-written middleware computes. */
export type KoaValue =
  | { kind: 'literal'; value: string }
  /**
   * The request's Origin, read with `ctx.get` (`''` when missing) or from the headers object
   * (`undefined`), and the literal after `||` (any falsy read) or `??` (a missing one), if any.
   */
  | { kind: 'origin'; read: 'get' | 'header'; fallback?: { value: string; nullish: boolean } }
  | { kind: 'dynamic' };

/** One header write of a hand-written middleware, with where its statement is (fixes add a line after it). */
export interface KoaWrite {
  kind: 'set';
  name: string;
  value: KoaValue;
  span: Span;
  /** The value argument (fixes replace an echoed origin with an allowlist test). */
  valueSpan?: Span;
  statement: Span;
  indent: string;
  /** `ctx` or `ctx.response`, as written. */
  receiver: string;
  /**
   * Written under a test of the Origin against a list read at run time (`if
   * (ALLOWED.includes(origin))`): it runs for the operator's frontends, so it is replayed for any
   * request with an Origin.
   */
  configured?: boolean;
  /** Written under a test that the request has an Origin (`if (ctx.get('Origin'))`): replayed only then. */
  whenOrigin?: boolean;
}

/** One step of a hand-written middleware, in order. */
export type KoaStep =
  /** `ctx.set(name, value)` / `ctx.response.set(...)`. */
  | KoaWrite
  /** `ctx.vary(name)`. */
  | (Omit<KoaWrite, 'kind'> & { kind: 'vary' })
  /** `if (ctx.method === 'OPTIONS') { ctx.status = 204; return; }`: the preflight answer. */
  | { kind: 'preflight'; status: number; span: Span; writes: KoaWrite[] };

export interface KoaHandsetFacts {
  kind: 'handset';
  steps: KoaStep[];
}

/** One route of an `@koa/router` router. */
export interface KoaRoute {
  methods: string[] | 'all';
  path: RoutePath;
}

export type KoaCorsFacts = (KoaLibraryFacts | KoaHandsetFacts) & {
  /** The router's routes; undefined when the module has none (every path is assumed to answer 200). */
  routes?: KoaRoute[];
};

declare module '../../policy/types' {
  interface FrameworkFactsMap {
    'koa-cors': KoaCorsFacts;
  }
}
