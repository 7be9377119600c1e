import type { Fix, TextEdit } from '../policy/edits';
import type { Policy, RegexFlavor, Span } from '../policy/types';
import type { CheckContext } from './types';

/** An origin or pattern of the policy, where it is written. */
export interface Located {
  value: string;
  span?: Span;
}

/**
 * The edits a check asks for, written in one framework's syntax and the file's own style. Checks
 * decide what to change; these decide how it reads. Undefined: no safe edit (the value is not a
 * literal in the file, comes from an environment variable, ...).
 */
export interface FrameworkFixes {
  /** Turn "allow every origin" into an allowlist of `origins` (or the allowlist already there). */
  allowOnly(policy: Policy, origins: string[], context: CheckContext): Fix | undefined;
  /** Write `value` in place of one allowlisted origin. */
  replaceOrigin(
    policy: Policy,
    origin: Located,
    value: string,
    context: CheckContext,
  ): TextEdit[] | undefined;
  /** Drop one allowlisted origin. */
  removeOrigin(policy: Policy, origin: Located, context: CheckContext): TextEdit[] | undefined;
  /** Write `pattern` in place of one origin regex. */
  replacePattern(
    policy: Policy,
    regex: Located & { flavor: RegexFlavor },
    pattern: string,
    context: CheckContext,
  ): TextEdit[] | undefined;
  /** Add `origins` to the allowlist (creating it if there is none). */
  addOrigins(policy: Policy, origins: string[], context: CheckContext): TextEdit[] | undefined;
  /** Make responses whose allowed origin is chosen per request carry `Vary: Origin`. */
  addVary?(policy: Policy, context: CheckContext): Fix | undefined;
  /** Add the missing `Access-Control-Allow-*` lines to the preflight answer. */
  addPreflightHeaders?(
    policy: Policy,
    headers: [string, string][],
    context: CheckContext,
  ): Fix | undefined;
  /** Add request header names (lower-case) to the allowed request headers (creating the option if unset). */
  addAllowedHeaders?(
    policy: Policy,
    headers: string[],
    context: CheckContext,
  ): TextEdit[] | undefined;
}

/** The fixes of a framework that offers no edit (its setup has no list to rewrite in place). */
export const noFixes: FrameworkFixes = {
  allowOnly: () => undefined,
  replaceOrigin: () => undefined,
  removeOrigin: () => undefined,
  replacePattern: () => undefined,
  addOrigins: () => undefined,
};
