/**
 * What the evaluators of every language share when code reads an environment variable: note the
 * read (with its written default) for the env checks, and answer with the current environment's
 * value when its env files set the name. Unset, the caller keeps its own default handling, which
 * is what every evaluator did before environments existed.
 */
import { envVar, noteEnvRead } from '../environment/scope';
import type { Span, StaticValue } from '../policy/types';

/** A read's written default: its text and place. */
export interface Fallback {
  text: string;
  span: Span;
}

/**
 * Notes a read of `name` at `span` and returns its value in the current environment: a string
 * (marked env-driven), a dynamic value when the env file sets it to something unknown, or
 * undefined when the name is unset there (the caller's default applies).
 */
export function readEnv(
  name: string,
  span: Span,
  fallback?: Fallback,
  truthOfText?: true,
): StaticValue | undefined {
  const found = envVar(name);
  const setBy = found && {
    file: found.file,
    ...(found.value !== undefined ? { value: found.value } : {}),
    ...(found.mode ? { mode: found.mode } : {}),
  };
  noteEnvRead({
    name,
    span,
    ...(fallback ? { fallback } : {}),
    ...(setBy ? { setBy } : {}),
    ...(truthOfText ? { truthOfText } : {}),
  });
  if (!found) return undefined;
  if (found.value === undefined)
    return { kind: 'dynamic', span, reason: `${name} in ${found.file} is not known statically` };
  return { kind: 'str', value: found.value, span, envDriven: true };
}

/**
 * Notes a read of a framework's own per-environment setting (Rails' `config.x.cors_origins`),
 * which the environment decides as it does a variable: `set` is the value's place when the
 * environment's files set it.
 */
export function noteSettingRead(name: string, span: Span, set?: Span): void {
  noteEnvRead({ name, span, ...(set ? { setBy: { file: set.file, span: set } } : {}) });
}

/** Strings django-environ's `env.bool` and decouple's `cast=bool` read as true (lower-cased). */
const TRUE_WORDS = new Set(['true', 'on', 'ok', 'y', 'yes', '1', 't']);

/** A string as a boolean cast of these libraries reads it. */
export const castBool = (text: string): boolean => TRUE_WORDS.has(text.trim().toLowerCase());
