/**
 * What an Express app with the npm `cors` middleware says beyond the neutral policy: how the
 * `cors()` layer is mounted, the options the library reads verbatim, and the app's routes, so the
 * model can answer what the app sends when `cors` stays silent (Express's automatic OPTIONS
 * answer, a 404, an error page).
 */
import type { Policy, Span } from '../../policy/types';
import type { ExpressPath } from '../../lang/javascript/express-path';
import type { CorsOriginMode, CorsPackageOptions } from '../../lang/javascript/cors-package/types';
import type { ExpressRoutes } from './routes';
import type { CorsRouter } from './router-cors';
import type { CorsOptionFields } from '../../lang/javascript/cors-package/options';

/**
 * One layer of the app, in registration order: this policy's `cors()` (mounted with
 * `app.use([path], cors())`, or as a route's own middleware: `app.get(path, cors(), handler)`),
 * or a route whose handler answers (`app.METHOD(path, ...)`, `app.all(...)`).
 */
export interface ExpressLayer {
  kind: 'cors' | 'route';
  /**
   * The app or router it is registered on, as written (`app`, `this.app`); absent for a `cors()`
   * built here and mounted elsewhere.
   */
  receiver?: string;
  /** Upper-case methods; `all` for `app.use` and `app.all`. */
  methods: string[] | 'all';
  path: ExpressPath;
  /** `app.use` matches a path prefix; routes match the whole path. */
  prefix: boolean;
  /** The registering call (`app.use(...)`, `app.get(...)`). */
  span: Span;
  /** The statement holding that call (fixes move it). */
  statement?: Span;
  /** Its place in the app's registration order (a call's `cors()` handlers run before its route). */
  at: number;
  /**
   * The calls it runs through when it is not where it is written (a helper function's call, a
   * class method's call in the constructor), outermost first: a fix moves a statement only
   * beside another that runs through the same calls.
   */
  via?: number[];
  /** A route with a `cors()` among its own handlers: it answers with that one's headers. */
  ownCors?: boolean;
  /**
   * The options of a `cors(...)` the route's handler runs itself (`(req, res) => cors(opts)(req,
   * res)`): on an OPTIONS request it answers as that `cors()` mounted there would.
   */
  runsCors?: CorsOptionFields;
}

/** How the `origin` option decides (the `cors` package's reading, shared in lang/). */
export type ExpressOriginMode = CorsOriginMode;

/** The `cors` 2.8 options of one `cors(...)` options value, where it is mounted, and the app's routes. */
export interface ExpressCorsFacts extends CorsPackageOptions {
  /** This options value's `cors()` layers, in registration order. */
  mounts: ExpressLayer[];
  /** The app's routes: one index shared by every policy of the app. */
  routes: ExpressRoutes;
  /**
   * Routers mounted in this module that carry a `cors()` of their own (read in their modules):
   * an app-wide `cors()` above them answers their preflights first.
   */
  routers?: CorsRouter[];
  /**
   * The app-wide `cors()` layers of the same app registered before this policy's app-wide one (in
   * this module, or in the module the app is imported from): they answer every preflight, but on
   * an actual request both run, and this one's headers replace theirs.
   */
  earlier?: StackedCors[];
  /**
   * The app-wide `cors()` layers of the same app registered after this one in this module: on an
   * actual request they run after it and replace its headers.
   */
  later?: StackedCors[];
  /**
   * The Express major the project runs (package.json, lockfile); absent when they do not say, and
   * the model then matches paths as Express 5 does.
   */
  expressMajor?: number;
}

/** Another app-wide `cors()` of the same app. */
export interface StackedCors {
  policy: Policy;
  /** Its `app.use(cors(...))`. */
  mount: Span;
}

declare module '../../policy/types' {
  interface FrameworkFactsMap {
    'express-cors': ExpressCorsFacts;
  }
}
