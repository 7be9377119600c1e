/**
 * What a Hono app says beyond the neutral policy: with `hono/cors`, how the `origin` option
 * decides and the option strings the middleware sends as they are; with a hand-written
 * `(c, next)` middleware, its header writes, tests and answers as steps; and for both, the path
 * the middleware is mounted on and the app's routes (so the model knows a 404 from a 200).
 */
import type { RoutePath } from '../../lang/javascript/route-calls';
import type { Span } from '../../policy/types';

/** How `origin` decides. */
export type HonoOriginMode =
  /** `'*'` (the default): `Access-Control-Allow-Origin: *` for every request, no `Vary`. */
  | { kind: 'any' }
  /** A string or array: the request Origin is echoed when it is one of the policy's exact origins. */
  | { kind: 'list' }
  /**
   * A function: it echoes every origin (`reflect`), or what it does is not known statically.
   * `missingAny`: it returns `'*'` for the empty Origin of a request without one (`origin || '*'`);
   * `'absent'`: only where the header is absent (`c.req.header('origin') ?? '*'`: an empty one is
   * returned as it is, and no header goes out).
   */
  | { kind: 'function'; reflect: boolean; missingAny?: true | 'absent' };

/** One route of the app (`app.get('/api/items', ...)`): upper-case methods or `all`. */
export interface HonoRoute {
  methods: string[] | 'all';
  path: RoutePath;
}

/** `hono/cors` as the middleware holds its options. */
export interface HonoLibraryFacts {
  kind: 'library';
  origin: HonoOriginMode;
  /** `allowMethods` joined with `,` as sent. */
  allowMethods: string;
  allowHeaders?: string;
  exposeHeaders?: string;
  maxAge?: string;
  /** The options object literal (for fixes that add an entry); unset for `cors()`. */
  options?: Span;
  /** The `cors(...)` call. */
  call: Span;
  /** The `origin` entry (or what stands for it) in an imported options module, which fixes edit. */
  originEntry?: Span;
}

/**
 * A header value a hand-written middleware computes: `c.req.header('origin')` is undefined
 * without an Origin (then the literal after `??`, or after `||` which also replaces an empty
 * one); `undefined` makes `c.header` delete the header.
 */
export type HonoValue =
  | { kind: 'literal'; value: string }
  | { kind: 'origin'; fallback?: { value: string; whenEmpty: boolean } }
  | { kind: 'undefined' }
  | { kind: 'dynamic' };

/** `c.header(name, value)` (`{ append: true }` appends), with where fixes write. */
export interface HonoWrite {
  kind: 'header';
  name: string;
  value: HonoValue;
  append: boolean;
  /** The call, and its value argument (the branch of a `cond ? a : b` value). */
  span: Span;
  valueSpan: Span;
  /** The statement holding the call when it stands alone, with its indent (fixes add a line after it). */
  statement?: Span;
  indent: string;
  /** The context as written (`c`). */
  receiver: string;
}

/** A test the middleware makes. */
export type HonoCondition =
  /** `c.req.method === 'OPTIONS'`: the method as sent. */
  | { kind: 'method'; methods: string[] }
  /** `if (origin)`: an Origin header that is not empty. */
  | { kind: 'origin-present' }
  /** `ALLOWED.includes(origin)`, `origin === '...'`: the literal list, and the array literal. */
  | { kind: 'origin-in'; values: string[]; spans: Span[]; list?: Span }
  | { kind: 'not'; inner: HonoCondition }
  | { kind: 'and' | 'or'; parts: HonoCondition[] }
  /** Not read; `origin`: it reads the Origin (it may be an allowlist test). */
  | { kind: 'unknown'; origin?: boolean };

/** A response a middleware returns. */
export interface HonoEnd {
  kind: 'end';
  /** The status it gives; undefined: `c.status(n)`'s, else 200. */
  status?: number;
  /**
   * `new Response(...)`: only its own headers are sent (what `c.header` prepared is dropped);
   * `c.body/text/json/newResponse`: its headers over the prepared ones.
   */
  raw: boolean;
  headers: { name: string; value: HonoValue }[];
  span: Span;
}

/** One step of a hand-written middleware, in order. */
export type HonoStep =
  | HonoWrite
  | { kind: 'status'; status: number }
  | { kind: 'if'; test: HonoCondition; then: HonoStep[]; otherwise: HonoStep[]; span: Span }
  | HonoEnd
  /**
   * `await next()` (the route answers, what follows writes on its answer) or `return next()`
   * (`ends`: the middleware is done).
   */
  | { kind: 'next'; ends: boolean; span: Span };

export interface HonoHandsetFacts {
  kind: 'handset';
  steps: HonoStep[];
}

export type HonoCorsFacts = (HonoLibraryFacts | HonoHandsetFacts) & {
  /** The path of the `app.use(path, ...)` that mounts the middleware. */
  mount: RoutePath;
  /** The app's routes; undefined when the module registers none (every path is assumed to answer). */
  routes?: HonoRoute[];
};

declare module '../../policy/types' {
  interface FrameworkFactsMap {
    'hono-cors': HonoCorsFacts;
  }
}
