/**
 * What an nginx configuration says about one `location`, beyond the neutral policy: the rewrite
 * steps a request runs through (server `if`s, then the location's `set`/`if`/`return`), the
 * `add_header` set in effect at each level after nginx's inheritance, the content handler
 * (`return`, `proxy_pass`, static files) and the `map`s. The nginx model replays these.
 */
import type { IncludeSite } from './includers';
import type { SourceRef, Span } from '../../policy/types';

/** One nginx token: its value as nginx reads it (quotes removed, escapes applied), where it is. */
export interface NginxToken {
  value: string;
  span: Span;
  quoted: boolean;
}

/** One `add_header name value [always];`. */
export interface NginxHeader {
  name: string;
  value: NginxToken;
  always: boolean;
  /** The whole directive, `add_header` to `;`. */
  span: Span;
  nameSpan: Span;
}

/** An `add_header` level (http, server, location, `if` in location) and its own directives. */
export interface NginxLevel {
  kind: 'http' | 'server' | 'location' | 'if';
  /** The level's directive (`server`, `location ~ ^/api/`, `if (...)`); the file start for a file's top level. */
  span: Span;
  /** The level's own `add_header` directives; empty means it inherits the enclosing level's. */
  own: NginxHeader[];
  /** What is in effect here: `own` when not empty, else the enclosing level's. */
  effective: NginxHeader[];
  /** The enclosing level's effective set: what `own` replaces. */
  inherited: NginxHeader[];
}

/** An `if (...)` condition, as nginx's rewrite module evaluates it. */
export type NginxCondition =
  | { kind: 'truthy'; variable: string }
  | { kind: 'compare'; variable: string; negate: boolean; value: NginxToken }
  | { kind: 'regex'; variable: string; negate: boolean; caseless: boolean; pattern: NginxToken }
  /** File tests (`-f`) and what we do not read: its outcome is unknown. */
  | { kind: 'dynamic'; text: string };

/** A rewrite-phase step, in the order nginx runs them. */
export type NginxStep =
  | { kind: 'set'; variable: string; value: NginxToken; span: Span }
  | { kind: 'return'; status: number | 'dynamic'; text?: NginxToken; span: Span }
  | { kind: 'if'; condition: NginxCondition; level: NginxLevel; steps: NginxStep[]; span: Span }
  /**
   * `rewrite`, `break` and the like: the request may leave the path we replay. `leaves`: a
   * `rewrite` with no flag or `last` to a local URI, after which nginx looks the location up again.
   */
  | { kind: 'opaque'; span: Span; name: string; leaves?: boolean };

/**
 * The modules whose `X_pass` hands the request to an app that answers with its own headers, which
 * nginx passes on as `proxy_pass` does (minus `X_hide_header`): Django and Flask behind uWSGI,
 * PHP (Laravel, Symfony) behind PHP-FPM.
 */
export const PASSING_MODULES = ['proxy', 'uwsgi', 'fastcgi'] as const;
export type PassingModule = (typeof PASSING_MODULES)[number];

/** Where a location's response comes from when no `return` answers first. */
export type NginxContent =
  | {
      kind: 'proxy';
      /** Which module passes the request on: `proxy_pass`, `uwsgi_pass` or `fastcgi_pass` (handled alike). */
      module: PassingModule;
      target: string;
      span: Span;
      /** proxy_hide_header names in effect (the location's own, else the nearest enclosing level's). */
      hide: string[];
      /** Whether `hide` is the location's own list (a new proxy_hide_header there replaces an inherited list). */
      ownHide: boolean;
      pass: string[];
      /** The server of this configuration that listens where it points, when one does. */
      upstream?: NginxServer;
      /** Where it points (an `upstream` block's first server), when static: host, port and the URI part (`/` in `http://app:8000/`). */
      address?: { host: string; port: number; uri?: string };
    }
  /** `scgi_pass`, `grpc_pass`, ...: an app we do not see. */
  | { kind: 'app'; directive: string; span: Span }
  | {
      kind: 'static';
      /** The location's own `try_files` names as written (the last one is the fallback). */
      tryFiles?: string[];
      /** The `index` names in effect, for a directory's URI. */
      index: string[];
    };

/** One `location` (or a server's own level, for requests no location matches). */
export interface NginxLocation {
  /** `=`, `^~`, `~`, `~*`, `@`, '' (prefix); null for the server's own level. */
  modifier: string | null;
  pattern: string;
  span: Span;
  level: NginxLevel;
  steps: NginxStep[];
  content: NginxContent;
  /** Nested locations, searched when this one matches (nginx matches them within it). */
  locations: NginxLocation[];
  /** `internal;`: a request from outside gets 404 here, only internal redirects are served. */
  internal?: boolean;
}

/** One `server` block. */
export interface NginxServer {
  span: Span;
  /** `listen` addresses as written (`127.0.0.1:8080`, `80`, `[::]:443`). */
  listen: string[];
  /** The `server_name`s as written (`example.com`, `*.example.com`, `~^api\.`, `_`). */
  names: string[];
  /** Whether it serves TLS (a `listen ... ssl`, a 443 listen, `ssl on`). */
  tls: boolean;
  level: NginxLevel;
  steps: NginxStep[];
  locations: NginxLocation[];
  /** The server's own level as a location: what answers when no location matches. */
  fallback: NginxLocation;
}

/** One `map $source $variable { ... }` entry. */
export interface NginxMapEntry {
  kind: 'exact' | 'regex' | 'default';
  /** The key as nginx compares it (regex without its `~`/`~*`). */
  key: string;
  caseless: boolean;
  value: NginxToken;
  /** The key token. */
  keySpan: Span;
  /** The whole entry, key to `;`. */
  span: Span;
}

/** A `map` block. */
export interface NginxMap {
  source: NginxToken;
  variable: string;
  entries: NginxMapEntry[];
  span: Span;
  /** The body `{ ... }`, for fixes that add an entry. */
  body: Span;
}

/** The facts of one location's policy. */
export interface NginxFacts {
  server: NginxServer;
  location: NginxLocation;
  /** Every `map` of the configuration, by the variable it defines. */
  maps: Map<string, NginxMap>;
  /** Every variable a `set` anywhere assigns (nginx knows them everywhere, empty where not set). */
  setVariables: Set<string>;
  /**
   * Levels and headers whose findings this policy reports: a server's `add_header` is in effect
   * in every location, but one policy (the first that sees it) reports it.
   */
  owns: Set<NginxLevel | NginxHeader>;
  /** Where a fix may insert a `map` (before this `server`, inside `http` or a file included there). */
  mapInsertAt: number;
  /**
   * The `return` of an `if ($request_method = OPTIONS)` branch, a preflight answered by hand,
   * when this policy reports it (a server's branch is reported once).
   */
  preflightAt?: Span;
  /**
   * The first `add_header Access-Control-Allow-Origin $variable` this policy reports: where the
   * origin is chosen per request.
   */
  originSetAt?: Span;
  /** For a snippet checked alone: where the project's nginx files include it (see includers.ts). */
  includedIn?: IncludeSite[];
  /** The app behind the proxy_pass that sets CORS in code no extractor reads (unread-upstream.ts). */
  unreadUpstream?: SourceRef;
}

declare module '../../policy/types' {
  interface FrameworkFactsMap {
    nginx: NginxFacts;
  }
}
