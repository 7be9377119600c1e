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
  /** `envText`: read as is from that environment variable (its default when unset). */
  | { kind: 'str'; value: string; span: Span; envDriven?: boolean; envText?: string }
  | { kind: 'bool'; value: boolean; span: Span; envDriven?: boolean }
  | { kind: 'int'; value: number; span: Span; envDriven?: boolean }
  | { kind: 'none'; span: Span }
  | {
      kind: 'list';
      items: StaticValue[];
      span: Span;
      envDriven?: boolean;
      tuple?: boolean;
      /** The default of an uncast environment read: wherever the variable is set, its text. */
      envText?: string;
    }
  /**
   * `complete`: every key the dict has is among `entries` (a key it lacks is absent, so Python's
   * `.get(key, default)` gives the default); otherwise an entry may be missing for not being known.
   */
  | {
      kind: 'dict';
      entries: { key: StaticValue; value: StaticValue }[];
      span: Span;
      complete?: boolean;
    }
  /** A JavaScript RegExp (`/.../i`, `new RegExp('...')`). */
  | { kind: 'regex'; pattern: string; flags: string; span: Span; envDriven?: boolean }
  /**
   * Not known statically. `parts`: a string built from pieces (a Python f-string) whose literal
   * pieces are known, `null` where a value is not, so the literal text can still be judged.
   */
  | {
      kind: 'dynamic';
      span: Span;
      reason: string;
      parts?: (string | null)[];
      /** An environment variable read as is (no cast, no split): text whenever it is set. */
      envText?: string;
      /** `os.getenv("X")` with no default while X is unset: Python's None, named by its variable. */
      noneWhenUnset?: string;
    };

/** One named setting as it takes effect, and the assignment that set it last. */
export interface Setting {
  /** The name as written, e.g. `CORS_ORIGIN_WHITELIST`. */
  name: string;
  value: StaticValue;
  /** The whole assignment statement (`NAME = value`), for fixes that rewrite or rename it. */
  statement: Span;
  /** The span of the name in that statement. */
  nameSpan: Span;
  /**
   * Earlier assignments of the same name that this one overrides (first first), so a fix that
   * rewrites the last one can keep an earlier value from taking over.
   */
  earlier?: { value: StaticValue; statement: Span }[];
}

/** Where a policy value was written, and how to name it in a message (`CORS_ALLOW_ALL_ORIGINS`). */
export interface SourceRef {
  span: Span;
  label: string;
  /** The option's name alone (`CORS_ALLOW_HEADERS` of its assignment), where a finding about it points. */
  nameSpan?: Span;
}

/** How a request's Origin is matched against the allowlist. */
export type RegexFlavor =
  'python-match' | 'python-fullmatch' | 'python-search' | 'ruby' | 'js' | 'pcre';

/** Origins the server lets in. */
export interface OriginPolicy {
  /** Every origin is allowed (a flag or `*`). */
  allowAll: boolean;
  /**
   * `conditional`: written under a condition the analysis did not decide (`if
   * Rails.env.development?` outside an environment), so it may not run in every environment.
   */
  exact: { value: string; span?: Span; conditional?: boolean }[];
  /** `flags`: a JavaScript RegExp's flags (`i`), when the pattern is one. */
  regexes: {
    pattern: string;
    flavor: RegexFlavor;
    span?: Span;
    flags?: string;
    /** A string test the pattern stands for, as written (`origin.endsWith('example.com')`). */
    test?: string;
  }[];
  /** Part of the allowlist could not be resolved statically. */
  dynamic: boolean;
  /** Part of the allowlist comes from an environment default. */
  envDriven: boolean;
  /** What turns allow-all on (a flag, a `*`), when it is on. */
  allowAllAt?: SourceRef;
  /** The exact-origin allowlist as written (the setting or argument holding it). */
  listAt?: SourceRef;
  /**
   * Allowlist entries known only in part (an f-string with a value not known statically): their
   * literal pieces, `null` for each unknown value. They count in `dynamic` too.
   */
  partial?: { parts: (string | null)[]; span: Span }[];
  /**
   * The allowlist is one string that the library iterates per character (Django) or searches
   * (Starlette). `envText`: the environment variable whose text it is, when no value is known.
   */
  iteratedString?: SourceRef & {
    envDriven: boolean;
    envText?: string;
    /** The code's own search (`ALLOWED.indexOf(origin) !== -1` on a string), labelled by its text. */
    searchedBy?: 'code';
  };
  /**
   * Hand-set headers: the `*` is written only where Access-Control-Allow-Credentials is not (the
   * two branches of one test), so the `*` never goes out with credentials.
   */
  allowAllApart?: boolean;
  /**
   * The server echoes any request Origin without an allowlist check (Express `origin: true`,
   * `cb(null, true)`, a hand-set `Access-Control-Allow-Origin` copied from the Origin header).
   */
  reflectAny?: SourceRef;
  /**
   * The library sends Access-Control-Allow-Origin on every response though its value is not
   * known here: the `cors` package's `origin` is a string read at run time (`process.env.X`, a
   * template), sent as it is whenever it is set (an unset or empty one makes `cors()` do nothing:
   * seen with the real express 4 and cors 2.8).
   */
  alwaysSent?: SourceRef;
  /**
   * The server echoes the request Origin after testing it against a list it reads at run time
   * (`origin in app.config[...]`): who gets in is configuration, but the echo itself is known.
   */
  echoesConfigured?: SourceRef;
}

