/**
 * The environment an extraction runs in, and the env reads it notes. The evaluators in `lang/`
 * ask here when code reads an environment variable, so no extractor takes an environment
 * parameter: the analysis runs one extraction per environment inside `inEnvironment`.
 * AsyncLocalStorage keeps concurrent analyses (the language server's) apart across awaits.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { EnvRead, Environment, EnvVar } from './types';

interface Scope {
  environment?: Environment;
  reads: EnvRead[];
}

const storage = new AsyncLocalStorage<Scope>();

/**
 * Runs `run` with `environment` (undefined: every variable unset, the code's defaults) and returns
 * its result with the env reads the evaluators noted on the way.
 */
export async function inEnvironment<T>(
  environment: Environment | undefined,
  run: () => Promise<T>,
): Promise<{ result: T; reads: EnvRead[] }> {
  const scope: Scope = { environment, reads: [] };
  const result = await storage.run(scope, run);
  return { result, reads: scope.reads };
}

/** What the current environment's env files set `name` to; undefined when it is unset there. */
export function envVar(name: string): EnvVar | undefined {
  return storage.getStore()?.environment?.vars.get(name);
}

/** The current environment's name, when an extraction runs in one. */
export const currentEnvironment = (): Environment | undefined => storage.getStore()?.environment;

/** Notes a read of an environment variable (kept once per place). */
export function noteEnvRead(read: EnvRead): void {
  const reads = storage.getStore()?.reads;
  if (!reads) return;
  const same = (r: EnvRead) =>
    r.span.file === read.span.file && r.span.start === read.span.start && r.name === read.name;
  if (!reads.some(same)) reads.push(read);
}
