/**
 * Flask-CORS options as the library holds them after `serialize_options` (flask_cors/core.py),
 * so the model can replay its string-level quirks (methods matched by substring, sorted lists).
 */
import type { SourceRef, Span } from '../../policy/types';

/** One `origins` / `allow_headers` entry, in the order the library tries them. */
export interface FlaskPattern {
  /** The string after `re_fix` (`*` becomes `.*`). */
  value: string;
  /** A `re.compile(...)` object: `re.match` with its own flags (case-sensitive). */
  compiled: boolean;
}

/** Where one option is written (keyword argument or resource-dict pair) and its value. */
export interface WrittenOption {
  at: Span;
  value: Span;
}

/** What one Flask-CORS resource or `@cross_origin` route is configured with. */
export interface FlaskCorsFacts {
  /** The extension's after_request hook, or a route's decorator (which also answers OPTIONS). */
  via: 'extension' | 'decorator';
  /** The resource pattern after `re_fix`; for a decorator, the route's regex. */
  resource: string;
  /** The resource pattern is matched with `re.match` (it looks like a regex), else by equality. */
  resourceIsRegex: boolean;
  origins: FlaskPattern[];
  allowHeaders: FlaskPattern[];
  /** `methods` as serialised: sorted, upper-cased, `', '`-joined (a string stays as written). */
  methods: string;
  expose: string | null;
  maxAge: string | null;
  supportsCredentials: boolean;
  /** An app's after_request hook adds `Access-Control-Allow-Credentials: true` to every response. */
  hookCredentials?: Span;
  sendWildcard: boolean;
  varyHeader: boolean;
  alwaysSend: boolean;
  /** Options written in the file, by library name (`origins`, `vary_header`, ...). */
  written: Record<string, WrittenOption>;
  /** Where a new option goes: the argument list or options dict, before its closing bracket. */
  insertAt?: Span;
  /** `@cross_origin` sits above `@app.route`: Flask registers the bare view and no header is sent. */
  ineffective?: SourceRef;
  /**
   * A literal resource path (no regex character: matched against the whole path) that the
   * module's routes lie below, none of them being the path itself: where it is written, and the
   * routes it leaves out.
   */
  exactResource?: { at: Span; routesBelow: string[] };
  /**
   * `origins` is None (written so, or `os.getenv("X")` with X unset): the library's
   * `probably_regex(None)` raises a TypeError in its after_request hook, so every request it
   * would answer fails with a 500 (truth case flask-cors/origins-env-unset). The option's place,
   * and the variable when it is one.
   */
  originsNone?: { at: Span; variable?: string };
}

declare module '../../policy/types' {
  interface FrameworkFactsMap {
    'flask-cors': FlaskCorsFacts;
  }
}