/** An origin policy that lets no origin in yet, for a reader to fill as it reads. */
export const noOrigins = (): OriginPolicy => ({
  allowAll: false,
  exact: [],
  regexes: [],
  dynamic: false,
  envDriven: false,
});

/** `*` means "anything" where the library supports it. */
export type NameList = {
  names: string[];
  wildcard: boolean;
  dynamic: boolean;
  /** Where the list is written (`CORS_ALLOW_HEADERS`, `allow_headers=`), for links from a probe. */
  at?: SourceRef;
  /** The option that holds the list, named even when it is not written (`CORS_ALLOW_HEADERS`). */
  option?: string;
};

/** The effective CORS policy of one file (with its imported settings). */
/**
 * Each framework's own facts type, by framework id. `frameworks/<id>/facts.ts` adds its entry by
 * declaration merging, so this file names no framework and a new one touches only its folder.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface FrameworkFactsMap {}

/** A registered framework (`frameworks/<id>/`). */
export type FrameworkId = keyof FrameworkFactsMap;

export interface Policy {
  framework: FrameworkId;
  /** The file the policy was extracted for. */
  file: string;
  /** Every file whose text shaped the policy (imports first); editing one re-checks this one. */
  files: string[];
  /**
   * Modules whose exported values (an allowlist kept in its own file) this policy's own file read:
   * a finding about such a value is reported at the policy (`at`), where the file that holds the
   * setup is checked, and without an edit.
   */
  valuesFrom?: string[];
  /** Where the setup is written (the settings module, the `CORSMiddleware(...)` call), for links. */
  at?: Span;
  /** Whether the file configures CORS at all. */
  configured: boolean;
  /** The headers are set by hand (`res.setHeader(...)`), not by a CORS library. */
  handSet?: boolean;
  /**
   * Hand-set headers a hook writes on every route's answers (a Django middleware, an
   * `after_request`), not one route's: any route's code speaks for what they cover.
   */
  everyRoute?: boolean;
  /**
   * The library refuses this configuration when the app boots (rack-cors raises for
   * `credentials: true` with `origins '*'`): where, and the library's error as `label`.
   */
  startupError?: SourceRef;
  /**
   * The library never sees a request (Django's MIDDLEWARE lacks CorsMiddleware): the settings are
   * dead, nothing is sent, and the neutral checks about who gets in do not apply. `label` says why.
   */
  inactive?: SourceRef & {
    /**
     * The module never runs (no file of its project loads it, a `pages/api` module without a
     * default export), or the setup never answers (another call on the same app answers first):
     * `label` says why, this says what to do, `cors-setup-not-modelled` reports it.
     */
    unloaded?: string;
  };
  /**
   * The environments that run this policy, when the code picks its configuration per environment
   * (Flask's `from_object` in an `if` on FLASK_ENV) and the project's environments say which;
   * absent when it runs in every environment or which ones is not known. Checks of what
   * production exposes (`productionOnly`) skip a policy production does not run.
   */
  environments?: string[];
  origins: OriginPolicy;
  credentials: boolean | 'dynamic';
  /** Where credentials are turned on, when they are. */
  credentialsAt?: SourceRef;
  /** Where credentials are turned off in so many words (`'supports_credentials' => false`). */
  credentialsOffAt?: SourceRef;
  /** The option that turns credentials on, named even when it is not written. */
  credentialsOption?: string;
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
  /** The facts of `framework` that its model, fixes and framework-only checks read (`factsOf`). */
  facts?: FrameworkFactsMap[FrameworkId];
  /**
   * A wrapper the model does not read runs before the hand-set code (a view's own decorator such
   * as an auth check): it may answer some requests, a preflight among them, first.
   */
  answeredFirstBy?: SourceRef;
  /**
   * Another CORS setup of the app answers every preflight that reaches this one (headers set by
   * hand in an Express app that also mounts `cors()` for every path): what a preflight gets is
   * that setup's to report.
   */
  preflightAnsweredBy?: SourceRef;
  /**
   * The app answers preflights with this setup and adds CORS to actual answers route by route
   * (an Express `app.options('*', cors())` beside routes with a `cors()` of their own): which
   * requests cross origins is the app's choice, so no check asks a path it picks itself.
   */
  corsPerRoute?: true;
  /** A request path the setup covers (a hand-set handler's route), when the path filter does not say. */
  samplePath?: string;
  /**
   * Origins the server answers at itself (an nginx server's plain-http `server_name`s): a page
   * there is same-origin with this API, so trusting it opens nothing CORS governs.
   */
  ownOrigins?: string[];
  /** A method `samplePath` is routed for, when GET is not (a resource of POST routes only). */
  sampleMethod?: string;
  /**
   * Where a missing `Vary: Origin` is reported and fixed: the line that picks the origin per
   * request. `null`: nowhere in this policy (another policy of the file owns that line).
   */
  varyAt?: Span | null;
  /**
   * Hand-set headers: every write of Access-Control-Allow-Origin on ordinary responses that no
   * `Vary` write goes with (the branches of `if listed: origin else: '*'`); the Vary fix adds a
   * line after each. Absent: after `varyAt` only.
   */
  unvariedAt?: Span[];
  /** The hand-written answer to a preflight (an `OPTIONS` branch), when the headers are set by hand. */
  preflightAt?: Span;
  /**
   * The methods (besides OPTIONS) the covered routes answer, when the code says so (a controller
   * of resourceful actions only: `create` is POST). Checks do not probe a method no route serves.
   */
  servedMethods?: string[];
  /**
   * The covered paths answer with files from disk (an nginx location with `root`/`alias` and no
   * app behind it): GET and HEAD only, and no request header changes what is sent, so a page has
   * no reason to add one (Eric-Le-Ge's HLS folder, held-out batch 47: a PUT with an
   * Authorization header was the example of a preflight error).
   */
  servesFiles?: boolean;
  /**
   * Every covered answer is a file nginx sends to any caller (no app behind, no auth directive):
   * a credentialed read gets what an anonymous one gets. `label` says where.
   */
  publicFiles?: SourceRef;
  /**
   * Where the app turns on a cookie session of its own (Sinatra's `enable :sessions`): its pages
   * send cookie-bearing requests, so credentials the browser refuses (`*` with credentials) break
   * them. Absent: the code shows no session of its own.
   */
  sessionAt?: Span;
  /**
   * Where the project's development settings decide allow-all themselves (`settings/dev.py`:
   * `CORS_ALLOW_ALL_ORIGINS = DEBUG`) while this policy's allow-all sits in the settings they and
   * every other environment build on (`development-decides.ts`): it reaches production by oversight.
   */
  decidedForDevelopmentAt?: SourceRef;
  /**
   * Options the library has no such name for and so ignores, each near one it has (`allowHeaders`
   * for the `cors` package's `allowedHeaders`): the policy is what the library does without them.
   */
  ignoredOptions?: IgnoredOption[];
  /**
   * `cors` options with an allowlist that the module declares or imports and never passes, while
   * this policy's `cors()` has none (`unused-options.ts`), or that the module `cors()` is handed
   * declares and never exports (`require` gives `{}`): allow-all by oversight.
   */
  unusedOptionsAt?: SourceRef & {
    /** The expression that passes them from the `cors()` call's module (`config.corsOptions`). */
    pass: string;
    /** Declared in a module that exports nothing: the name `module.exports` should give. */
    unexported?: string;
  };
  /**
   * The environment variables the files of this policy read while it was extracted, each with its
   * written default (filled by the analysis, for the checks about what an unset variable gives).
   */
  envReads?: EnvReadRef[];
}

