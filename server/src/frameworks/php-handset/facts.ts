/**
 * CORS headers written by hand in PHP (`header(...)`, `$response->headers->set(...)`,
 * `->header(...)`/`->withHeader(...)`), kept as a small program the php-handset model replays per
 * request (which branch runs decides which headers are sent).
 */
import type { Span } from '../../policy/types';

/**
 * A header value as the code computes it: a literal, a request header echoed back
 * (`$_SERVER['HTTP_ORIGIN']`; `absent` is what the code falls back to without one, `''` for
 * PHP's null), or something unknown.
 */
export type PhpValue =
  | { kind: 'literal'; value: string }
  | { kind: 'request'; header: string; absent?: string; at?: Span }
  | { kind: 'dynamic' };

/**
 * A condition the code tests: the request method, the Origin (listed, matched, present), a query
 * parameter (`?name` as a header name: `$_GET['name']`), or unknown.
 */
export type PhpCondition =
  /** `caseless`: compared upper-cased (`strtoupper(...)`, `isMethod`); else as the request wrote it. */
  | { kind: 'method'; methods: string[]; caseless?: boolean }
  /** `absent`: what the code compares without an Origin (`($_SERVER['HTTP_ORIGIN'] ?? '') !== ''`). */
  | { kind: 'origin-in'; values: string[]; spans: Span[]; list?: Span; absent?: string }
  /** `test`: a string test the PCRE pattern stands for, as written (`str_starts_with(...)`). */
  | { kind: 'origin-match'; pattern: string; modifiers: string; span: Span; test?: string }
  /** `isset(...)` (an empty header counts); `truthy`: the bare value (PHP's `''` and `'0'` are false). */
  | { kind: 'header-present'; header: string; truthy?: boolean }
  /** `$_GET['action'] == 'list'`: a query parameter compared with a string (`loose`: `==`). */
  | { kind: 'query-is'; param: string; value: string; loose?: true }
  | { kind: 'not'; inner: PhpCondition }
  | { kind: 'and' | 'or'; parts: PhpCondition[] }
  /**
   * `request`: the test reads only request data other than the Origin (`$_GET['action'] ==
   * 'list'`) through PHP's own functions, so it is no allowlist.
   */
  | { kind: 'unknown'; request?: true };

/** One header written: `header('Name: value'[, false])`, `->headers->set(...)`, `->header(...)`. */
export interface PhpHeader {
  kind: 'header';
  /** `set` replaces every earlier line of the name, `add` adds one (`header(..., false)`). */
  op: 'set' | 'add';
  name: string;
  value: PhpValue;
  /** The statement (or chained call) and the value expression. */
  span: Span;
  valueSpan: Span;
}

/** One statement that matters to the response's headers or status. */
export type PhpStep =
  | PhpHeader
  | { kind: 'if'; test: PhpCondition; then: PhpStep[]; otherwise: PhpStep[]; span: Span }
  | { kind: 'status'; status: number | 'dynamic'; span: Span }
  /** A function of the file the code calls: its `return` ends only the call. */
  | { kind: 'call'; steps: PhpStep[]; span: Span }
  /** `exit`/`die` end the request; `return` ends the function (or the included file). */
  | { kind: 'exit' | 'return'; span: Span };

/** The top level of a script, or a function, method or closure that writes CORS headers. */
export interface PhpHandler {
  kind: 'script' | 'function';
  steps: PhpStep[];
  /** The variable holding the response (`$response->headers->set`), where a fix adds a line. */
  response?: string;
  span: Span;
}

export interface PhpHandsetFacts {
  /** The script first, then functions it does not call itself (hooks, middleware), in file order. */
  handlers: PhpHandler[];
}

declare module '../../policy/types' {
  interface FrameworkFactsMap {
    'php-handset': PhpHandsetFacts;
  }
}
