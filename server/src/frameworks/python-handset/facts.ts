/**
 * CORS headers written by hand in Python views and hooks, kept as a small program the
 * python-handset model replays per request (which branch runs decides which headers are sent).
 */
import type { SourceRef, Span } from '../../policy/types';
import type { OriginInGuard, OriginMatchGuard } from '../../lang/handset-policy';

/** A header value as the code computes it. */
/** `origin`: the request's Origin; `absent` is what the code falls back to without one (`str(None)` else). */
export type HandsetValue =
  { kind: 'literal'; value: string } | { kind: 'origin'; absent?: string } | { kind: 'dynamic' };

/** A condition the code tests: the request method, the request Origin, or something unknown. */
export type HandsetCondition =
  | { kind: 'method'; methods: string[] }
  | OriginInGuard
  /** `re.match(P, origin)` and its kin, `origin.startswith(...)`/`.endswith(...)` as a regex. */
  | OriginMatchGuard
  | { kind: 'origin-present' }
  /**
   * Another test of the Origin (`is_allowed(origin)`, `any(fnmatch(origin, p) ...)`): it may be
   * the allowlist, so an echo under it lets in origins no one can tell (never every origin).
   */
  | { kind: 'origin-unread' }
  /**
   * `request.method in methods` with a list read at run time (a decorator's arguments): the
   * methods the code serves, taken to hold the request's method.
   */
  | { kind: 'method-listed' }
  /** `"Origin" in request.headers`: the header is sent, even empty (origin-present is its truth). */
  | { kind: 'origin-sent' }
  /**
   * An operator's on/off setting (`settings().getBoolean([...])`, `app.config["X"]`,
   * `SETTINGS["x"]`, a local bound to one): see `switchesOn`.
   */
  | { kind: 'switch' }
  | { kind: 'not'; inner: HandsetCondition }
  | { kind: 'and' | 'or'; parts: HandsetCondition[] }
  | { kind: 'unknown' };

/** One header written: `resp.headers[name] = value`, `.add(...)`, a `headers={...}` entry. */
export interface HandsetHeader {
  kind: 'header';
  op: 'set' | 'add' | 'setdefault';
  name: string;
  value: HandsetValue;
  /** The statement (or dict entry) and the value expression. */
  span: Span;
  valueSpan: Span;
}

/** One statement of a handler that matters to the response's headers. */
export type HandsetStep =
  | HandsetHeader
  | {
      kind: 'if';
      test: HandsetCondition;
      then: HandsetStep[];
      otherwise: HandsetStep[];
      span: Span;
    }
  | {
      kind: 'return';
      status: number | 'dynamic';
      headers: HandsetHeader[];
      span: Span;
      passThrough: boolean;
      headersAt?: Span;
    };

/** A function that shapes responses: a hook on every request, or a route's view. */
export interface HandsetHandler {
  stage: 'before' | 'view' | 'after';
  /** A decorator of the view that is not a route's (`@login_required`): it runs first. */
  wrappedBy?: Span;
  /** For views: the route's regex (`re.match`) and methods (null: the framework's default). */
  route?: { regex: string; methods: string[] | null; sample: string };
  steps: HandsetStep[];
  /** The response variable's name, where a fix adds a line. */
  response?: string;
  span: Span;
}

/** Which web framework runs the handlers (decides the status of unrouted requests). */
export type HandsetFramework = 'flask' | 'django' | 'fastapi' | 'aiohttp' | 'tornado';

/** A route an aiohttp module registers: its path as a regex, its methods (upper-case), a path it takes. */
export interface AiohttpRoute {
  regex: string;
  methods: string[];
  sample: string;
}

export interface PythonHandsetFacts {
  framework: HandsetFramework;
  /** Handlers in registration order. */
  handlers: HandsetHandler[];
  /**
   * Every Access-Control-Allow-Origin line is written only when a switch is on (cross-origin
   * access the operator opts into): the model takes switches as on, else as off.
   */
  switchesOn: boolean;
  /**
   * aiohttp: the routes the module registers (a path no route matches answers 404, a method no
   * route of the path takes 405). Absent: every path is routed for GET, HEAD, POST, PUT, PATCH
   * and DELETE.
   */
  routes?: AiohttpRoute[];
  /**
   * A Django middleware listed inside django-cors-headers' CorsMiddleware that still answers the
   * origins corsheaders does not allow (see `behindCorsheaders`): corsheaders answers every
   * preflight itself and adds Vary (and Allow-Credentials when its settings turn them on).
   */
  outerCorsheaders?: { at: SourceRef; credentials: boolean };
}

declare module '../../policy/types' {
  interface FrameworkFactsMap {
    'python-handset': PythonHandsetFacts;
  }
}
