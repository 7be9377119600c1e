/**
 * Compares what Chromium did for one scenario with what the evaluator predicts, dimension by
 * dimension, so the test can print an agreement table and name each disagreement.
 */
import {
  authorRequestHeaders,
  buildActualRequest,
  buildPreflightRequest,
  evaluate,
  isForbiddenMethod,
  needsPreflight,
  type HeaderList,
  type Verdict,
} from '../../../server/src/fetch';
import { getCombined } from '../../../server/src/fetch/headers';
import type { FetchOutcome } from './browser';
import type { Scenario } from './scenarios';
import { wireResponse, type Arrivals } from './servers';

/** The dimensions compared for every scenario (some only apply to some scenarios). */
export const DIMENSIONS = [
  'preflight sent',
  'preflight request headers',
  'actual sent',
  'actual request headers',
  'allowed',
  'readable headers',
  'console reason',
  'preflight cached',
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** One compared dimension of one scenario. */
export interface Check {
  dimension: Dimension;
  agree: boolean;
  expected: unknown;
  actual: unknown;
}

/** The prediction for a scenario: the verdict plus what should reach the server. */
export function predict(s: Scenario): {
  verdict: Verdict;
  preflightSent: boolean;
  actualSent: boolean;
} {
  const forbidden = isForbiddenMethod(s.request.method);
  const preflightNeeded = !forbidden && needsPreflight(s.request).needed;
  const method = s.request.method;
  const verdict = evaluate(s.request, {
    preflight: wireResponse(s.preflight, 'OPTIONS'),
    actual: wireResponse(s.actual, method),
  });
  const actualSent = !forbidden && !(verdict.stage === 'preflight' && !verdict.allowed);
  return { verdict, preflightSent: preflightNeeded, actualSent };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Runs every applicable comparison for one scenario. */
export function compare(
  s: Scenario,
  seen: Arrivals,
  outcome: FetchOutcome | undefined,
  consoleMessages: string[],
): Check[] {
  const p = predict(s);
  const checks: Check[] = [];
  const check = (
    dimension: Dimension,
    expected: unknown,
    actual: unknown,
    agree = same(expected, actual),
  ): void => {
    checks.push({ dimension, agree, expected, actual });
  };

  check('preflight sent', p.preflightSent, seen.preflight !== undefined);
  if (p.preflightSent && seen.preflight) {
    const wanted = buildPreflightRequest(s.request).headers.filter(([n]) => n !== 'Origin');
    const pick = (h: HeaderList): HeaderList =>
      ['Access-Control-Request-Method', 'Access-Control-Request-Headers', 'Origin'].flatMap(
        (n): HeaderList => {
          const v = getCombined(h, n);
          return v === undefined ? [] : [[n, v]];
        },
      );
    check(
      'preflight request headers',
      pick([...wanted, ['Origin', s.request.origin]]),
      pick(seen.preflight.headers),
    );
  }

  check('actual sent', p.actualSent, seen.actual !== undefined);
  if (p.actualSent && seen.actual) {
    const built = buildActualRequest(s.request);
    const expected = { method: built.method, headers: built.headers, dropped: [] as string[] };
    const got = {
      method: seen.actual.method,
      headers: built.headers.map(([n]): [string, string] => [
        n,
        getCombined(seen.actual?.headers ?? [], n) ?? '(absent)',
      ]),
      // A dropped header must not reach the server with the author's value.
      dropped: s.request.headers
        .filter(([n]) => authorRequestHeaders(s.request.headers).dropped.includes(n.toLowerCase()))
        .filter(([n, v]) => getCombined(seen.actual?.headers ?? [], n) === v)
        .map(([n]) => n),
    };
    check('actual request headers', expected, got);
  }

  const scriptSaw = outcome?.ok ?? false;
  check('allowed', p.verdict.allowed, scriptSaw);
  if (p.verdict.allowed && scriptSaw)
    check('readable headers', p.verdict.readableHeaders, outcome?.readableHeaders);

  if (s.repeat && p.preflightSent && p.verdict.allowed) {
    // Fetched twice in a row: a second preflight goes out only when the first was not cached.
    const cached = (p.verdict.preflightCacheSeconds ?? 0) > 0;
    check(
      'preflight cached',
      { preflights: cached ? 1 : 2, secondAllowed: true },
      { preflights: seen.preflights ?? 0, secondAllowed: outcome?.repeatOk },
    );
  }

  const marker = `/s/${s.id}?g=`;
  const corsMessages = consoleMessages.filter(
    (m) => m.includes(marker) && m.includes('CORS policy'),
  );
  if (p.verdict.allowed) {
    check('console reason', [], corsMessages);
  } else {
    // One predicted reason, except when several headers are missing from the preflight's
    // Access-Control-Allow-Headers: then Chromium names one of them.
    const reasons = p.verdict.reasons;
    const shown = [...corsMessages, ...(outcome?.error ? [outcome.error] : [])];
    check(
      'console reason',
      reasons,
      shown,
      reasons.length > 0 && shown.some((m) => reasons.some((r) => m.includes(r))),
    );
  }
  return checks;
}
