/**
 * What a Hono app with `hono/cors` says beyond the neutral policy: how the `origin` option
 * decides, the option strings the middleware sends as they are, the path the middleware is
 * mounted on, and the app's routes (so the model knows a 404 from a 200).
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
   * `missingAny`: it returns `'*'` for the empty Origin of a request without one (`origin || '*'`).
   */
  | { kind: 'function'; reflect: boolean; missingAny?: true };

/** One route of the app (`app.get('/api/items', ...)`): upper-case methods or `all`. */
export interface HonoRoute {
  methods: string[] | 'all';
  path: RoutePath;
}

export interface HonoCorsFacts {
  origin: HonoOriginMode;
  /** `allowMethods` joined with `,` as sent. */
  allowMethods: string;
  allowHeaders?: string;
  exposeHeaders?: string;
  maxAge?: string;
  /** The path of the `app.use(path, cors(...))` that mounts it. */
  mount: RoutePath;
  /** The app's routes; undefined when the module registers none (every path is assumed to answer). */
  routes?: HonoRoute[];
  /** The options object literal (for fixes that add an entry); unset for `cors()`. */
  options?: Span;
  /** The `cors(...)` call. */
  call: Span;
  /** The `origin` entry (or what stands for it) in an imported options module, which fixes edit. */
  originEntry?: Span;
}

declare module '../../policy/types' {
  interface FrameworkFactsMap {
    'hono-cors': HonoCorsFacts;
  }
}
