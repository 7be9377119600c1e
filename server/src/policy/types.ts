/**
 * The framework-neutral CORS policy. Extractors build it from source, models answer requests
 * from it, checks read it. Spans are UTF-16 offsets into the file's text (what web-tree-sitter
 * and LSP both count), so a finding or a fix needs no re-parsing to be placed.
 */
import type { ExpressCorsFacts } from '../frameworks/express-cors/facts';
import type { FlaskCorsFacts } from '../frameworks/flask-cors/facts';
import type { NginxFacts } from '../frameworks/nginx/facts';
import type { NextjsFacts } from '../frameworks/nextjs/facts';
import type { NodeHandsetFacts } from '../frameworks/node-handset/facts';
import type { PythonHandsetFacts } from '../frameworks/python-handset/facts';
import type { RackCorsFacts } from '../frameworks/rack-cors/facts';
import type { StarletteFacts } from '../frameworks/starlette/facts';

/** A stretch of one file's text: [start, end) in UTF-16 code units. */
export interface Span {
  file: string;
  start: number;
  end: number;
}

/** A statically resolved value, with where it came from. */
export type StaticValue =
  | { kind: 'str'; value: string; span: Span; envDriven?: boolean }
  | { kind: 'bool'; value: boolean; span: Span; envDriven?: boolean }
  | { kind: 'int'; value: number; span: Span; envDriven?: boolean }
  | { kind: 'none'; span: Span }
  | { kind: 'list'; items: StaticValue[]; span: Span; envDriven?: boolean; tuple?: boolean }
  | { kind: 'dict'; entries: { key: StaticValue; value: StaticValue }[]; span: Span }
  /** A JavaScript RegExp (`/.../i`, `new RegExp('...')`). */
  | { kind: 'regex'; pattern: string; flags: string; span: Span; envDriven?: boolean }
  | { kind: 'dynamic'; span: Span; reason: string };

/** One named setting as it takes effect, and the assignment that set it last. */
export interface Setting {
  /** The name as written, e.g. `CORS_ORIGIN_WHITELIST`. */
  name: string;
  value: StaticValue;
  /** The whole assignment statement (`NAME = value`), for fixes that rewrite or rename it. */
  statement: Span;
  /** The span of the name in that statement. */
  nameSpan: Span;
}

/** Where a policy value was written, and how to name it in a message (`CORS_ALLOW_ALL_ORIGINS`). */
export interface SourceRef {
  span: Span;
  label: string;
}

/** How a request's Origin is matched against the allowlist. */
export type RegexFlavor = 'python-match' | 'python-fullmatch' | 'python-search' | 'ruby' | 'js' | 'pcre';

/** Origins the server lets in. */
export interface OriginPolicy {
  /** Every origin is allowed (a flag or `*`). */
  allowAll: boolean;
  exact: { value: string; span?: Span }[];
  /** `flags`: a JavaScript RegExp's flags (`i`), when the pattern is one. */
  regexes: { pattern: string; flavor: RegexFlavor; span?: Span; flags?: string }[];
  /** Part of the allowlist could not be resolved statically. */
  dynamic: boolean;
  /** Part of the allowlist comes from an environment default. */
  envDriven: boolean;
  /** What turns allow-all on (a flag, a `*`), when it is on. */
  allowAllAt?: SourceRef;
  /** The exact-origin allowlist as written (the setting or argument holding it). */
  listAt?: SourceRef;
  /** The allowlist is one string that the library iterates per character (Django). */
  iteratedString?: SourceRef & { envDriven: boolean };
  /**
   * The server echoes any request Origin without an allowlist check (Express `origin: true`,
   * `cb(null, true)`, a hand-set `Access-Control-Allow-Origin` copied from the Origin header).
   */
  reflectAny?: SourceRef;
}

/** `*` means "anything" where the library supports it. */
export type NameList = {
  names: string[];
  wildcard: boolean;
  dynamic: boolean;
  /** Where the list is written (`CORS_ALLOW_HEADERS`, `allow_headers=`), for links from a probe. */
  at?: SourceRef;
};

/** The effective CORS policy of one file (with its imported settings). */
export interface Policy {
  framework: 'django' | 'flask-cors' | 'python-handset' | 'starlette' | 'rack-cors' | 'nextjs' | 'express-cors' | 'node-handset' | 'nginx';
  /** The file the policy was extracted for. */
  file: string;
  /** Every file whose text shaped the policy (imports first); editing one re-checks this one. */
  files: string[];
  /** Where the setup is written (the settings module, the `CORSMiddleware(...)` call), for links. */
  at?: Span;
  /** Whether the file configures CORS at all. */
  configured: boolean;
  /** The headers are set by hand (`res.setHeader(...)`), not by a CORS library. */
  handSet?: boolean;
  /** The npm `cors` layer, its Express mount and the app's routes (server/src/policy/express.ts). */
  express?: ExpressCorsFacts;
  /**
   * The library refuses this configuration when the app boots (rack-cors raises for
   * `credentials: true` with `origins '*'`): where, and the library's error as `label`.
   */
  startupError?: SourceRef;
  origins: OriginPolicy;
  credentials: boolean | 'dynamic';
  /** Where credentials are turned on, when they are. */
  credentialsAt?: SourceRef;
  methods: NameList;
  headers: NameList;
  expose: NameList;
  maxAge: number | null | 'dynamic';
  /**
   * Only paths this regex matches (from the start, as Python's re.match) get CORS headers:
   * Django's CORS_URLS_REGEX, a Flask-CORS resource, an Express mount path. `^.*$` for all.
   */
  urlRegex: string | null | 'dynamic';
  /** Answers the Private Network Access preflight header. */
  allowPrivateNetwork: boolean;
  /** Framework-specific facts that framework-only checks read. */
  django?: DjangoFacts;
  /** Next.js route handlers, middleware and next.config headers (server/src/policy/nextjs.ts). */
  nextjs?: NextjsFacts;
  /** Flask-CORS options as the library reads them (server/src/policy/flask-cors.ts). */
  flaskCors?: FlaskCorsFacts;
  /** Hand-set headers in Python views and hooks, as steps the model replays. */
  pythonHandset?: PythonHandsetFacts;
  /** Hand-set headers in Express/Node handlers, as steps the model replays (server/src/policy/node-handset.ts). */
  nodeHandset?: NodeHandsetFacts;
  /** Starlette `CORSMiddleware` arguments as the library reads them (server/src/policy/starlette.ts). */
  starlette?: StarletteFacts;
  /** The whole Rack::Cors setup and where it sits in the middleware stack (server/src/policy/rack-cors.ts). */
  rackCors?: RackCorsFacts;
  /** The nginx location, its server and the add_header levels around it (server/src/policy/nginx.ts). */
  nginx?: NginxFacts;
}

/** What a Django settings module says, beyond the neutral policy. */
export interface DjangoFacts {
  /** Every setting seen, by the name written (effective, i.e. the last assignment wins). */
  settings: Map<string, Setting>;
  /**
   * Whether MIDDLEWARE lists `corsheaders.middleware.CorsMiddleware`; `dynamic` when MIDDLEWARE
   * is not statically known. Unset: the model reads the MIDDLEWARE setting itself.
   */
  corsMiddleware?: 'present' | 'missing' | 'dynamic';
  /** MIDDLEWARE's dotted paths in order (request order), when statically known. */
  middleware?: string[];
}
