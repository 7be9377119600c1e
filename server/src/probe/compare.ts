/**
 * "Compare with live server": the model's prediction for the workspace policy beside what the
 * live server sent for the same request, header by header. A difference is how a user finds a
 * proxy that adds or strips headers, an exception handler that drops them, or an environment
 * variable that changes the allowlist.
 */
import { modelFor } from '../frameworks';
import { preview, type Preview } from '../replay/replay';
import type { HeaderList } from '../fetch/types';
import type { Policy } from '../policy/types';
import type { ProbeResult } from './types';

/** One header name: its predicted and real values (in order, repeats kept). */
export interface CompareRow {
  name: string;
  predicted: string[];
  real: string[];
  same: boolean;
}

/** One response (preflight or actual), predicted beside real. */
export interface ResponseComparison {
  stage: 'preflight' | 'actual';
  /** Undefined when that side has no such response (not needed, or never sent). */
  predictedStatus?: number;
  realStatus?: number;
  same: boolean;
  rows: CompareRow[];
}

/** The whole comparison. */
export interface Comparison {
  predicted: Preview;
  /** The model's verdict and the real one agree (allowed or not, at the same stage). */
  verdictSame: boolean;
  responses: ResponseComparison[];
}

/** Names compared: every CORS header and Vary on either side, plus whatever the model predicts. */
const isCorsName = (lower: string) => lower.startsWith('access-control-') || lower === 'vary';

function rows(predicted: HeaderList, real: HeaderList): CompareRow[] {
  const names: string[] = [];
  const add = (name: string) => {
    if (!names.includes(name)) names.push(name);
  };
  for (const [n] of predicted) add(n.toLowerCase());
  for (const [n] of real) if (isCorsName(n.toLowerCase())) add(n.toLowerCase());
  const values = (headers: HeaderList, name: string) =>
    headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v);
  return names.map((name) => {
    const p = values(predicted, name);
    const r = values(real, name);
    return {
      name,
      predicted: p,
      real: r,
      same: p.length === r.length && p.every((v, i) => v === r[i]),
    };
  });
}

function response(
  stage: ResponseComparison['stage'],
  predicted: { status: number; headers: HeaderList } | undefined,
  real: { status: number; headers: HeaderList } | undefined,
): ResponseComparison {
  const r = rows(predicted?.headers ?? [], real?.headers ?? []);
  return {
    stage,
    predictedStatus: predicted?.status,
    realStatus: real?.status,
    same: predicted?.status === real?.status && r.every((row) => row.same),
    rows: r,
  };
}

/** Predicts `result`'s request with `policy`'s library model and lines the prediction up with the real responses. */
export function compareWithLive(policy: Policy, result: ProbeResult): Comparison {
  const predicted = preview(policy, modelFor(policy), result.request);
  const realPreflight =
    result.preflight.needed && 'status' in result.preflight ? result.preflight : undefined;
  const predictedPreflight = predicted.preflight.needed ? predicted.preflight : undefined;
  const responses = [
    ...(predictedPreflight || realPreflight
      ? [response('preflight', predictedPreflight, realPreflight)]
      : []),
    response('actual', predicted.actual ?? undefined, result.actual ?? undefined),
  ];
  const verdictSame =
    result.verdict !== null &&
    predicted.verdict.allowed === result.verdict.allowed &&
    predicted.verdict.stage === result.verdict.stage;
  return { predicted, verdictSame, responses };
}
