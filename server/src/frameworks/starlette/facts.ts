/**
 * Starlette `CORSMiddleware` arguments as the library reads them, beyond the neutral policy: the
 * model needs arguments given as one string (Starlette then tests membership with `in` on the
 * string, a substring test, and joins its characters: `", ".join("GET")` is `G, E, T`), and the
 * fixes need where each argument is written.
 */
import type { Span, StaticValue } from '../../policy/types';

/** The keyword arguments Starlette treats as sequences of strings. */
export type StarletteListArgument =
  'allow_origins' | 'allow_methods' | 'allow_headers' | 'expose_headers';

/** One keyword argument as written: the whole `name=value`, and the value. */
export interface WrittenArgument {
  at: Span;
  value: Span;
}

/** What one CORSMiddleware setup passes to Starlette. */
export interface StarletteFacts {
  /** Sequence arguments given as a single string, with that string. */
  strings: Partial<Record<StarletteListArgument, string>>;
  /** The resolved `allow_origins` (its list literal is what the fixes edit), when given. */
  allowOrigins?: StaticValue;
  /** The keyword arguments written in the call, by name. */
  written: Partial<Record<string, WrittenArgument>>;
  /** The call's `(...)` argument list, where a fix adds a keyword argument. */
  argumentList: Span;
}

declare module '../../policy/types' {
  interface FrameworkFactsMap {
    starlette: StarletteFacts;
  }
}
