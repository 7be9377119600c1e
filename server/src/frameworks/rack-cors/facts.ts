/**
 * A Rack::Cors setup as rack-cors holds it after its block ran: `allow` blocks with their
 * origins, each with `resource` rules. One Policy is made per resource (in order); every one of
 * them carries the whole setup here, because rack-cors picks the rule by origin AND path (the
 * first block whose origins match and that has a resource for the path), which a single
 * resource cannot answer.
 */
import type { Span } from '../../policy/types';

/** One entry of `origins ...` as rack-cors 1.1.1 compiles it. */
export type RackCorsOrigin =
  /** An `http(s)://` or `file://` string, compared with `==`. */
  | { kind: 'exact'; value: string; span: Span; conditional?: boolean }
  /** A Regexp (`=~`, unanchored), or a scheme-less string compiled into one (`compiled`). */
  | {
      kind: 'regex';
      source: string;
      flags: string;
      span: Span;
      compiled?: string;
      /** The string test an `origins` block wrote, which the regex stands for (`source.end_with?('x')`). */
      test?: string;
    }
  /** `'*'`: every origin, answered with `*`. */
  | { kind: 'any'; span: Span }
  /** A block that returns the Origin itself (or `true`): every origin, echoed back. */
  /** `why`: what makes the block always truthy, when it is not plainly `source` or `true`. */
  | { kind: 'echo'; span: Span; why?: string }
  /** A block/proc or a value we cannot resolve: decided at request time. */
  | { kind: 'dynamic'; span: Span };

/** One `resource path, options` line. */
export interface RackCorsResource {
  /** The `allow` block it belongs to (index into `RackCorsSetup.blocks`). */
  block: number;
  /** Ruby source of the pattern rack-cors compiles the path into (`^\/api\/?(.*?)$`), or the path Regexp's. */
  pattern: string | 'dynamic';
  /** The Regexp's options (`i`, `m`, `x`) for `pattern`. */
  patternFlags: string;
  /** Whether the path was a string (compiled `^...$`) rather than a Regexp (matched anywhere). */
  anchored: boolean;
  /** `if:` is given: a proc decides per request (the model assumes it lets the request in). */
  conditional: boolean;
  /** `methods` as rack-cors stores them (`to_s` of each), compared with the request method downcased. */
  methods: string[] | 'dynamic';
  /** `headers: :any`, or the lower-cased names allowed besides the CORS-safelisted ones. */
  headers: 'any' | string[] | 'dynamic';
  /** `expose` names, joined into Access-Control-Expose-Headers ('' when none). */
  expose: string[] | 'dynamic';
  /** Access-Control-Max-Age as sent (`max_age.to_s`, default 7200). */
  maxAge: string | 'dynamic';
  /** `credentials: true` (exactly `true`), and never for a `'*'` block. */
  credentials: boolean | 'dynamic';
  /** The `credentials: true` option, when given. */
  credentialsAt?: Span;
  /** `vary:` names; null when not given (Vary gets `Origin`). */
  vary: string[] | null | 'dynamic';
  /** Whether `origins '*'` came before this resource in its block (rack-cors captures it then). */
  public: boolean;
  /** The `resource ...` call. */
  span: Span;
  /** The `headers:` option's value as written, when given (fixes add names to it). */
  headersAt?: Span;
  /** Where the call's last argument ends (fixes append an option there). */
  argumentsEnd?: Span;
}

/** Where the literal origin list of one `origins` call is, for fixes that edit it. */
export interface RackCorsOriginList {
  /** The `origins ...` call. */
  call: Span;
  /** The list's elements in order (call arguments, array items or `%w[]` words). */
  elements: Span[];
  /** How elements are separated: `, ` in argument lists and arrays, a space in `%w[]`. */
  separator: ', ' | ' ';
  /** Whether the elements are bare words of a `%w[]` literal (no quotes). */
  words: boolean;
}

/** One `allow do ... end` block. */
export interface RackCorsBlock {
  origins: RackCorsOrigin[];
  /** `origins '*'` was given: every origin is allowed (sticky in rack-cors once set). */
  public: boolean;
  /** Part of the origins is only known at run time (a proc, an unresolved value, an `if`). */
  dynamic: boolean;
  /** Part of the origins comes from an environment variable's default. */
  envDriven: boolean;
  /** The origin list as written, when it is one literal list in the `origins` call. */
  list?: RackCorsOriginList;
}

/** How Rack::Cors is added to the middleware stack. */
export interface RackCorsPosition {
  /** `rails`: `config.middleware.<how>`; `rackup`: `use` in a config.ru (or a Rack::Builder). */
  stack: 'rails' | 'rackup';
  /** The method that adds it: `use`, `insert_before`, `insert_after`, `insert`, `unshift`, ... */
  how: string;
  /** The anchor argument as written (`0`, `ActionDispatch::Static`), for insert_before/after. */
  anchor?: string;
  /** rackup: the middleware `use`d before Rack::Cors in the same file, in order. */
  before: { name: string; span: Span }[];
  /** The whole call that adds Rack::Cors (`config.middleware.use Rack::Cors do ... end`). */
  call: Span;
  /** From the method name to the end of `Rack::Cors` (`use Rack::Cors`), the part a fix rewrites. */
  head: Span;
  /** rails: the major version Gemfile.lock locks `rails` at, when it says. */
  railsMajor?: number;
}

/** Everything one Rack::Cors middleware is configured with. */
export interface RackCorsSetup {
  blocks: RackCorsBlock[];
  /** Every resource in declaration order (blocks in order, resources in order within each). */
  resources: RackCorsResource[];
  position: RackCorsPosition;
  /**
   * Gemfile.lock locks rack-cors before 1.0: credentials default to on, and `origins '*'` with
   * credentials echoes the Origin with Access-Control-Allow-Credentials instead of raising.
   */
  legacy?: true;
}

/** What a rack-cors Policy carries beyond the neutral fields. */
export interface RackCorsFacts {
  setup: RackCorsSetup;
  /** This policy's resource (index into `setup.resources`). */
  resource: number;
}

declare module '../../policy/types' {
  interface FrameworkFactsMap {
    'rack-cors': RackCorsFacts;
  }
}