/** What a setup allows, the part of a policy every reader fills in. */
export type CorsFields = Pick<
  Policy,
  'origins' | 'credentials' | 'credentialsAt' | 'methods' | 'headers' | 'expose' | 'maxAge'
>;

/** An option a library ignores (see `Policy.ignoredOptions`). */
export interface IgnoredOption {
  /** The library, as its users name it (`the cors package`). */
  library: string;
  /** As written, and where (its key). */
  name: string;
  span: Span;
  /** The library's option it is near. */
  meant: string;
  /** What the library does without it, as a clause (`every origin is allowed`). */
  effect: string;
}

/** A read of an environment variable in code and its written default (`environment/types`'s `EnvRead`). */
export interface EnvReadRef {
  /** The variable (`CORS_ORIGINS`), or a Rails custom setting (`config.x.cors_origins`). */
  name: string;
  span: Span;
  fallback?: { text: string; span: Span };
  /** Where the environment extracted in sets it (absent: unset there, or no environment). */
  setBy?: { file: string; value?: string; mode?: true; span?: Span };
  /**
   * The code takes the truth of the variable's text (Python's `bool(os.getenv("X", True))`):
   * every non-empty value, "False" and "0" included, is true, so only an empty value turns it off.
   */
  truthOfText?: true;
}

/** The facts of one framework, when the policy is that framework's (else undefined). */
export function factsOf<K extends FrameworkId>(
  policy: Policy,
  framework: K,
): FrameworkFactsMap[K] | undefined {
  return policy.framework === framework
    ? (policy.facts as FrameworkFactsMap[K] | undefined)
    : undefined;
}
