/**
 * aiohttp_cors's configuration as the library holds it: origin-keyed `ResourceOptions` (the
 * `setup(defaults=...)` mapping, a resource's and a route's own mapping) and the routes that
 * `cors.add` enabled. The neutral policy only sums these up; the model reads them.
 */
import type { Span } from '../../policy/types';

/** One `ResourceOptions(...)` (or options dict), normalised as its `__new__` does. */
export interface AiohttpOptions {
  credentials: boolean;
  /** `'*'`: every response header the handler set, but the simple ones. */
  expose: '*' | string[];
  /** Upper-cased, as the library compares them; `'*'` allows any. */
  headers: '*' | string[];
  maxAge: number | null;
  /** `null`: not given (only routes added to CORS take preflights); upper-cased. */
  methods: null | '*' | string[];
  /** A value the extractor could not read: the model treats the option as its default. */
  dynamic: boolean;
  /** The `ResourceOptions(...)` call or dict; `argumentList` is where a fix adds a keyword. */
  at: Span;
  argumentList?: Span;
  /** Each keyword as written (`allow_headers=...`): the whole argument and its value. */
  written: Partial<
    Record<
      'allow_credentials' | 'expose_headers' | 'allow_headers' | 'max_age' | 'allow_methods',
      { at: Span; value: Span }
    >
  >;
}

/** One `origin: options` entry of a config mapping, in the mapping's order. */
export interface AiohttpEntry {
  origin: string;
  options: AiohttpOptions;
  /** The key as written (a string literal, or the comprehension's target). */
  keyAt: Span;
  /** The whole `key: value` pair. */
  entryAt: Span;
}

/** A config mapping: its entries, and where its literal is (a fix edits it). */
export interface AiohttpConfig {
  entries: AiohttpEntry[];
  /** Some keys could not be read (a comprehension over a name, a `**` splat). */
  dynamic: boolean;
  /** The `{...}` literal, when the mapping is one. */
  dict?: Span;
  /** A comprehension's iterable list literal (`for origin in [...]`), when it is one. */
  iterable?: Span;
}

/** A resource of the app's router (one path), as far as the file shows it. */
export interface AiohttpResource {
  /** The path as a regex that must match the whole request path. */
  regex: string;
  sample: string;
  /** The methods routed on it (exactly as registered, upper-case; GET brings HEAD). */
  methods: string[];
  /** `cors.add` was called for it (or one of its routes): the resource's own default config. */
  cors?: AiohttpConfig;
  /** Per-method configs from `cors.add(route, config)`. */
  methodConfig: Record<string, AiohttpConfig>;
}

export interface AiohttpCorsFacts {
  defaults: AiohttpConfig;
  /** The app's resources the file registers (in order). */
  resources: AiohttpResource[];
  /** Routes the file cannot list (a loop over names, routes from other modules): every path may be routed. */
  routesUnknown: boolean;
  /** `for route in app.router.routes(): cors.add(route[, config])`: every route is CORS-enabled, with that config. */
  everyRoute?: AiohttpConfig;
}

declare module '../../policy/types' {
  interface FrameworkFactsMap {
    'aiohttp-cors': AiohttpCorsFacts;
  }
}
