/**
 * The probe: asks a live server what a browser would ask, in the browser's order (the preflight
 * when one is needed, then the actual request only if the preflight passes), and lets the Fetch
 * evaluator judge the real responses — the same evaluator the preview uses on predicted ones.
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
} from '../fetch';
import { parseHeader } from '../analysis/preview-report';
import { sendExchange } from './http-exchange';
import { originProblem, parseTarget } from './target';
import {
  defaultLimits,
  type Exchange,
  type ProbeInput,
  type ProbeLimits,
  type ProbeResult,
} from './types';

/** A probe input that cannot be sent (bad URL); the CLI exits 2 on it, the LSP answers an error. */
export class ProbeInputError extends Error {}

/** Sent with every probe request so the server's log shows who asked; Chromium sends its own. */
export const PROBE_USER_AGENT = 'cors-lens-probe';

/** The probe's own request headers besides the CORS ones: what Chromium also sends, minus cookies. */
const browserExtras: HeaderList = [
  ['Accept', '*/*'],
  ['User-Agent', PROBE_USER_AGENT],
];

/** The `fetch()` a probe stands for, and the Cookie header the user supplied (sent only with credentials). */
export function fetchFor(input: ProbeInput): { request: CorsRequest; cookie: string[] } {
  const lines = (input.headers ?? []).filter((h) => h.trim() !== '').map(parseHeader);
  // fetch() never lets script set Cookie; the browser adds the cookie jar's on a credentialed request.
  const cookie = lines.filter(([n]) => n.toLowerCase() === 'cookie').map(([, v]) => v);
  const headers = lines.filter(([n]) => n.toLowerCase() !== 'cookie');
  const request: CorsRequest = {
    url: input.url.trim(),
    origin: input.origin,
    method: input.method?.trim() || 'GET',
    headers,
    credentials: input.credentials ? 'include' : 'omit',
  };
  return { request, cookie };
}

/** The wire request with the probe's extras (an author `Accept` wins) and, when given, cookies. */
function onTheWire(req: HttpRequest, cookie: string[]): HttpRequest {
  const has = (name: string) => req.headers.some(([n]) => n.toLowerCase() === name);
  const extras = browserExtras.filter(([n]) => !has(n.toLowerCase()));
  return {
    ...req,
    headers: [...req.headers, ...extras, ...cookie.map((v): [string, string] => ['Cookie', v])],
  };
}

function notesFor(
  request: CorsRequest,
  cookie: string[],
  exchanges: Exchange[],
  limits: ProbeLimits,
): string[] {
  const notes: string[] = [];
  const problem = originProblem(request.origin);
  if (problem)
    notes.push(`${problem}: a browser never sends this Origin, so the verdict is hypothetical.`);
  if (cookie.length && request.credentials !== 'include')
    notes.push(
      'The Cookie header was not sent: a browser sends cookies only with credentials (--credentials).',
    );
  for (const ex of exchanges) {
    if (ex.headersTruncatedAt !== undefined) {
      notes.push(
        `The ${ex.sent.method} response has ${ex.headersTruncatedAt} header lines or more: only the first ${ex.headersTruncatedAt} were read, so a CORS header after them is not seen.`,
      );
    }
    if (ex.bodyTruncated)
      notes.push(
        `The ${ex.sent.method} response body was longer than ${limits.maxBodyBytes / 1024} KiB (or did not end in time); reading stopped there.`,
      );
    if (ex.redirect) {
      const where = ex.redirect.sameOrigin ? 'on the same server' : 'to another origin';
      notes.push(
        `The ${ex.sent.method} response redirects ${where} (${ex.redirect.location}); the probe does not follow redirects, and the verdict covers this response only.`,
      );
    }
  }
  return notes;
}

/**
 * Probes one request: validates the URL (throws {@link ProbeInputError}), sends the preflight
 * when the browser would, then the actual request unless the preflight failed, and evaluates
 * the real responses. A server that cannot be reached gives `error` and no verdict. Requests go
 * only to the URL's host and port; redirects are reported, not followed.
 */
export async function probe(
  input: ProbeInput,
  limits: ProbeLimits = defaultLimits,
  signal?: AbortSignal,
): Promise<ProbeResult> {
  const target = parseTarget(input.url);
  if ('problem' in target) throw new ProbeInputError(target.problem);
  const { request, cookie } = fetchFor(input);
  const started = performance.now();
  const result = (
    partial: Omit<ProbeResult, 'request' | 'notes' | 'timing'>,
    exchanges: Exchange[],
  ): ProbeResult => ({
    request,
    ...partial,
    notes: notesFor(request, cookie, exchanges, limits),
    timing: { totalMs: Math.round((performance.now() - started) * 10) / 10 },
  });

  // fetch() throws on CONNECT/TRACE/TRACK before anything is sent.
  if (isForbiddenMethod(request.method))
    return result(
      { preflight: { needed: false }, actual: null, verdict: evaluate(request, {}) },
      [],
    );

  let preflight: Exchange | undefined;
  if (needsPreflight(request).needed) {
    // A preflight never carries cookies or author headers.
    const wire = onTheWire(buildPreflightRequest(request), []);
    const sent = await sendExchange(target, wire, limits, signal);
    if ('error' in sent) {
      return result(
        {
          preflight: { needed: true, unanswered: true, sent: wire },
          actual: null,
          verdict: null,
          error: { ...sent.error, stage: 'preflight' },
        },
        [],
      );
    }
    preflight = sent;
    if ('failure' in checkPreflightResponse(request, sent)) {
      return result(
        {
          preflight: { needed: true, ...sent },
          actual: null,
          verdict: evaluate(request, { preflight: sent }),
        },
        [sent],
      );
    }
  }
  const shownPreflight = preflight
    ? { needed: true as const, ...preflight }
    : { needed: false as const };
  const actual = await sendExchange(
    target,
    onTheWire(buildActualRequest(request), request.credentials === 'include' ? cookie : []),
    limits,
    signal,
  );
  const done = preflight ? [preflight] : [];
  if ('error' in actual)
    return result(
      {
        preflight: shownPreflight,
        actual: null,
        verdict: null,
        error: { ...actual.error, stage: 'actual' },
      },
      done,
    );
  return result(
    { preflight: shownPreflight, actual, verdict: evaluate(request, { preflight, actual }) },
    [...done, actual],
  );
}
