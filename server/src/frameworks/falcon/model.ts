/**
 * What Falcon 3.1's `CORSMiddleware` (`falcon/middleware.py`, Debian bookworm's python3-falcon
 * 3.1.1) sends, with the router's answers around it; checked against the real Falcon on
 * 127.0.0.1 by test/truth/falcon.test.ts.
 *
 * `process_response` runs for every request, errors included: no Origin header, nothing; an
 * origin outside `allow_origins` (unless `'*'`), nothing; else Access-Control-Allow-Origin (`*`,
 * or the origin when it is listed or credentials are allowed for it, with
 * Access-Control-Allow-Credentials first), Expose-Headers when given, and on a preflight the
 * default OPTIONS responder answered (200), its `Allow` moved to Access-Control-Allow-Methods,
 * the asked headers echoed (`*` when none are asked) and Max-Age 86400. Falcon never sends
 * `Vary: Origin`. Its error answers (404 for a path no route matches, 405 for a method the
 * resource has no responder for, with `Allow`) carry `Vary: Accept`.
 *
 * Assumptions, because the model sees the module and not the running app: a route's responders
 * answer 200 and set no CORS header; a route whose resource is not read answers DELETE, GET,
 * PATCH, POST and PUT; with no route read, every path is such a route. Falcon 4 adds
 * `allow_private_network` (not modelled: bookworm ships 3.1).
 */
import { escapeRegex } from '../../base/regex';
import type { HeaderList, HttpRequest, HttpResponse } from '../../fetch/types';
import { requestHeader } from '../../lang/javascript/cors-package/respond';
import { type Policy, factsOf } from '../../policy/types';
import type { LibraryModel } from '../../replay/library-model';
import type { FalconFacts, FalconOrigins, FalconRoute } from './facts';

/** What a route whose resource the extractor did not read is taken to answer. */
const ASSUMED_METHODS = ['DELETE', 'GET', 'PATCH', 'POST', 'PUT'];

/** A URI template (`/items/{id}`, `/files/{name:int}`) as a regex over the request path. */
function templateRegex(template: string): RegExp {
  const pattern = template
    .split(/(\{[^}]*\})/)
    .map((part) => (part.startsWith('{') ? '[^/]+' : escapeRegex(part)))
    .join('');
  return new RegExp(`^${pattern}$`);
}

/** The route a path reaches; a stand-in route when the module's routes were not read. */
function routeFor(facts: FalconFacts, path: string): FalconRoute | undefined {
  if (!facts.routes.length) return { template: path };
  return facts.routes.find((r) => templateRegex(r.template).test(path));
}

const has = (set: FalconOrigins, origin: string) =>
  set.kind === 'any' || (set.kind === 'list' && set.values.includes(origin));

/** The router's answer before the middleware's `process_response`; `succeeded` as Falcon passes it. */
function routed(facts: FalconFacts, request: HttpRequest) {
  const route = routeFor(facts, request.path.replace(/[?#].*$/s, ''));
  const headers: HeaderList = [];
  if (!route) return { status: 404, headers: [['vary', 'Accept']] as HeaderList, succeeded: false };
  const methods = route.methods ?? ASSUMED_METHODS;
  const method = request.method.toUpperCase();
  if (method === 'OPTIONS') {
    headers.push(['allow', methods.join(', ')]);
    return { status: 200, headers, succeeded: true };
  }
  if (!methods.includes(method)) {
    headers.push(['allow', [...methods, 'OPTIONS'].join(', ')], ['vary', 'Accept']);
    return { status: 405, headers, succeeded: false };
  }
  return { status: 200, headers, succeeded: true };
}

export const falconCors: LibraryModel = {
  library: 'Falcon 3.1 CORSMiddleware',
  respond(policy: Policy, request: HttpRequest): HttpResponse {
    const facts = factsOf(policy, 'falcon');
    if (!facts) return { status: 404, headers: [] };
    const answer = routed(facts, request);
    const headers = answer.headers;
    const origin = requestHeader(request.headers, 'Origin');
    if (origin === undefined || !has(facts.origins, origin))
      return { status: answer.status, headers };
    const credentialed = has(facts.credentials, origin);
    if (credentialed) headers.push(['access-control-allow-credentials', 'true']);
    const echo = credentialed || facts.origins.kind !== 'any';
    headers.push(['access-control-allow-origin', echo ? origin : '*']);
    if (facts.expose) headers.push(['access-control-expose-headers', facts.expose]);
    const asked = requestHeader(request.headers, 'Access-Control-Request-Method');
    if (answer.succeeded && request.method.toUpperCase() === 'OPTIONS' && asked) {
      const at = headers.findIndex(([n]) => n === 'allow');
      const [, allow] = headers.splice(at, 1)[0];
      headers.push(
        ['access-control-allow-methods', allow],
        [
          'access-control-allow-headers',
          requestHeader(request.headers, 'Access-Control-Request-Headers') ?? '*',
        ],
        ['access-control-max-age', '86400'],
      );
    }
    return { status: answer.status, headers };
  },
};
