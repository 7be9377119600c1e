/**
 * What a fetch handler's platform sends: the `Response` the handler returns, its headers as the
 * WHATWG `Headers` object holds them (lowercase names; `append` joins values with `, `), and
 * nothing else on the CORS headers or Vary. Checked by test/truth/fetch-handler.test.ts, which runs
 * each fixture's handler under Node's own fetch API (undici's `Request`, `Response`, `Headers`)
 * behind node:http: workerd, Deno and Bun themselves cannot run here; what they add to a response
 * (`cf-ray`, `date`, `content-type`) is no CORS header.
 * - A method the handler tests for (`request.method === 'OPTIONS'`) gets that branch's answer;
 *   any other method (HEAD included: the handler runs for it) the shared one.
 * - Its answer is the first response whose path tests (`url.pathname === '/api/items'`,
 *   `.startsWith('/api/')`) the request's path passes; a test of the URL the reader does not know
 *   is taken to fail.
 * - A handler that returns no `Response` makes the platform answer 500 without headers.
 * - A response it returns when the Origin fails its allowlist is sent to those origins instead.
 */
import { firstValue } from '../../fetch/headers';
import type { HttpRequest, HttpResponse } from '../../fetch/types';
import { pathPasses, webHeaders } from '../../lang/javascript/response-shape';
import { type Policy, factsOf } from '../../policy/types';
import type { LibraryModel } from '../../replay/library-model';

const header = firstValue;

export const fetchHandlerModel: LibraryModel = {
  library: 'a fetch handler (Workers, Deno.serve, Bun.serve)',
  respond(policy: Policy, request: HttpRequest): HttpResponse {
    const facts = factsOf(policy, 'fetch-handler');
    const method = request.method.toUpperCase();
    const answer =
      facts?.answers.find((a) => a.method === method) ??
      facts?.answers.find((a) => a.method === '*');
    const path = request.path.replace(/[?#].*$/s, '');
    const route = answer?.routes.find((r) => pathPasses(r.paths, path));
    if (!route) return { status: 500, headers: [] };
    const origin = header(request.headers, 'origin');
    const { refusal } = route.response;
    const sent =
      refusal && (origin === undefined || !refusal.allowlist.includes(origin))
        ? refusal.response
        : route.response;
    return { status: sent.status, headers: webHeaders(sent.headers, origin) };
  },
};
