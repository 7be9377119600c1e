/**
 * What a Falcon app's `CORSMiddleware` says beyond the neutral policy: its two origin arguments
 * as Falcon holds them (`'*'` or a set), and the app's routes, whose resources' responders make
 * the preflight's Access-Control-Allow-Methods (Falcon moves its `Allow` header there).
 */

/** `allow_origins` / `allow_credentials`: `'*'` (every origin), a set, or not readable. */
export type FalconOrigins =
  { kind: 'any' } | { kind: 'list'; values: string[] } | { kind: 'dynamic' };

/** One `app.add_route(template, resource)`: the methods its resource answers, when read. */
export interface FalconRoute {
  template: string;
  /** Upper-case methods of the resource's `on_<method>` responders, sorted as Falcon sorts them. */
  methods?: string[];
}

export interface FalconFacts {
  origins: FalconOrigins;
  /** `allow_credentials`; `{ kind: 'list', values: [] }` for None (the default). */
  credentials: FalconOrigins;
  /** `expose_headers` joined as Falcon sends it, when given. */
  expose?: string;
  /** The app's routes; none read means every path is taken for a route (see the model). */
  routes: FalconRoute[];
}

declare module '../../policy/types' {
  interface FrameworkFactsMap {
    falcon: FalconFacts;
  }
}
