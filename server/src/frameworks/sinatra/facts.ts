/**
 * A Sinatra app's CORS as written: hand-set headers in `before`/`after` filters and routes (kept
 * as steps the model replays) and the sinatra-cross_origin settings, plus Rack::Protection's
 * HttpOrigin guard, which Sinatra turns on by default and which drops the session of cross-origin writes.
 */
import type { RubyStep } from '../../lang/ruby/handset';
import type { Span } from '../../policy/types';

/** A filter or a route. */
export interface SinatraHandler {
  stage: 'before' | 'route' | 'after';
  /** Route verbs, upper-case (a GET route also answers HEAD); filters run for every method. */
  methods?: string[];
  /** The pattern as a whole-path regex; null: every path (a filter without a pattern). */
  regex: string | null;
  sample?: string;
  steps: RubyStep[];
  span: Span;
}

/** One sinatra-cross_origin setting as written (`set :allow_origin, :any`). */
export interface CrossOriginSetting {
  /** The header value the helper sends (`:any` for the request's Origin). */
  value: string | ':any' | undefined;
  /** The whole `set ...` call. */
  at?: Span;
  /** The value expression. */
  valueAt?: Span;
}

/** The settings sinatra-cross_origin reads, with its defaults filled in. */
export interface CrossOriginFacts {
  /** `enable :cross_origin` (or `set :cross_origin, true`): every request runs the helper. */
  enabled: boolean;
  enabledAt?: Span;
  /** Where the extension is brought in (`register Sinatra::CrossOrigin`, the require). */
  registeredAt: Span;
  origin: CrossOriginSetting;
  methods: CrossOriginSetting;
  headers: CrossOriginSetting;
  credentials: CrossOriginSetting;
  maxAge: CrossOriginSetting;
  expose: CrossOriginSetting;
}

export interface SinatraFacts {
  handlers: SinatraHandler[];
  /**
   * Rack::Protection::HttpOrigin is on (Sinatra's default), with its permitted origins: other
   * origins' unsafe requests run without their session (Sinatra's `:drop_session` reaction).
   */
  httpOrigin: { on: boolean; permitted: string[] };
  crossOrigin?: CrossOriginFacts;
}

declare module '../../policy/types' {
  interface FrameworkFactsMap {
    sinatra: SinatraFacts;
  }
}
