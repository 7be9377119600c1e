/**
 * One probe, whole: the exchange and verdict, and optionally the sweep and — when the workspace
 * has a policy for the server — the comparison with the prediction and the links to the source.
 * Shared by `cors-lens probe` and the language server's `corsLens/probe`.
 */
import { bypassOrigin } from '../checks/support/regex-bypass';
import type { Policy } from '../policy/types';
import { compareWithLive, type Comparison } from './compare';
import { probe } from './engine';
import { explainProbe, type ProbeLink } from './links';
import { sweepCandidates } from './sweep';
import { runSweep, type SweepRow } from './sweep-run';
import { defaultLimits, type ProbeInput, type ProbeLimits, type ProbeResult } from './types';

/** What else to do besides the one probe. */
export interface ProbeOptions {
  sweep?: boolean;
  /** The workspace policy that should answer this URL: enables `compare` and `links`. */
  policy?: Policy;
  limits?: ProbeLimits;
  signal?: AbortSignal;
}

/** The probe's whole answer. */
export interface ProbeReport extends ProbeResult {
  /** End to end, in ms: `totalMs` covers the probe and the sweep; with a sweep, each part too. */
  timing: { totalMs: number; probeMs?: number; sweepMs?: number };
  sweep?: SweepRow[];
  compare?: Comparison;
  links?: ProbeLink[];
}

const roundMs = (ms: number) => Math.round(ms * 10) / 10;

/** The origins the sweep bends: the probed origin and the policy's allowlist; and the policy's regex bypasses. */
function sweepOrigins(
  input: ProbeInput,
  policy: Policy | undefined,
): { trusted: string[]; bypasses: string[] } {
  const trusted = [input.origin, ...(policy?.origins.exact.map((o) => o.value) ?? [])].filter(
    (o) => o !== 'null',
  );
  const bypasses = (policy?.origins.regexes ?? []).flatMap(
    (r) => bypassOrigin(r.pattern, r.flavor, r.flags) ?? [],
  );
  return { trusted: [...new Set(trusted)], bypasses };
}

/**
 * Probes `input` (throws {@link ProbeInputError} on a bad URL); with `sweep`, then sends the
 * attacker origins (only when the server answered); with `policy`, compares and links.
 */
export async function probeReport(
  input: ProbeInput,
  options: ProbeOptions = {},
): Promise<ProbeReport> {
  const limits = options.limits ?? defaultLimits;
  const started = performance.now();
  const result = await probe(input, limits, options.signal);
  const report: ProbeReport = { ...result };
  if (options.sweep && !result.error) {
    // probe() has validated the URL.
    const target = new URL(input.url.trim());
    const { trusted, bypasses } = sweepOrigins(input, options.policy);
    const sweepStarted = performance.now();
    report.sweep = await runSweep(
      target,
      sweepCandidates(trusted, bypasses),
      limits,
      options.signal,
    );
    // `totalMs` is the whole run, sweep included (it was the probe's alone: 4.6 s of a 28.5 s sweep).
    report.timing = {
      totalMs: roundMs(performance.now() - started),
      probeMs: result.timing.totalMs,
      sweepMs: roundMs(performance.now() - sweepStarted),
    };
  }
  if (options.policy) {
    if (!result.error) report.compare = compareWithLive(options.policy, result);
    report.links = explainProbe(options.policy, result, report.sweep);
  }
  return report;
}
