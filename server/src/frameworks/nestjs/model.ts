/**
 * What a NestJS 12.5 app sends for its CORS setup, checked against real Nest apps by
 * test/truth/nestjs.test.ts (@nestjs/core 12.5.1 with @nestjs/platform-express 12.5.1 + cors
 * 2.8.6, and @nestjs/platform-fastify 12.5.0 + the @fastify/cors 11.4.1 it depends on, fastify 5.12).
 *
 * - Express adapter: `enableCors(options)` is `app.use(cors(options))` ahead of every route, so
 *   the `cors` 2.8 lines come first and a preflight ends in the middleware. With several layers
 *   (`enableCors()` then `app.use(cors({...}))`), each runs in registration order: the first
 *   ends every preflight with its own lines, and on other requests a later layer's
 *   `res.setHeader` replaces an earlier one's value (test/fixtures/truth/nestjs/two-cors-layers).
 *   The create options' `cors` is applied in `init()`, at `listen`: after every `app.use` and
 *   `enableCors` of the bootstrap code (truth/nestjs/create-cors-after-use).
 * - Fastify adapter: `@fastify/cors` runs in an `onRequest` hook (see fastify-cors.ts).
 * - `@Header(...)` lines are set on the answers of the route they decorate.
 *
 * Assumption, because controllers live in other files: every path reaches a route that answers
 * 200 for any method (a `@Header` route only for its own methods; others get Nest's 404).
 */
import type { HeaderList, HttpRequest, HttpResponse } from '../../fetch/types';
import { type Policy, factsOf } from '../../policy/types';
import type { LibraryModel } from '../../replay/library-model';
import {
  corsDecision,
  corsLines,
  optionsFromPolicy,
} from '../../lang/javascript/cors-package/respond';
import type { NestCorsFacts, NestCorsLayer } from './facts';
import { fastifyCors } from './fastify-cors';

/** The Express adapter: the app's `cors` 2.8 layers in order (this policy's among them), then the route. */
function expressAdapter(
  policy: Policy,
  facts: Extract<NestCorsFacts, { kind: 'cors' }>,
  request: HttpRequest,
): HttpResponse {
  const headers: HeaderList = [];
  const stack: NestCorsLayer[] = [
    ...(facts.before ?? []),
    { origins: policy.origins, credentials: policy.credentials, options: facts.options },
    ...(facts.after ?? []),
  ];
  for (const layer of stack) {
    const decision = corsDecision(layer, layer.options, request);
    if (decision === 'error') return { status: 500, headers };
    if (decision !== 'run') continue;
    const ended = corsLines(layer, layer.options, request, headers);
    if (ended) return ended;
  }
  return { status: 200, headers };
}

/** A `@Header` route: its lines on the methods it answers, Nest's 404 otherwise. */
function headerRoute(
  facts: Extract<NestCorsFacts, { kind: 'header' }>,
  request: HttpRequest,
): HttpResponse {
  const method = request.method.toUpperCase();
  if (facts.methods !== 'all' && !facts.methods.includes(method))
    return { status: 404, headers: [] };
  return { status: 200, headers: facts.lines.map(([n, v]): [string, string] => [n, v]) };
}

/** NestJS 12.5 CORS (Express and Fastify adapters) as a {@link LibraryModel}. */
export const nestModel: LibraryModel = {
  library: 'NestJS 12.5 (cors 2.8.6 on Express, @fastify/cors 11.4 on Fastify)',
  respond(policy: Policy, request: HttpRequest): HttpResponse {
    const facts: NestCorsFacts = factsOf(policy, 'nestjs') ?? {
      kind: 'cors',
      adapter: 'express',
      options: optionsFromPolicy(policy),
    };
    if (facts.kind === 'header') return headerRoute(facts, request);
    return facts.adapter === 'fastify' && facts.fastify
      ? fastifyCors(policy, facts.options, facts.fastify, request)
      : expressAdapter(policy, facts, request);
  },
};
