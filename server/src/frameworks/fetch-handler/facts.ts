/**
 * A fetch handler: a function the platform calls with a `Request` and whose `Response` it sends
 * as it is (a Cloudflare Worker's `fetch`, a service worker's `respondWith`, `Deno.serve`,
 * `Bun.serve`). No framework sits between them, so the headers it writes are all there is.
 */
import type { Span } from '../../policy/types';
import type { PathTest, WebResponseShape } from '../../lang/javascript/response-shape';

/** Which platform runs the handler, as users name it. */
export type FetchRuntime = 'Cloudflare Workers' | 'a service worker' | 'Deno.serve' | 'Bun.serve';

/** One response the handler returns, and the path tests it is returned under. */
export interface FetchRoute {
  paths?: PathTest[];
  response: WebResponseShape;
}

/** What the handler answers a method with. */
export interface FetchAnswer {
  /** The method it tests for (`request.method === 'OPTIONS'`), or `*`: every method it does not. */
  method: string;
  span: Span;
  /** In the order the handler tries them: the first whose path tests pass answers. */
  routes: FetchRoute[];
}

export interface FetchHandlerFacts {
  runtime: FetchRuntime;
  answers: FetchAnswer[];
}

declare module '../../policy/types' {
  interface FrameworkFactsMap {
    'fetch-handler': FetchHandlerFacts;
  }
}
