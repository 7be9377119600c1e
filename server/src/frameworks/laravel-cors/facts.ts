/** Laravel's `config/cors.php` as fruitcake/php-cors reads it, for the laravel-cors model and fixes. */
import type { Span } from '../../policy/types';

/** One string of the config, with where it is written. */
export interface LaravelString {
  value: string;
  span: Span;
}

/** An app middleware that sets Access-Control-Allow-Origin on every response (`App\Http\Middleware\Cors`). */
export interface LaravelOwnCors {
  /** Its class name (`Cors`). */
  name: string;
  /** Listed after HandleCors (run inside it), rather than before. */
  inner: boolean;
  /** It sends `*`. */
  star: boolean;
}

export interface LaravelCorsFacts {
  /** `paths` globs (`api/*`); `all`: a legacy barryvdh/laravel-cors config, applied wherever its middleware runs. */
  paths: string[] | 'all';
  allowedOrigins: LaravelString[];
  /** `allowed_origins_patterns` literals with their delimiters (`/^https:\/\/.*$/`). */
  patterns: LaravelString[];
  allowedMethods: string[];
  allowedHeaders: string[];
  exposedHeaders: string[];
  maxAge: number | null;
  supportsCredentials: boolean;
  /**
   * Where HandleCors runs: in the global stack (or Laravel 11's default), in a group, nowhere, or
   * unknown (no Kernel found).
   */
  middleware: 'global' | 'group' | 'missing' | 'unknown';
  /** The app's own CORS middleware the kernel runs instead (`App\Http\Middleware\Cors`), if any. */
  ownMiddleware?: string;
  /**
   * The app's own middleware in the global stack that decides Access-Control-Allow-Origin on
   * actual responses, so only preflights follow this config.
   */
  overriddenBy?: LaravelOwnCors;
  /** The array literals of the options, where fixes edit them. */
  lists: Partial<Record<'origins' | 'patterns' | 'methods' | 'headers' | 'exposed', Span>>;
  /** The options' names as written (snake_case, or camelCase in legacy configs). */
  names: Record<
    'origins' | 'patterns' | 'methods' | 'headers' | 'exposed' | 'maxAge' | 'credentials',
    string
  >;
}

declare module '../../policy/types' {
  interface FrameworkFactsMap {
    'laravel-cors': LaravelCorsFacts;
  }
}
