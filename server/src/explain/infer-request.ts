/**
 * The request a browser's message describes, as far as it does: the URL and origin it prints, the
 * header or method it names, credentials when the rule only applies to credentialed requests.
 * What it does not say is guessed, and each guess is said out loud.
 */
import { sampleHeaderValue, type CorsRequest, type HeaderList } from '../fetch';
import type { Policy } from '../policy/types';
import { suggestedUrl } from '../probe';
import { USUAL_FRONTEND_ORIGINS } from '../workspace/frontend-dev-server';
import type { ParsedMessage } from './types';

/** A request and the guesses made to complete it. */
export interface InferredRequest {
  request: CorsRequest;
  assumptions: string[];
}

/** Rules about the origin itself: the page's origin is one the server does not let in. */
const ORIGIN_RULES = new Set([
  'MissingAllowOriginHeader',
  'AllowOriginMismatch',
  'InvalidAllowOriginValue',
]);

/** An origin the policy lets in, in the form a browser sends. */
function allowedOrigin(policy: Policy | undefined): string | undefined {
  return policy?.origins.exact.find((o) => /^https?:\/\/[a-z0-9.-]+(?::\d+)?$/i.test(o.value))
    ?.value;
}

/** Firefox prints no origin: one the policy refuses for origin rules, else one it allows. */
function guessOrigin(
  message: ParsedMessage,
  policy: Policy | undefined,
): { origin: string; why: string } {
  if (ORIGIN_RULES.has(message.rule))
    return { origin: 'https://unlisted-origin.example', why: 'an origin the server does not list' };
  const allowed = allowedOrigin(policy);
  return allowed
    ? { origin: allowed, why: `${allowed}, which the policy allows` }
    : { origin: USUAL_FRONTEND_ORIGINS[0], why: USUAL_FRONTEND_ORIGINS[0] };
}

/**
 * Completes the request of `message`; `policy` is the one it will be replayed against (for an
 * origin Firefox did not print), `origin` the user's own answer to that.
 */
export function inferRequest(
  message: ParsedMessage,
  policy: Policy | undefined,
  origin?: string,
): InferredRequest {
  const assumptions: string[] = [];
  let url = message.url;
  if (!url) {
    url = suggestedUrl(policy);
    assumptions.push(`the message names no URL: assumed ${url}`);
  }
  let pageOrigin = origin ?? message.origin;
  if (!pageOrigin) {
    const guess = guessOrigin(message, policy);
    pageOrigin = guess.origin;
    assumptions.push(
      `${message.browser === 'firefox' ? 'Firefox' : 'the message'} does not print the page's origin: assumed ${guess.why} (pass --origin to say)`,
    );
  }
  const headers: HeaderList = message.header
    ? [[message.header, sampleHeaderValue(message.header)]]
    : [];
  let method = message.method?.toUpperCase();
  const needsPreflight =
    message.stage === 'preflight' && !message.header && message.rule !== 'PrivateNetworkAccess';
  if (!method && message.rule === 'MethodDisallowedByPreflightResponse') {
    method = 'PUT';
    assumptions.push('the message does not name the method: assumed PUT');
  } else if (needsPreflight && (!method || ['GET', 'HEAD', 'POST'].includes(method))) {
    // Something made the browser send a preflight; a JSON body is the commonest reason.
    headers.push(['Content-Type', 'application/json']);
    method ??= 'POST';
    assumptions.push(
      `the message does not say what needed a preflight: assumed ${method} with Content-Type: application/json`,
    );
  }
  method ??= 'GET';
  const credentials = message.credentials ? 'include' : 'omit';
  if (!message.credentials)
    assumptions.push(
      'the message does not say whether the request sent credentials: assumed it did not',
    );
  return { request: { url, origin: pageOrigin, method, headers, credentials }, assumptions };
}

/** Quotes one shell word when it needs it. */
const shellWord = (word: string): string =>
  /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;

/** `cors-lens probe ...` for `request`: ask the running server what it really answers. */
export function probeCommand(request: CorsRequest): string {
  const words = ['cors-lens', 'probe', request.url, '--origin', request.origin];
  if (request.method !== 'GET') words.push('--method', request.method);
  for (const [name, value] of request.headers) words.push('--header', `${name}: ${value}`);
  if (request.credentials === 'include') words.push('--credentials');
  return words.map(shellWord).join(' ');
}
