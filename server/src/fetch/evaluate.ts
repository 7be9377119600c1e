/** The browser's verdict on one cross-origin `fetch()`, given the server's responses. */
import { corsCheck } from './cors-check';
import { readableResponseHeaders } from './expose';
import { getCombined } from './headers';
import { corsErrorMessage, type CorsFailure } from './messages';
import { needsPreflight } from './preflight';
import { checkPreflightResponse } from './preflight-check';
import { authorRequestHeaders, isForbiddenMethod } from './safelist';
import type { CorsRequest, HttpResponse, Verdict } from './types';

/** The warning on a request whose Authorization header only a `*` of Allow-Headers lets through. */
export const AUTHORIZATION_BY_WILDCARD =
  "Access-Control-Allow-Headers '*' does not cover Authorization under the Fetch standard (Firefox and Safari block this request); Chromium allows it for now. List authorization explicitly.";

/** The server's answers: the preflight response when one is needed, and the actual response. */
export interface ServerResponses {
  preflight?: HttpResponse;
  actual?: HttpResponse;
}

/**
 * Decides, as Chromium does, whether script gets `req`'s response: the CORS-preflight (when
 * {@link needsPreflight} says so), then the CORS check of the actual response, then which
 * response headers script can read. When blocked, `reasons` holds Chromium's console message;
 * when several request headers are missing from Access-Control-Allow-Headers it holds one
 * message per header (sorted), and Chromium prints one of them. Throws when a response the
 * browser would need is missing from `responses` (a caller bug, not a CORS outcome).
 */
export function evaluate(req: CorsRequest, responses: ServerResponses): Verdict {
  const warnings = droppedHeaderWarnings(req);
  if (isForbiddenMethod(req.method)) {
    // fetch() throws before any request is made.
    return blocked(
      'actual',
      [`Failed to execute 'fetch' on 'Window': '${req.method}' HTTP method is unsupported.`],
      warnings,
    );
  }

  const need = needsPreflight(req);
  const reasons: string[] = [];
  let preflightCacheSeconds: number | undefined;
  if (need.needed) {
    if (!responses.preflight)
      throw new Error(
        'evaluate(): this request needs a preflight, but no preflight response was given',
      );
    const result = checkPreflightResponse(req, responses.preflight);
    if ('failure' in result) {
      const failures = Array.isArray(result.failure) ? result.failure : [result.failure];
      return blocked(
        'preflight',
        failures.map((f) => message(req, f)),
        warnings,
      );
    }
    preflightCacheSeconds = result.pass.cacheSeconds;
    if (result.pass.authorizationByWildcard) {
      warnings.push(AUTHORIZATION_BY_WILDCARD);
    }
    reasons.push(`The preflight passed (needed because ${need.reasons.join('; ')}).`);
  } else {
    reasons.push('No preflight needed: the method and every request header are CORS-safelisted.');
  }

  if (!responses.actual) throw new Error('evaluate(): no actual response was given');
  const failure = corsCheck(req, responses.actual.headers);
  if (failure)
    return { ...blocked('actual', [message(req, failure)], warnings), preflightCacheSeconds };

  const allowOrigin = getCombined(responses.actual.headers, 'Access-Control-Allow-Origin');
  if (allowOrigin === '*') {
    reasons.push("Access-Control-Allow-Origin is '*' and the request carries no credentials.");
  } else {
    reasons.push('Access-Control-Allow-Origin matches the request origin.');
    if (req.credentials === 'include') reasons.push("Access-Control-Allow-Credentials is 'true'.");
    const vary = getCombined(responses.actual.headers, 'Vary') ?? '';
    const varies = vary.split(',').some((v) => ['origin', '*'].includes(v.trim().toLowerCase()));
    if (!varies) {
      warnings.push(
        `Access-Control-Allow-Origin names the origin '${allowOrigin}' but Vary does not list Origin: a shared cache may serve this response to another origin, which the browser then blocks.`,
      );
    }
  }
  return {
    allowed: true,
    stage: 'actual',
    reasons,
    readableHeaders: readableResponseHeaders(responses.actual.headers, req.credentials),
    preflightCacheSeconds,
    warnings,
  };
}

function message(req: CorsRequest, failure: CorsFailure): string {
  return corsErrorMessage(req.url, req.origin, failure);
}

function blocked(stage: Verdict['stage'], reasons: string[], warnings: string[]): Verdict {
  return { allowed: false, stage, reasons, readableHeaders: [], warnings };
}

function droppedHeaderWarnings(req: CorsRequest): string[] {
  return authorRequestHeaders(req.headers).dropped.map(
    (name) =>
      `The browser does not let script set the forbidden request header '${name}'; fetch() drops it silently.`,
  );
}
