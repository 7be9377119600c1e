/**
 * What Apollo Server 5.5's standalone server sends (`@apollo/server/standalone`, verified with
 * @apollo/server 5.5.1 by test/truth/apollo-server.test.ts): `cors` 2.8.6 with its defaults
 * first (a preflight ends there with 204), then body-parser and the GraphQL handler.
 *
 * Assumption, because the model sees no operation: the request carries no GraphQL query, so the
 * handler refuses it - 400 from CSRF prevention for a request a browser could send without a
 * preflight (no Content-Type or a simple one, and neither `x-apollo-operation-name` nor
 * `apollo-require-preflight`), else 400 for a GET or POST without a query and 405 for other methods.
 */
import type { HeaderList, HttpRequest, HttpResponse } from '../../fetch/types';
import { type Policy, factsOf } from '../../policy/types';
import type { LibraryModel } from '../../replay/library-model';
import { corsLines, requestHeader } from '../../lang/javascript/cors-package/respond';
import type { CorsPackageOptions } from '../../lang/javascript/cors-package/types';

/** `cors()` with no options. */
const DEFAULTS: CorsPackageOptions = {
  origin: { kind: 'any' },
  methods: 'GET,HEAD,PUT,PATCH,POST,DELETE',
  preflightContinue: false,
  optionsSuccessStatus: 204,
};

const SIMPLE_TYPES = new Set([
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
]);

/** Apollo's CSRF prevention: a request that could skip the preflight must name an operation or ask for one. */
function blockedAsCsrf(request: HttpRequest): boolean {
  const type = requestHeader(request.headers, 'Content-Type')?.split(';')[0].trim().toLowerCase();
  if (type !== undefined && type !== '' && !SIMPLE_TYPES.has(type)) return false;
  return (
    requestHeader(request.headers, 'x-apollo-operation-name') === undefined &&
    requestHeader(request.headers, 'apollo-require-preflight') === undefined
  );
}

export const apolloStandalone: LibraryModel = {
  library: '@apollo/server 5.5 standalone (cors 2.8.6 defaults)',
  respond(policy: Policy, request: HttpRequest): HttpResponse {
    const headers: HeaderList = [];
    const ended = corsLines(policy, DEFAULTS, request, headers);
    if (ended) return ended;
    const csrf = factsOf(policy, 'apollo-server')?.csrfPrevention ?? true;
    const method = request.method.toUpperCase();
    if (csrf && blockedAsCsrf(request)) return { status: 400, headers };
    return {
      status: method === 'GET' || method === 'HEAD' || method === 'POST' ? 400 : 405,
      headers,
    };
  },
};
