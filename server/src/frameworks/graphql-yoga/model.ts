/**
 * What graphql-yoga 5.24 sends (its CORS is `useCORS` of @whatwg-node/server 0.10, read in
 * `cjs/plugins/useCors.js`), verified with graphql-yoga 5.24.1 on node:http by
 * test/truth/graphql-yoga.test.ts.
 *
 * Every OPTIONS request, on any path, is answered 204 with `Content-Length: 0` before yoga looks
 * at the path, but for the health check (`healthCheckEndpoint`, `/health`), which answers any
 * method 200 on a URL that ends with it. The headers go on every answer that carries an Origin
 * header (an empty one too): the Access-Control-Allow-Origin value as the `origin` option picks
 * it (an unlisted origin gets `null`: yoga never leaves the header out), `Vary: Origin` where it
 * echoes, the methods and headers as configured or else those the preflight asked for, and
 * `Access-Control-Allow-Credentials: true` unless `credentials: false`.
 *
 * Assumption, because the model sees the file and not the queries: a request carries no GraphQL
 * operation: a GET to the endpoint gets yoga's 200 error answer (406 when it does not accept
 * JSON), a POST 400 (a JSON body) or 415 (another type), other methods 405; other paths 404.
 */
import type { HeaderList, HttpRequest, HttpResponse } from '../../fetch/types';
import { requestHeader } from '../../lang/javascript/cors-package/respond';
import { type Policy, factsOf } from '../../policy/types';
import type { LibraryModel } from '../../replay/library-model';
import type { GraphqlYogaFacts } from './facts';

/** `getCORSHeadersByRequestAndOptions`: the headers for a request with this Origin. */
function corsHeaders(facts: GraphqlYogaFacts, request: HttpRequest, origin: string): HeaderList {
  const headers: [string, string][] = [];
  const set = (name: string, value: string) => headers.push([name, value]);
  const mode = facts.origin;
  const listed = mode.kind === 'list' && mode.values.includes(origin);
  const echoes = mode.kind === 'echo' || listed;
  set('access-control-allow-origin', echoes ? origin : mode.kind === 'fixed' ? mode.value : 'null');
  if (echoes) set('vary', 'Origin');
  const asked = (name: string) => requestHeader(request.headers, name);
  const methods = facts.methods ?? asked('Access-Control-Request-Method');
  if (methods) set('access-control-allow-methods', methods);
  const allowed = facts.allowedHeaders ?? asked('Access-Control-Request-Headers');
  if (allowed) set('access-control-allow-headers', allowed);
  if (!facts.allowedHeaders && allowed) {
    const vary = headers.find(([n]) => n === 'vary');
    if (vary) vary[1] += ', Access-Control-Request-Headers';
    else set('vary', 'Access-Control-Request-Headers');
  }
  if (facts.credentials ?? true) set('access-control-allow-credentials', 'true');
  if (facts.exposedHeaders !== undefined)
    set('access-control-expose-headers', facts.exposedHeaders);
  if (facts.maxAge) set('access-control-max-age', facts.maxAge);
  return headers;
}

/** The status yoga answers a request with (see the assumptions above). */
function status(facts: GraphqlYogaFacts, request: HttpRequest): number {
  // The health check runs first and answers any method on a URL that ends with its path.
  if (request.path.endsWith(facts.healthEndpoint)) return 200;
  const method = request.method.toUpperCase();
  if (method === 'OPTIONS') return 204;
  if (request.path.replace(/[?#].*$/s, '') !== facts.endpoint) return 404;
  const header = (name: string) => requestHeader(request.headers, name) ?? '';
  // No operation: a GET is a request error yoga sends as 200 where the caller takes JSON (406
  // where it does not); a POST's empty JSON body is 400, a body of no type yoga parses 415.
  if (method === 'GET')
    return !header('Accept') ||
      /\*\/\*|application\/(?:graphql-response\+)?json/i.test(header('Accept'))
      ? 200
      : 406;
  if (method === 'POST') return /^application\/json\b/i.test(header('Content-Type')) ? 400 : 415;
  return 405;
}

export const graphqlYoga: LibraryModel = {
  library: 'graphql-yoga 5.24 (@whatwg-node/server 0.10 useCORS)',
  respond(policy: Policy, request: HttpRequest): HttpResponse {
    const facts = factsOf(policy, 'graphql-yoga');
    const code = facts ? status(facts, request) : 404;
    const origin = requestHeader(request.headers, 'Origin');
    const preflight = code === 204 && request.method.toUpperCase() === 'OPTIONS';
    const headers: HeaderList = preflight ? [['Content-Length', '0']] : [];
    if (facts && origin !== undefined) headers.push(...corsHeaders(facts, request, origin));
    return { status: code, headers };
  },
};
