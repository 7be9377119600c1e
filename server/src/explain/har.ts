/**
 * A devtools HAR export: every cross-origin request in it is judged again by the Fetch evaluator
 * on the responses the HAR recorded (its preflight, when one was recorded, and its actual
 * response), and each the browser blocks is explained as a pasted message would be, grouped by
 * cause. A HAR records headers, not the page's `fetch()` options: author headers are the request's
 * headers less what the browser adds, and credentials are assumed when a Cookie was sent.
 */
import {
  authorRequestHeaders,
  corsErrorMessage,
  corsUnsafeRequestHeaderNames,
  needsPreflight,
  type CorsRequest,
  type HeaderList,
  type HttpResponse,
} from '../fetch';
import { firstValue } from '../fetch/headers';
import { modelFor } from '../frameworks';
import { failuresOf } from '../probe';
import { preview } from '../replay/replay';
import { explainMessage, type ExplainContext } from './explain';
import { locate } from './locate';
import { parseMessages } from './parse-message';
import type { Explanation } from './types';

/** One recorded exchange. */
interface HarEntry {
  method: string;
  url: string;
  requestHeaders: HeaderList;
  /** Absent when the HAR recorded no response (status 0: the request failed or was cancelled). */
  response?: HttpResponse;
}

/** A cause and every blocked request it explains. */
export interface HarGroup {
  explanation: Explanation;
  /** `METHOD url (from origin)` of each request. */
  requests: string[];
}

/** What a HAR held and what was found in it. */
export interface HarReport {
  entries: number;
  /** Requests that carried an Origin other than their URL's (the CORS ones). */
  crossOrigin: number;
  blocked: number;
  groups: HarGroup[];
  /** Cross-origin requests that could not be judged, and why. */
  skipped: string[];
}

/** A HAR that cannot be read. */
export class HarError extends Error {}

interface RawHeader {
  name?: unknown;
  value?: unknown;
}

function headerList(raw: unknown): HeaderList {
  if (!Array.isArray(raw)) return [];
  return (raw as RawHeader[]).flatMap((h): [string, string][] =>
    typeof h?.name === 'string' && typeof h.value === 'string' ? [[h.name, h.value]] : [],
  );
}

