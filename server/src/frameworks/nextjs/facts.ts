/**
 * What a Next.js app does with CORS headers, as steps the Next.js model replays: the
 * `next.config` `headers()` entries, the middleware (`middleware.ts` / Next 16's `proxy.ts`) and
 * the App Router route handlers (`app/**\/route.ts`) of one path.
 */
import type { Span } from '../../policy/types';
import type { WebHeader, WebResponseShape } from '../../lang/javascript/response-shape';

/** One exported route handler (`export async function GET(...)`). */
export interface NextHandler {
  method: string;
  span: Span;
  response: WebResponseShape;
}

/** A middleware (or proxy) function and the paths its `matcher` covers. */
export interface NextMiddleware {
  file: string;
  /** JS regexes of the paths the middleware runs for (from `config.matcher`); empty: every path. */
  matchers: string[];
  /** Headers it sets on `NextResponse.next()` for the request to go on to the route. */
  passThrough: WebHeader[];
  /**
   * The response it returns itself, and for which methods (`request.method === 'OPTIONS'`);
   * `methods` empty: for every request.
   */
  answers?: { methods: string[]; response: WebResponseShape };
  span: Span;
}

/** One `headers()` entry of `next.config.*`. */
export interface NextConfigEntry {
  /** The `source` as written (`/api/:path*`). */
  source: string;
  /** The JS regex Next compiles `source` to (anchored). */
  regex: string;
  headers: { key: string; value: string; span: Span; valueSpan: Span }[];
  span: Span;
}

/** The Next.js layers that answer the paths a policy covers. */
export interface NextjsFacts {
  /**
   * Which file the policy was built for. A `helper` module (`lib/cors.ts`) is modelled as a route
   * answering every method (the preflight with 204) with the headers it hands out.
   */
  kind: 'route' | 'middleware' | 'config' | 'helper';
  /** A route file's URL path, Next-style (`/api/items/[id]`). */
  routePath?: string;
  /** Exported handlers of the route file (route policies only). */
  handlers: NextHandler[];
  middleware?: NextMiddleware;
  /** `next.config` `headers()` entries that set Access-Control-* headers on these paths. */
  config: NextConfigEntry[];
  /**
   * A middleware Next never loads (`middleware-place.ts`): not `middleware`/`proxy` in the
   * folder above `app`/`pages` (`rootDir`), nor imported by the file there. Its headers are never
   * sent; the model answers as if it were not written.
   */
  unloaded?: { rootDir: string };
}

declare module '../../policy/types' {
  interface FrameworkFactsMap {
    nextjs: NextjsFacts;
  }
}
