/**
 * What a NestJS app's CORS setup says beyond the neutral policy: which HTTP adapter runs it (the
 * Express adapter hands the options to the `cors` 2.8 package, the Fastify adapter to
 * `@fastify/cors`), the options as that library reads them, or the lines a route's
 * `@Header(...)` decorators add.
 */
import type { CorsPackageOptions } from '../../lang/javascript/cors-package/types';
import type { CorsLayerPolicy } from '../../lang/javascript/cors-package/respond';
import type { Span } from '../../policy/types';

/** A CORS layer of an app, as the model replays it (this policy's own among them). */
export interface NestCorsLayer extends CorsLayerPolicy {
  options: CorsPackageOptions;
  /** `@fastify/cors` (`enableCors` or the create options on the Fastify adapter); else `cors` 2.8. */
  fastify?: FastifyCorsFields;
  /** `app.use('/api', cors())`: the path prefix the middleware runs under (absent: every path). */
  mount?: string;
}

/** `@fastify/cors` options as the plugin reads them (lists joined with `, `), beside the `cors`-style reading. */
export interface FastifyCorsFields {
  methods: string;
  allowedHeaders?: string;
  exposedHeaders?: string;
  /** `strictPreflight` (default on): an OPTIONS without Origin or Access-Control-Request-Method gets a 400. */
  strictPreflight: boolean;
  /** `preflight: false` lets OPTIONS through to the routes. */
  preflight: boolean;
}

export type NestCorsFacts =
  /** `app.enableCors(...)` or `NestFactory.create(..., { cors })`. */
  | {
      kind: 'cors';
      adapter: 'express' | 'fastify';
      /**
       * The options as `cors` 2.8 reads them (the Express adapter); the Fastify adapter reads
       * `fastify` beside them.
       */
      options: CorsPackageOptions;
      fastify?: FastifyCorsFields;
      /** The `cors: true` entry of the create options, which fixes turn into an options object. */
      corsTrue?: Span;
      /**
       * A layer of the create options: its `cors` entry and the options object it is in, and
       * whether the module calls the app's `init()` itself (an `enableCors` after that comes
       * after the routes, which answer first: nestEcomm, held-out batch 36).
       */
      created?: { pair: Span; options: Span; initCalled?: true };
      /** `app.use('/api', cors(...))`: the path prefix this middleware runs under. */
      mount?: string;
      /**
       * The app's other CORS layers (`enableCors`, the create options, `app.use(cors(...))`),
       * registered before or after this one: every request meets them all, so each policy of the
       * app answers with the whole stack's lines.
       */
      before?: NestCorsLayer[];
      after?: NestCorsLayer[];
      /**
       * `app.setGlobalPrefix('api')`: Nest's routes answer under `/api` only, other paths get a
       * 404 (CORS middleware still runs for them).
       */
      globalPrefix?: string;
    }
  /** `@Header('Access-Control-...', '...')` decorators on one route handler: sent on its answers. */
  | {
      kind: 'header';
      lines: [string, string][];
      method: Span;
      /** The route's HTTP methods (`@Get` answers GET and HEAD). */ methods: string[] | 'all';
    };

declare module '../../policy/types' {
  interface FrameworkFactsMap {
    nestjs: NestCorsFacts;
  }
}
