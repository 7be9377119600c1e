/**
 * Runs the sweep: one credentialed simple GET per candidate origin (the request a malicious page
 * makes with `fetch(url, {credentials: 'include'})`), judged by the Fetch evaluator with and
 * without credentials, and graded by {@link classifyRisk}.
 */
import { buildActualRequest, evaluate, type CorsRequest } from '../fetch';
import { getCombined } from '../fetch/headers';
import { sendExchange } from './http-exchange';
import { classifyRisk, type Risk, type SweepCandidate } from './sweep';
import { PROBE_USER_AGENT } from './engine';
import type { ProbeError, ProbeLimits } from './types';

/** What the server did with one candidate origin. */
export interface SweepRow extends SweepCandidate {
  /** The response status, or undefined when the request got no answer (see `error`). */
  status?: number;
  /** `Access-Control-Allow-Origin` / `-Credentials` as sent (repeats joined with ", "). */
  allowOrigin?: string;
  allowCredentials?: string;
  readableWithCredentials: boolean;
  readableWithoutCredentials: boolean;
  risk: Risk;
  error?: ProbeError;
}

/** Requests in flight at once: quick on a dev server, gentle on it too. */
const CONCURRENCY = 4;
/** After this many requests in a row get no answer, the rest are skipped (the server is gone). */
const GIVE_UP_AFTER = 3;

async function sweepOne(
  target: URL,
  candidate: SweepCandidate,
  limits: ProbeLimits,
  signal?: AbortSignal,
): Promise<SweepRow> {
  const req: CorsRequest = {
    url: target.href,
    origin: candidate.origin,
    method: 'GET',
    headers: [],
    credentials: 'include',
  };
  const wire = buildActualRequest(req);
  wire.headers.push(['Accept', '*/*'], ['User-Agent', PROBE_USER_AGENT]);
  const res = await sendExchange(target, wire, limits, signal);
  if ('error' in res)
    return {
      ...candidate,
      readableWithCredentials: false,
      readableWithoutCredentials: false,
      risk: 'none',
      error: res.error,
    };
  const readable = {
    withCredentials: evaluate(req, { actual: res }).allowed,
    withoutCredentials: evaluate({ ...req, credentials: 'omit' }, { actual: res }).allowed,
  };
  const allowOrigin = getCombined(res.headers, 'Access-Control-Allow-Origin');
  return {
    ...candidate,
    status: res.status,
    allowOrigin,
    allowCredentials: getCombined(res.headers, 'Access-Control-Allow-Credentials'),
    readableWithCredentials: readable.withCredentials,
    readableWithoutCredentials: readable.withoutCredentials,
    risk: classifyRisk(candidate.kind, readable, allowOrigin),
  };
}

/**
 * Sends every candidate to `target` (a few at a time) and returns one row per candidate, in the
 * candidates' order. Stops sending once {@link GIVE_UP_AFTER} requests in a row got no answer;
 * the rows not sent carry the last error.
 */
export async function runSweep(
  target: URL,
  candidates: SweepCandidate[],
  limits: ProbeLimits,
  signal?: AbortSignal,
): Promise<SweepRow[]> {
  const rows: SweepRow[] = new Array(candidates.length);
  let next = 0;
  let failuresInARow = 0;
  let lastError: ProbeError | undefined;
  const worker = async () => {
    while (next < candidates.length) {
      const i = next++;
      const candidate = candidates[i];
      if (failuresInARow >= GIVE_UP_AFTER && lastError) {
        rows[i] = {
          ...candidate,
          readableWithCredentials: false,
          readableWithoutCredentials: false,
          risk: 'none',
          error: { kind: lastError.kind, message: `Not sent: ${lastError.message}` },
        };
        continue;
      }
      const row = await sweepOne(target, candidate, limits, signal);
      failuresInARow = row.error ? failuresInARow + 1 : 0;
      lastError = row.error ?? lastError;
      rows[i] = row;
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, candidates.length) }, worker));
  return rows;
}
