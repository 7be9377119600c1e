import os from 'node:os';

/**
 * How long a start-up (a server printing its port, an install finishing) may take before a test
 * gives up on it. Tests wait on readiness; this is only the guard against a hang, so it is
 * generous and grows with the machine's load: on a busy machine (CI, parallel worktrees) a fixed
 * 20 s turned slow start-ups into failures. `CORS_LENS_TEST_SLOWDOWN=<n>` multiplies it.
 */
export function hangGuardMs(baseMs: number): number {
  const given = Number(process.env.CORS_LENS_TEST_SLOWDOWN);
  const load = os.loadavg()[0] / Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  const factor = Number.isFinite(given) && given > 0 ? given : Math.max(1, Math.ceil(load));
  return Math.round(baseMs * factor);
}
