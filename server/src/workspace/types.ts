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
  /** The explicit ones alone (none: the code does not say, and any port may reach it). */
  listens?: number[];
}

/**
 * A frontend call whose target changes between the development and the production build: a dev
 * proxy makes it same-origin in development, or it calls the local API directly
 * (`http://localhost:8000` from `.env.development`); built for production (its base URL from
 * `.env.production`) it goes cross-origin to the production API.
 */
export interface ProxiedCall {
  /** The call, with the URL of the production build. */
  call: FrontendCall;
  /** The proxy that forwards it in development (absent for a direct call). */
  proxy?: DevProxy;
  /** A direct call: the same call as the development build makes it, to the local API. */
  development?: FrontendCall;
  /** The page's origin in development (the dev server's), when known. */
  devOrigin?: string;
  /** The origins the production frontend is served from, as the project's files name them. */
  productionOrigins: string[];
}

/** Facts about the whole workspace that cross-file checks read. */
export interface WorkspaceFacts {
  /** Every frontend call found in the workspace's JS/TS files. */
  calls: FrontendCall[];
  /** Calls that change target between development and production (a dev proxy, a local API). */
  proxied?: ProxiedCall[];
  /** Every app file with a CORS policy (not nginx), for checks on a proxy in front of it. */
  apps?: WorkspaceApp[];
  /** The files searched for how they authenticate (cookies, headers), and what was found. */
  auth?: AuthSigns;
}

/** One sign of a way of authenticating in a workspace file, with its file's project root. */
export interface AuthSignAt {
  file: string;
  root: string;
  span: Span;
  sign: string;
  /** The request header the credential is read from, when the code names one. */
  header?: string;
  /** A framework's default (Django's Lax session cookie), not a value the code writes. */
  byDefault?: true;
}

/**
 * How the workspace's files authenticate, in the languages that have a reader of its signs
 * (`lang/python/auth-signs.ts`, `lang/javascript/auth-signs.ts`): a credentialed allow-all or echo
 * is lowered when the policy's project was searched, authenticates by a header its scripts add,
 * and shows no cookie (nothing a browser would attach to a cross-site request on its own).
 */
export interface AuthSigns {
  /** Each searched file's project root. */
  searched: Record<string, string>;
  /** The first sign of cookie auth in each file that has one. */
  cookies: AuthSignAt[];
  /** The first sign of header auth (bearer token, API key) in each file that has one. */
  headers: AuthSignAt[];
  /** The first read of a request header named for a key or token, in each file that has one. */
  keyHeaders?: AuthSignAt[];
  /** The first word of signing users in, in each file that has one (see lang/auth-signs.ts). */
  anyAuth?: AuthSignAt[];
  /** The first cookie written SameSite=Lax or Strict, in each file that has one. */
  sameSite?: AuthSignAt[];
  /** The first cookie written SameSite=None, in each file that has one. */
  sameSiteNone?: AuthSignAt[];
}
