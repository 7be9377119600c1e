/**
 * The options of one npm `cors` 2.8 middleware as the library reads them: shared by every
 * framework that runs that package (Express apps, NestJS's Express adapter, Apollo's standalone
 * server), each adding where the middleware sits in its own facts.
 */
import type { Span } from '../../../policy/types';

/** How the `origin` option decides (after the options are merged with the defaults). */
export type CorsOriginMode =
  /** `'*'`, unset, or any other falsy-but-present value: `Access-Control-Allow-Origin: *`. */
  | { kind: 'any' }
  /** A non-`*` string: sent as is to every request, whatever its Origin. */
  | { kind: 'fixed'; value: string }
  /** `false`: the middleware does nothing. */
  | { kind: 'off' }
  /**
   * The request Origin is reflected when the list (exact strings and regexes of the neutral
   * policy) matches it, or always for `origin: true`. A function that calls back with `false`
   * skips CORS (`reject: 'skip'`); with an error, the app answers 500 (`reject: 'error'`).
   */
  | {
      kind: 'match';
      reject: 'omit' | 'skip' | 'error';
      allowMissing: boolean;
      /** A request without an Origin gets `*` (`callback(null, origin || '*')`). */
      missingAny?: boolean;
    };

/** The `cors` 2.8 options of one `cors(...)` options value. */
export interface CorsPackageOptions {
  /** The options object literal (inline or where its `const` is written); unset for `cors()`. */
  options?: Span;
  origin: CorsOriginMode;
  /** The option values as `cors` sends them (arrays joined with `,`); undefined when unset. */
  methods: string;
  allowedHeaders?: string;
  exposedHeaders?: string;
  maxAge?: string;
  preflightContinue: boolean;
  optionsSuccessStatus: number;
}
