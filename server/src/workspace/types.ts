import type { HeaderList } from '../fetch/types';
import type { Policy, Span } from '../policy/types';
import type { DevProxy } from './dev-proxy';

/** One cross-origin call a frontend file makes (`fetch`, axios, XMLHttpRequest), as far as it is known statically. */
export interface FrontendCall {
  /** The call expression (`xhr.open(...)` for XMLHttpRequest). */
  span: Span;
  client: 'fetch' | 'axios' | 'XMLHttpRequest';
  /** The absolute URL it targets (base URL resolved, environment defaults included). */
  url: string;
  method: string;
  /** Request headers it sets; values are the literal when known, else a placeholder. */
  headers: HeaderList;
  credentials: 'omit' | 'same-origin' | 'include';
  /** The origin of the page that makes it: its project's dev server, when known (Vite: 5173). */
  pageOrigin?: string;
}

/**
 * One app file of the workspace that sets up CORS (Django settings, an Express server, ...), for
 * nginx in front of it.
 */
export interface WorkspaceApp {
  file: string;
  framework: Policy['framework'];
  /** The file's policies, in the order `policyForPath` picks among them. */
  policies: Policy[];
  /**
   * Ports the app listens on: explicit ones in its code (`app.listen(4000)`, `app.run(port=5001)`,
   * `uvicorn.run(app, port=8001)`), else the framework's usual dev port.
   */
  ports: number[];
}

/**
 * A frontend call that a dev proxy makes same-origin in development and that goes cross-origin
 * in the production build (its base URL from `.env.production`).
 */
export interface ProxiedCall {
  /** The call, with the URL of the production build. */
  call: FrontendCall;
  /** The proxy that forwards it in development. */
  proxy: DevProxy;
  /** The page's origin in development (the dev server's), when known. */
  devOrigin?: string;
  /** The origins the production frontend is served from, as the project's files name them. */
  productionOrigins: string[];
}

/** Facts about the whole workspace that cross-file checks read. */
export interface WorkspaceFacts {
  /** Every frontend call found in the workspace's JS/TS files. */
  calls: FrontendCall[];
  /** Calls that are same-origin through a dev proxy and cross-origin in production. */
  proxied?: ProxiedCall[];
  /** Every app file with a CORS policy (not nginx), for checks on a proxy in front of it. */
  apps?: WorkspaceApp[];
}
