/**
 * What an Express app with the npm `cors` middleware says beyond the neutral policy: how the
 * `cors()` layer is mounted, the options the library reads verbatim, and the app's routes, so the
 * model can answer what the app sends when `cors` stays silent (Express's automatic OPTIONS
 * answer, a 404, an error page).
 */
import type { Span } from '../../policy/types';
import type { ExpressPath } from '../../lang/javascript/express-path';

/**
 * One layer of the app, in registration order: this policy's `cors()` (mounted with
 * `app.use([path], cors())`, or as a route's own middleware: `app.get(path, cors(), handler)`),
 * or a route whose handler answers (`app.METHOD(path, ...)`, `app.all(...)`).
 */
export interface ExpressLayer {
  kind: 'cors' | 'route';
  /** Upper-case methods; `all` for `app.use` and `app.all`. */
  methods: string[] | 'all';
  path: ExpressPath;
  /** `app.use` matches a path prefix; routes match the whole path. */
  prefix: boolean;
  /** The registering call (`app.use(...)`, `app.get(...)`). */
  span: Span;
  /** The statement holding that call (fixes move it). */
  statement?: Span;
}

/** How the `origin` option decides (after the options are merged with the defaults). */
export type ExpressOriginMode =
  /** `'*'`, unset, or any other falsy-but-present value: `Access-Control-Allow-Origin: *`. */
  | { kind: 'any' }
  /** A non-`*` string: sent as is to every request, whatever its Origin. */
  | { kind: 'fixed'; value: string }
  /** `false`: the middleware does nothing. */
  | { kind: 'off' }
  /**
   * The request Origin is reflected when the list (exact strings and regexes of the neutral
   * policy) matches it, or always for `origin: true`. A function that calls back with `false`
   * skips CORS (`reject: 'skip'`); with an error, Express answers 500 (`reject: 'error'`).
   */
  | { kind: 'match'; reject: 'omit' | 'skip' | 'error'; allowMissing: boolean };

/** The `cors` 2.8 options of one `cors(...)` options value, where it is mounted, and the app's routes. */
export interface ExpressCorsFacts {
  /** The app's layers in order: this options value's `cors()` mounts and every route. */
  stack: ExpressLayer[];
  /** The options object literal (inline or where its `const` is written); unset for `cors()`. */
  options?: Span;
  origin: ExpressOriginMode;
  /** The option values as `cors` sends them (arrays joined with `,`); undefined when unset. */
  methods: string;
  allowedHeaders?: string;
  exposedHeaders?: string;
  maxAge?: string;
  preflightContinue: boolean;
  optionsSuccessStatus: number;
}

declare module '../../policy/types' {
  interface FrameworkFactsMap {
    'express-cors': ExpressCorsFacts;
  }
}