/** The entries of a HAR's text (`log.entries`), in the order recorded. */
export function readHar(text: string): HarEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new HarError(`not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const entries = (json as { log?: { entries?: unknown } })?.log?.entries;
  if (!Array.isArray(entries)) throw new HarError('no log.entries: not a HAR file');
  return entries.flatMap((raw: unknown): HarEntry[] => {
    const entry = raw as {
      request?: { method?: unknown; url?: unknown; headers?: unknown };
      response?: { status?: unknown; headers?: unknown };
    };
    const method = entry.request?.method;
    const url = entry.request?.url;
    if (typeof method !== 'string' || typeof url !== 'string') return [];
    const status = entry.response?.status;
    const response =
      typeof status === 'number' && status > 0
        ? {
            status,
            headers: headerList(entry.response?.headers).filter(([n]) => !n.startsWith(':')),
          }
        : undefined;
    return [
      {
        method,
        url,
        requestHeaders: headerList(entry.request?.headers).filter(([n]) => !n.startsWith(':')),
        ...(response ? { response } : {}),
      },
    ];
  });
}

const header = firstValue;

/** Headers the browser (or devtools with the cache disabled) adds to a request: not the page's. */
const BROWSER_ADDED = new Set(['cache-control', 'pragma', 'accept', 'accept-language', 'priority']);

/**
 * The page's origin of a cross-origin request, or undefined when it is not one. A request that
 * failed may be recorded with the headers the page asked for only (playwright's HAR: no Origin):
 * its Referer then names the page.
 */
function crossOrigin(entry: HarEntry): string | undefined {
  let origin = header(entry.requestHeaders, 'origin');
  const referer = header(entry.requestHeaders, 'referer');
  try {
    if (!origin && !entry.response && referer) origin = new URL(referer).origin;
    if (!origin) return undefined;
    return new URL(entry.url).origin === origin ? undefined : origin;
  } catch {
    return undefined;
  }
}

const isPreflight = (e: HarEntry): boolean =>
  e.method.toUpperCase() === 'OPTIONS' &&
  header(e.requestHeaders, 'access-control-request-method') !== undefined;

const listed = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);

/** The page's request behind an actual entry: its author headers, narrowed to what its preflight asked for. */
function requestOf(entry: HarEntry, origin: string, preflight: HarEntry | undefined): CorsRequest {
  const asked =
    preflight && listed(header(preflight.requestHeaders, 'access-control-request-headers'));
  const kept = authorRequestHeaders(
    entry.requestHeaders.filter(
      ([n]) => !['origin', 'cookie', 'referer', 'host'].includes(n.toLowerCase()),
    ),
  ).kept;
  const unsafe = new Set(corsUnsafeRequestHeaderNames(kept));
  const headers = kept.filter(([name]) => {
    const lower = name.toLowerCase();
    if (asked) return !unsafe.has(lower) || asked.includes(lower);
    return !BROWSER_ADDED.has(lower) || unsafe.has(lower) === false;
  });
  const credentials = header(entry.requestHeaders, 'cookie') !== undefined ? 'include' : 'omit';
  return { url: entry.url, origin, method: entry.method, headers, credentials };
}

/** The page's request behind a preflight whose actual request was never sent. */
function requestOfPreflight(entry: HarEntry, origin: string): CorsRequest {
  const method = header(entry.requestHeaders, 'access-control-request-method') ?? 'GET';
  const headers: HeaderList = listed(
    header(entry.requestHeaders, 'access-control-request-headers'),
  ).map((n) => [n, n === 'content-type' ? 'application/json' : 'x']);
  return { url: entry.url, origin, method, headers, credentials: 'omit' };
}

/** What a HAR cannot say about a request, for the explanation's assumptions. */
function assumptionsOf(request: CorsRequest, fromPreflight: boolean): string[] {
  const out = [
    'a HAR does not record fetch() options: author headers are the recorded ones less what the browser adds',
  ];
  if (fromPreflight)
    out.push(
      'only the preflight was recorded: the request is the one it asked about, credentials not known (assumed omitted)',
    );
  else
    out.push(
      request.credentials === 'include'
        ? 'a Cookie was sent: assumed credentials: include'
        : 'no Cookie was sent: assumed credentials were omitted',
    );
  return out;
}

/** A blocked request as the message Chromium would print, read back into a parsed message. */
function explainBlocked(
  request: CorsRequest,
  failure: Parameters<typeof corsErrorMessage>[2],
  assumptions: string[],
  context: ExplainContext,
): Explanation | undefined {
  const message = parseMessages(corsErrorMessage(request.url, request.origin, failure))[0];
  if (!message) return undefined;
  message.method = request.method;
  if (request.credentials === 'include') message.credentials = true;
  return explainMessage(message, context, { request, assumptions });
}

/**
 * A failed request the HAR recorded no response for: replayed against the likeliest server, as
 * recorded and, when that passes, with credentials (a HAR of a failed request may not show the
 * Cookie it would have sent), the first variant the prediction blocks is explained.
 */
function predictFailure(request: CorsRequest, context: ExplainContext): Explanation | undefined {
  const top = locate(request.url, context.servers)[0];
  if (!top) return undefined;
  const variants: [CorsRequest, string][] = [
    [
      request,
      'the HAR recorded no response (the request failed): the failure is the prediction for the located server',
    ],
  ];
  if (request.credentials === 'omit')
    variants.push([
      { ...request, credentials: 'include' },
      'the HAR recorded no response and the request as recorded passes the prediction: assumed it sent credentials',
    ]);
  for (const [variant, why] of variants) {
    const verdict = preview(top.policy, modelFor(top.policy), variant).verdict;
    if (verdict.allowed) continue;
    const message = parseMessages(verdict.reasons[0] ?? '')[0];
    if (!message) continue;
    message.method = variant.method;
    if (variant.credentials === 'include') message.credentials = true;
    const assumptions = [
      'a HAR does not record fetch() options: author headers are the recorded ones less what the browser adds',
      why,
    ];
    return explainMessage(message, context, { request: variant, assumptions });
  }
  return undefined;
}

/** A cause's identity: the same rule and operand at the same lines of the same server. */
function causeKey(e: Explanation): string {
  return [
    e.outcome,
    e.message.rule,
    e.message.header?.toLowerCase(),
    e.message.value,
    e.candidates[0]?.file,
    ...e.lines.map((l) => `${l.span.file}:${l.span.start}`),
  ].join('\u0000');
}

/** Explains the cross-origin requests of a HAR's text that the browser blocks. */
export function explainHar(text: string, context: ExplainContext): HarReport {
  const entries = readHar(text);
  const report: HarReport = {
    entries: entries.length,
    crossOrigin: 0,
    blocked: 0,
    groups: [],
    skipped: [],
  };
  const groups = new Map<string, HarGroup>();
  const add = (explanation: Explanation, request: CorsRequest) => {
    report.blocked++;
    const key = causeKey(explanation);
    const line = `${request.method} ${request.url} (from ${request.origin})`;
    const group = groups.get(key);
    if (group) group.requests.push(line);
    else groups.set(key, { explanation, requests: [line] });
  };
  const preflights = entries.filter(isPreflight);
  const answered = new Set<HarEntry>();
  for (const entry of entries) {
    const origin = crossOrigin(entry);
    if (!origin || isPreflight(entry)) continue;
    report.crossOrigin++;
    // The last preflight for this URL, origin and method recorded before it.
    const before = entries.indexOf(entry);
    const preflight = preflights
      .filter(
        (p) =>
          entries.indexOf(p) < before &&
          p.url === entry.url &&
          crossOrigin(p) === origin &&
          header(p.requestHeaders, 'access-control-request-method')?.toUpperCase() ===
            entry.method.toUpperCase(),
      )
      .at(-1);
    if (preflight) answered.add(preflight);
    const request = requestOf(entry, origin, preflight);
    const needed = needsPreflight(request).needed;
    if (!entry.response && !preflight?.response) {
      // The request failed and the HAR kept no answer: the located server's prediction says why.
      const predicted = predictFailure(request, context);
      if (predicted) add(predicted, predicted.request);
      else
        report.skipped.push(
          `${entry.method} ${entry.url}: failed with no response recorded, and no server of the workspace predicts a CORS failure for it`,
        );
      continue;
    }
    // No preflight recorded for one that was needed, but the request went out: it passed (or was cached).
    const failures = failuresOf(request, needed ? preflight?.response : undefined, entry.response);
    if (!failures.length) {
      if (!entry.response && !(needed && preflight?.response))
        report.skipped.push(`${entry.method} ${entry.url}: no response recorded`);
      continue;
    }
    const explanation = explainBlocked(
      request,
      failures[0],
      assumptionsOf(request, false),
      context,
    );
    if (explanation) add(explanation, request);
  }
  // Preflights whose actual request is not in the HAR: the browser stopped after them.
  for (const preflight of preflights) {
    const origin = crossOrigin(preflight);
    if (answered.has(preflight) || !origin || !preflight.response) continue;
    report.crossOrigin++;
    const request = requestOfPreflight(preflight, origin);
    const failures = failuresOf(request, preflight.response, undefined);
    if (!failures.length) continue;
    const explanation = explainBlocked(request, failures[0], assumptionsOf(request, true), context);
    if (explanation) add(explanation, request);
  }
  report.groups = [...groups.values()];
  return report;
}
