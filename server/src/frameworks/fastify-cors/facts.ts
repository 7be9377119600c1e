/**
 * What a Fastify app with `@fastify/cors` says beyond the neutral policy: how the `origin` option
 * decides, the option strings the plugin sends as they are, the plugin scope it is registered in,
 * and the app's routes (so the model knows a route's 200 from Fastify's 404).
 */
import type { RoutePath } from '../../lang/javascript/route-calls';
import type { Span } from '../../policy/types';

/** How `origin` decides. */
export type FastifyOriginMode =
  /** A string (`'*'` included): sent as is to every request, whatever its Origin; no `Vary`. */
  | { kind: 'fixed'; value: string }
  /** `false`: the plugin does nothing, and its OPTIONS route answers 404. */
  | { kind: 'off' }
  /**
   * `true`, a RegExp, an array, a function: `Vary: Origin` always, and the request Origin echoed
   * when the policy's list lets it in (every present Origin for `true` and reflecting functions).
   * `missingAny`: a function that hands `'*'` on for a request without one (`origin || '*'`).
   */
  | { kind: 'match'; missingAny?: true };

/** One route of the app; `inScope`: registered in the plugin scope the CORS hook runs for. */
export interface FastifyRoute {
  methods: string[] | 'all';
  path: RoutePath;
  inScope: boolean;
}

/**
 * Where the plugin is registered: the root context (directly, or inside an `fp(...)` plugin, whose
 * hooks reach the whole app), or an encapsulated `register(async (instance) => ...)` scope, whose
 * hooks run only for its own routes (and its `OPTIONS *` route, under its `prefix`).
 */
export type FastifyScope = { kind: 'global' } | { kind: 'scoped'; prefix: string };

export interface FastifyCorsFacts {
  origin: FastifyOriginMode;
  /**
   * Handed on by a delegate the plugin asks on every request (one policy per options object it
   * hands on): the plugin then adds `Vary: Origin` whatever `origin` is.
   */
  perRequest?: true;
  /** `methods` as sent (arrays joined with `, `). */
  methods: string;
  /** `allowedHeaders` as sent; undefined (null) echoes Access-Control-Request-Headers. */
  allowedHeaders?: string;
  exposedHeaders?: string;
  maxAge?: string;
  cacheControl?: string;
  preflight: boolean;
  strictPreflight: boolean;
  preflightContinue: boolean;
  optionsSuccessStatus: number;
  scope: FastifyScope;
  /** The app's routes; undefined when the module registers none (every path is assumed to answer). */
  routes?: FastifyRoute[];
  /** The options object literal, when it is one. */
  options?: Span;
  /** The `register(cors, ...)` call. */
  call: Span;
  /** The `origin` entry (or what stands for it) in an imported options module, which fixes edit. */
  originEntry?: Span;
}

declare module '../../policy/types' {
  interface FrameworkFactsMap {
    'fastify-cors': FastifyCorsFacts;
  }
}
