import type { Setting, SourceRef } from '../../policy/types';

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
  /**
   * Names a neighbouring settings module reads from this one with `getattr(module, 'NAME')`: keys
   * of an operator configuration (NetBox), whose names must stay as that lookup spells them.
   */
  readByGetattr?: string[];
  /**
   * The project's dependency files cap django-cors-headers below 3.5, which renamed the
   * `CORS_ORIGIN_*` settings, or name its fork django-cors-middleware instead: only the old
   * names exist there.
   */
  before35?: true;
  /**
   * django-cors-headers is pinned below 3.0, whose CORS_ORIGIN_WHITELIST entries are host[:port]
   * compared with the Origin's netloc (`localhost:4200`), not origins with a scheme.
   */
  before30?: true;
  /**
   * A `check_request_enabled` receiver this module connects (see signal.ts); `settingsAllowAll`:
   * whether the settings themselves allow every origin (then `*` without credentials);
   * `testsOrigin`: the receiver reads the request's Origin (it allows only some origins).
   */
  signal?: { at: SourceRef; settingsAllowAll: boolean; testsOrigin?: boolean };
}

declare module '../../policy/types' {
  interface FrameworkFactsMap {
    django: DjangoFacts;
  }
}
