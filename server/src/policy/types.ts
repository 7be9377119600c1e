/**
 * The framework-neutral CORS policy. Extractors build it from source, models answer requests
 * from it, checks read it. Spans are UTF-16 offsets into the file's text (what web-tree-sitter
 * and LSP both count), so a finding or a fix needs no re-parsing to be placed.
 */

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
export type RegexFlavor = 'python-match' | 'python-fullmatch' | 'python-search' | 'ruby' | 'js';

/** Origins the server lets in. */
export interface OriginPolicy {
  /** Every origin is allowed (a flag or `*`). */
  allowAll: boolean;
  exact: { value: string; span?: Span }[];
  regexes: { pattern: string; flavor: RegexFlavor; span?: Span }[];
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
}

/** `*` means "anything" where the library supports it. */
export type NameList = { names: string[]; wildcard: boolean; dynamic: boolean };

/** The effective CORS policy of one file (with its imported settings). */
export interface Policy {
  framework: 'django';
  /** The file the policy was extracted for. */
  file: string;
  /** Every file whose text shaped the policy (imports first); editing one re-checks this one. */
  files: string[];
  /** Where the setup is written (the settings module, the `CORSMiddleware(...)` call), for links. */
  at?: Span;
  /** Whether the file configures CORS at all. */
  configured: boolean;
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
