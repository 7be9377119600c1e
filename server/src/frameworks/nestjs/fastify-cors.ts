/**
 * What `@fastify/cors` 11.4.1 (the copy @nestjs/platform-fastify 12.5.0 depends on) writes in
 * Nest's `onRequest` hook: a reading of its `addCorsHeadersHandler`, checked by
 * test/truth/nestjs.test.ts. Unlike `cors` 2.8 it adds `Vary: Origin` before deciding (for any
 * origin option that is not a string), answers an OPTIONS without Origin or
 * Access-Control-Request-Method with a 400 (`strictPreflight`), and lets its own `OPTIONS *`
 * route answer 404 when the origin option turns CORS off.
 */
import type { HeaderList, HttpRequest, HttpResponse } from '../../fetch/types';
import type { CorsPackageOptions } from '../../lang/javascript/cors-package/types';
import {
  type CorsLayerPolicy,
  corsDecision,
  originListed,
  requestHeader,
  setHeader,
  varyHeader,
} from '../../lang/javascript/cors-package/respond';
import type { FastifyCorsFields } from './facts';

/** `getAccessControlAllowOriginHeader`: a string option is sent as is; otherwise a listed Origin is reflected. */
function allowOrigin(
  policy: CorsLayerPolicy,
  options: CorsPackageOptions,
  origin: string | undefined,
): string | undefined {
  const mode = options.origin;
  if (mode.kind === 'any') return '*';
  if (mode.kind === 'fixed') return mode.value;
  // A function that called back `true` reflects whatever came; lists and `true` test first.
  const listed =
    mode.kind === 'match' && mode.reject !== 'omit'
      ? true
      : origin !== undefined && originListed(policy, origin);
  return listed && origin ? origin : undefined;
}

export function fastifyCors(
  policy: CorsLayerPolicy,
  options: CorsPackageOptions,
  fastify: FastifyCorsFields,
  request: HttpRequest,
): HttpResponse {
  const headers: HeaderList = [];
  const method = request.method.toUpperCase();
  const origin = requestHeader(request.headers, 'Origin');
  const mode = options.origin;
  if (mode.kind === 'match') varyHeader(headers, 'Origin');
  const decision = corsDecision(policy, options, request);
  if (decision === 'error') return { status: 500, headers };
  if (decision === 'skip') return { status: method === 'OPTIONS' ? 404 : 200, headers };
  const value = allowOrigin(policy, options, origin);
  if (value) setHeader(headers, 'Access-Control-Allow-Origin', value);
  if (policy.credentials === true) setHeader(headers, 'Access-Control-Allow-Credentials', 'true');
  if (fastify.exposedHeaders !== undefined)
    setHeader(headers, 'Access-Control-Expose-Headers', fastify.exposedHeaders);
  if (method !== 'OPTIONS' || !fastify.preflight)
    return { status: method === 'OPTIONS' ? 404 : 200, headers };
  if (
    fastify.strictPreflight &&
    (!origin || requestHeader(request.headers, 'Access-Control-Request-Method') === undefined)
  )
    return { status: 400, headers };
  setHeader(headers, 'Access-Control-Allow-Methods', fastify.methods);
  if (fastify.allowedHeaders === undefined) {
    varyHeader(headers, 'Access-Control-Request-Headers');
    const asked = requestHeader(request.headers, 'Access-Control-Request-Headers');
    if (asked !== undefined) setHeader(headers, 'Access-Control-Allow-Headers', asked);
  } else setHeader(headers, 'Access-Control-Allow-Headers', fastify.allowedHeaders);
  if (options.maxAge) setHeader(headers, 'Access-Control-Max-Age', options.maxAge);
  // `preflightContinue`: the plugin's own `OPTIONS *` route answers, empty.
  if (options.preflightContinue) return { status: 200, headers };
  setHeader(headers, 'Content-Length', '0');
  return { status: options.optionsSuccessStatus, headers };
}
