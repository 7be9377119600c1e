/**
 * What a fetch handler answers each method with, from the responses the reader found it returning
 * (`lang/javascript/web-response.ts`): a `request.method === 'OPTIONS'` branch answers OPTIONS,
 * the rest answer every other method.
 */
import type { HandlerResult, Returned } from '../../lang/javascript/web-response';
import { type WebResponseShape, corsKey } from '../../lang/javascript/response-shape';
import type { Span } from '../../policy/types';
import type { FetchAnswer } from './facts';

/**
 * The answers per method, and whether they are partial: something was not understood, the
 * handler may end without a response, or answers it tells apart by something other than a known
 * path test disagree on CORS headers.
 */
export function answersOf(
  result: HandlerResult,
  span: Span,
): { answers: FetchAnswer[]; partial: boolean } {
  let partial = result.partial;
  const tested = new Set(result.returns.flatMap((r) => r.methods));
  const answers: FetchAnswer[] = [];
  for (const method of ['*', ...tested]) {
    const applies = (r: Returned) =>
      method === '*'
        ? r.methods.length === 0
        : r.methods.length === 0 || r.methods.includes(method);
    // A method's own branch is tried before the shared code after it.
    const mine = result.returns.filter(applies).sort((a, b) => b.methods.length - a.methods.length);
    const passing = mine.filter((r) => !r.refusal);
    if (passing.length === 0) {
      partial ||= method === '*';
      continue;
    }
    const known = (r: Returned) => !(r.paths ?? []).some((t) => t.kind === 'unknown');
    const withCors = passing.filter((r) => corsKey(r.shape) !== '');
    partial ||= withCors.some((r) => !known(r) && corsKey(r.shape) !== corsKey(withCors[0].shape));
    const refused = mine.find((r) => r.refusal);
    partial ||= !!refused && corsKey(refused.shape) !== '';
    const routes = passing.map((r) => {
      const response: WebResponseShape = { ...r.shape };
      if (refused?.refusal)
        response.refusal = { allowlist: refused.refusal.allowlist, response: refused.shape };
      return { paths: r.paths, response };
    });
    answers.push({ method, span, routes });
  }
  return { answers, partial };
}

/**
 * A path the handler answers with CORS headers, for checks to ask (the first route with them
 * whose path test names one): not the `/` a last `return 404` answers.
 */
export function corsPath(answers: FetchAnswer[]): string | undefined {
  for (const answer of answers)
    for (const route of answer.routes) {
      if (corsKey(route.response) === '') continue;
      const named = route.paths?.find((t) => t.kind !== 'unknown' && !t.negated);
      return named && named.kind !== 'unknown' ? named.value : undefined;
    }
  return undefined;
}
