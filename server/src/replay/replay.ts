/**
 * The effective-headers preview: what the configured library answers to a browser's request and
 * what the browser then does with it. Shared by `cors-lens preview`, the editor's preview view
 * and the checks that replay requests. The probe (probe/engine.ts) asks a live server in the same
 * order, with network failures and timeouts of its own, and judges with the same evaluator.
 */
import {
  buildActualRequest,
  buildPreflightRequest,
  checkPreflightResponse,
  evaluate,
  isForbiddenMethod,
  needsPreflight,
  type CorsRequest,
  type HeaderList,
  type HttpRequest,
  type HttpResponse,
  type Verdict,
} from '../fetch';
import type { Policy } from '../policy/types';
import { checkAmbientBudget } from '../base/budget';
import type { LibraryModel } from './library-model';

/** The preflight as the CLI contract shows it: `{needed: false}`, or the predicted response. */
export type PreviewPreflight =
  { needed: false } | { needed: true; status: number; headers: HeaderList };

/** A predicted response: status and header lines in order, as `[name, value]` pairs. */
export interface PreviewResponse {
  status: number;
  headers: HeaderList;
  /** See `HttpResponse.undecided`. */
  undecided?: boolean;
}

/** The CLI contract's `preview.{preflight, actual, verdict}` (the CLI adds `policy`). */
export interface Preview {
  preflight: PreviewPreflight;
  /**
   * The actual request's response, or null when the browser never sends it: the preflight
   * failed, or `fetch()` refused the method outright.
   */
  actual: PreviewResponse | null;
  verdict: Verdict;
}

/**
 * Runs one browser request through the library model and the Fetch evaluator, in the order the
 * browser does: the preflight when one is needed, then (only if it passes) the actual request,
 * then the verdict over both responses. Responses are the model's (see each model for what it
 * assumes about the app's own view, e.g. that it answers 200).
 */
export function preview(policy: Policy, model: LibraryModel, req: CorsRequest): Preview {
  // Checks send a request per origin: a 10,000-origin file stops at its budget, mid-check.
  checkAmbientBudget();
  // fetch() throws on CONNECT/TRACE/TRACK before anything is sent.
  if (isForbiddenMethod(req.method))
    return { preflight: { needed: false }, actual: null, verdict: evaluate(req, {}) };

  let preflight: PreviewPreflight = { needed: false };
  if (needsPreflight(req).needed) {
    const response = modelAnswer(model, policy, buildPreflightRequest(req));
    preflight = { needed: true, status: response.status, headers: response.headers };
    // A failed preflight ends the fetch: the actual request is never sent.
    if ('failure' in checkPreflightResponse(req, response))
      return { preflight, actual: null, verdict: evaluate(req, { preflight: response }) };
  }
  const actual = modelAnswer(model, policy, buildActualRequest(req));
  const verdict = evaluate(
    req,
    preflight.needed
      ? { preflight: { status: preflight.status, headers: preflight.headers }, actual }
      : { actual },
  );
  const { status, headers, undecided } = actual;
  return { preflight, actual: { status, headers, ...(undecided && { undecided }) }, verdict };
}

/**
 * The model's answer, or a 500 without headers when it fails to set a header value HTTP cannot
 * carry (a character over U+00FF, CR or LF: a flipped byte in an allowlisted origin or an exposed
 * header name). The real servers fail too (Node's `setHeader` and `Headers` throw, the framework
 * answers 500), but not always bare: Hono 4 keeps the headers set before the failing one
 * (`Access-Control-Allow-Origin` stays on its 500, checked with `app.request`). A check asking
 * such a setup learns only that nothing is let in, so a finding that hangs on those earlier
 * headers is missed there, never made up.
 */
export function modelAnswer(
  model: LibraryModel,
  policy: Policy,
  request: HttpRequest,
): HttpResponse {
  try {
    return model.respond(policy, request);
  } catch (error) {
    if (error instanceof TypeError && /ByteString|invalid (header|character)/i.test(error.message))
      return { status: 500, headers: [] };
    throw error;
  }
}
