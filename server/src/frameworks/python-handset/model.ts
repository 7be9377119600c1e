/**
 * What a Python app that writes its CORS headers by hand sends: the extractor's handler steps
 * replayed for one request, taking the branches the request's method and Origin pick. Checked
 * against real Flask 2.2 apps by test/truth/flask-cors.test.ts (fixtures under
 * test/fixtures/truth/python-handset) and real aiohttp 3.8.4 apps by
 * test/truth/aiohttp-handset.test.ts (test/fixtures/truth/python-handset-aiohttp), and Django
 * 3.2 middleware (alone, and inside django-cors-headers 3.14's CorsMiddleware) by
 * test/truth/django-handset.test.ts.
 *
 * Assumptions, because the model sees the CORS code and not the whole app:
 * - Flask: `before_request` hooks run in order and the first that returns a response answers;
 *   then the route whose rule matches the path and lists the method runs its view; an OPTIONS
 *   the rule does not list gets Flask's automatic empty 200; any other request reaches some other
 *   view that answers 200 without CORS headers. `after_request` hooks run last, in reverse order
 *   of registration (as Flask does), on every response.
 * - FastAPI routes answer 405 to methods they do not declare; Django views take every method.
 * - Tornado: a handler class answers every path (its URL table is elsewhere) and 405 to a method
 *   it has no method for, with `set_default_headers`'s
 *   headers first on every response, 405 included; `self.set_status(n)` sets the status its
 *   method ends with. Checked against Tornado 6.2 by test/truth/tornado-handset.test.ts.
 * - aiohttp: middlewares run in order around the view; a path no route of the module matches
 *   answers 404 and a method none of its routes takes 405 (raised through the middlewares, so
 *   what they write after awaiting the handler is lost); with no route the module can list, every
 *   path takes GET, HEAD, POST, PUT, PATCH and DELETE. `on_response_prepare` hooks run on every
 *   response, 404 and 405 included, as `after` hooks.
 * - A condition the model cannot read (`if user.is_staff:`) counts as false, and a status it
 *   cannot read as 200. Only the headers the code writes are listed.
 * - A method list read at run time (`request.method in methods`, a decorator's arguments) is
 *   taken to hold the request's method, as a configured allowlist is taken to hold its Origin.
 * - An operator's setting tested as a switch (`if settings.get("allowCrossOrigin"):`) counts as
 *   off, unless every Access-Control-Allow-Origin line needs one on: then the code exists to
 *   serve cross-origin callers once the operator opts in, and the model shows that case.
 */
import type { HeaderList, HttpRequest, HttpResponse } from '../../fetch/types';
import type {
  HandsetCondition,
  HandsetHandler,
  HandsetHeader,
  HandsetStep,
  HandsetValue,
  PythonHandsetFacts,
} from './facts';
import { type Policy, factsOf } from '../../policy/types';
import { regexMatches } from '../../base/regex';
import { pythonUnquote } from '../../lang/python/unquote';
import type { LibraryModel } from '../../replay/library-model';
import { conditionHolds, requestLeaf } from '../../replay/handset-conditions';

/** The request as the handlers see it. */
interface Seen {
  method: string;
  path: string;
  /** The Origin header (repeats joined with `,`), or undefined. */
  origin?: string;
  /** Whether the operator's switches are on (see PythonHandsetFacts.switchesOn). */
  switchesOn: boolean;
}

/** What one handler did: the headers it wrote, and the response it returned, if any. */
interface Ran {
  writes: HandsetHeader[];
  returned?: Extract<HandsetStep, { kind: 'return' }>;
}

/**
 * Python's truth: an empty Origin is false (but sent); a switch as `switchesOn` says; a test of
 * the Origin the reader could not read is false.
 */
const holds = (test: HandsetCondition, seen: Seen): boolean =>
  conditionHolds(test, (leaf) =>
    leaf.kind === 'switch'
      ? seen.switchesOn
      : leaf.kind === 'origin-sent'
        ? seen.origin !== undefined
        : leaf.kind === 'origin-match'
          ? seen.origin !== undefined &&
            regexMatches(leaf.pattern, leaf.flavor ?? 'python-match', leaf.modifiers, seen.origin)
          : leaf.kind === 'method-listed' ||
            requestLeaf<HandsetCondition>(leaf, seen, (origin) => !!origin),
  );

/** Runs steps until a return; header writes are collected in order. */
function run(steps: HandsetStep[], seen: Seen, out: Ran): boolean {
  for (const step of steps) {
    if (step.kind === 'header') out.writes.push(step);
    else if (step.kind === 'return') {
      out.returned = step;
      return true;
    } else if (run(holds(step.test, seen) ? step.then : step.otherwise, seen, out)) return true;
  }
  return false;
}

/** A header's text: the literal, or the request's Origin (the code's default, else str(None)). */
const text = (value: HandsetValue, seen: Seen): string | undefined =>
  value.kind === 'literal'
    ? value.value
    : value.kind === 'origin'
      ? (seen.origin ?? value.absent ?? 'None')
      : undefined;

/** Werkzeug's Headers: `set` replaces the first line of that name in place and drops the rest. */
function write(headers: HeaderList, header: HandsetHeader, seen: Seen): void {
  const value = text(header.value, seen);
  if (value === undefined) return;
  const lower = header.name.toLowerCase();
  const index = headers.findIndex(([n]) => n.toLowerCase() === lower);
  if (header.op === 'add' || index < 0) {
    if (header.op !== 'setdefault' || index < 0) headers.push([header.name, value]);
    return;
  }
  if (header.op === 'setdefault') return;
  headers[index] = [header.name, value];
  for (let i = headers.length - 1; i > index; i--)
    if (headers[i][0].toLowerCase() === lower) headers.splice(i, 1);
}

/**
 * The response a handler returned: its status, its constructor's headers, then its writes, over
 * the headers the response already had (`initial`: Tornado's defaults).
 */
function built(ran: Ran, seen: Seen, initial: HeaderList = []): HttpResponse {
  const returned = ran.returned;
  const headers: HeaderList = [...initial];
  for (const header of returned?.headers ?? []) write(headers, header, seen);
  for (const header of ran.writes) write(headers, header, seen);
  return { status: typeof returned?.status === 'number' ? returned.status : 200, headers };
}

function routeMatches(handler: HandsetHandler, path: string): boolean {
  return regexMatches(handler.route?.regex ?? '.*', 'python-match', '', path);
}

/** The methods a route answers itself (GET brings HEAD), or null for every method. */
function routeMethods(
  handler: HandsetHandler,
  framework: PythonHandsetFacts['framework'],
): string[] | null {
  const listed = handler.route?.methods;
  if (framework === 'django' || !handler.route || listed?.includes('*')) return null;
  const methods = listed ?? ['GET'];
  // Tornado answers HEAD only with a `head` method of its own.
  return methods.includes('GET') && framework !== 'tornado' ? [...methods, 'HEAD'] : methods;
}

/** The view stage: the matching view's response, Flask's automatic OPTIONS, or another view's 200. */
function view(facts: PythonHandsetFacts, seen: Seen, initial: HeaderList = []): HttpResponse {
  const views = facts.handlers.filter((h) => h.stage === 'view' && routeMatches(h, seen.path));
  const answering = views.find(
    (h) => routeMethods(h, facts.framework)?.includes(seen.method) ?? true,
  );
  if (answering) {
    const ran: Ran = { writes: [] };
    run(answering.steps, seen, ran);
    return built(ran, seen, initial);
  }
  // FastAPI and Tornado answer a method the matching handler does not declare with 405 (Flask
  // adds OPTIONS).
  const refuses = facts.framework === 'fastapi' || facts.framework === 'tornado';
  return { status: refuses && views.length ? 405 : 200, headers: [...initial] };
}

const ANY_ROUTE = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * aiohttp's answer when no route takes the request: 404 when no route's path matches, 405 when
 * none of those takes the method (`*` takes every one); undefined when one does.
 */
function unrouted(facts: PythonHandsetFacts, seen: Seen): HttpResponse | undefined {
  const routes = facts.routes ?? [{ regex: '.*', methods: ANY_ROUTE, sample: '/' }];
  const matching = routes.filter((r) => regexMatches(r.regex, 'python-match', '', seen.path));
  if (!matching.length) return { status: 404, headers: [] };
  return matching.some((r) => r.methods.includes(seen.method) || r.methods.includes('*'))
    ? undefined
    : { status: 405, headers: [] };
}

/**
 * Tornado's answer: `clear()` starts every response with its Content-Type (which a handler's
 * `set_header` replaces in place), then `set_default_headers` writes, then the method's own; a
 * 204 or 304 drops the Content-Type. Only a Content-Type the code wrote is listed.
 */
function tornadoView(facts: PythonHandsetFacts, seen: Seen, defaults: HandsetHeader[]) {
  const start: [string, string] = ['Content-Type', 'text/html; charset=UTF-8'];
  const headers: HeaderList = [start];
  for (const header of defaults) write(headers, header, seen);
  const response = view(facts, seen, headers);
  const bodiless = [204, 304].includes(response.status) || response.status < 200;
  response.headers = response.headers.filter(
    (line) => line !== start && !(bodiless && line[0].toLowerCase() === 'content-type'),
  );
  return response;
}

/** Replays the handlers for one request. */
function respond(facts: PythonHandsetFacts, request: HttpRequest): HttpResponse {
  const origins = request.headers
    .filter(([n]) => n.toLowerCase() === 'origin')
    .map(([, v]) => v.trim());
  const seen: Seen = {
    method: request.method.toUpperCase(),
    path: pythonUnquote(request.path.replace(/[?#].*$/s, '')),
    origin: origins.length ? origins.join(',') : undefined,
    switchesOn: facts.switchesOn,
  };
  let response: HttpResponse | undefined;
  // Writes of hooks that let the request through (FastAPI middleware) land on the final response.
  const passed: HandsetHeader[] = [];
  for (const hook of facts.handlers.filter((h) => h.stage === 'before')) {
    const ran: Ran = { writes: [] };
    run(hook.steps, seen, ran);
    if (ran.returned && !ran.returned.passThrough) {
      response = built(ran, seen);
      break;
    }
    passed.push(...ran.writes);
  }
  // aiohttp raises its 404 and 405 through the middlewares: what they write after awaiting the
  // handler is never reached.
  const refused = !response && facts.framework === 'aiohttp' ? unrouted(facts, seen) : undefined;
  if (facts.framework === 'tornado' && !response) response = tornadoView(facts, seen, passed);
  response ??= refused ?? view(facts, seen);
  if (!refused && facts.framework !== 'tornado')
    for (const header of passed) write(response.headers, header, seen);
  for (const hook of facts.handlers.filter((h) => h.stage === 'after').reverse()) {
    const ran: Ran = { writes: [] };
    run(hook.steps, seen, ran);
    for (const header of ran.writes) write(response.headers, header, seen);
  }
  return response;
}

/**
 * django-cors-headers 3.14 around an inner middleware, for an origin it does not allow:
 * `process_request` answers a preflight with an empty 200 before the inner one runs;
 * `process_response` patches Vary with Origin, then (an Origin sent) sets Allow-Credentials when
 * its settings allow them, and leaves the rest as the inner middleware wrote it.
 */
function aroundCorsheaders(
  outer: NonNullable<PythonHandsetFacts['outerCorsheaders']>,
  request: HttpRequest,
  inner: () => HttpResponse,
): HttpResponse {
  const sent = (name: string) =>
    request.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
  const preflight =
    request.method.toUpperCase() === 'OPTIONS' &&
    sent('Access-Control-Request-Method') !== undefined;
  const response = preflight ? { status: 200, headers: [] as HeaderList } : inner();
  const headers = response.headers;
  const vary = headers.findIndex(([n]) => n.toLowerCase() === 'vary');
  if (vary < 0) headers.push(['Vary', 'Origin']);
  else if (!/(^|,)\s*(origin|\*)\s*(,|$)/i.test(headers[vary][1]))
    headers[vary] = [headers[vary][0], `${headers[vary][1]}, Origin`];
  if (sent('Origin') && outer.credentials) {
    // `response[name] = value`: a dict entry, replaced where it stands.
    const at = headers.findIndex(([n]) => n.toLowerCase() === 'access-control-allow-credentials');
    if (at < 0) headers.push(['Access-Control-Allow-Credentials', 'true']);
    else headers[at] = ['Access-Control-Allow-Credentials', 'true'];
  }
  return response;
}

/** Hand-written Python CORS headers as a {@link LibraryModel}. */
export const pythonHandset: LibraryModel = {
  library: 'hand-set headers (Flask 2.2 / Django 3.2 / FastAPI 0.92 / aiohttp 3.8 / Tornado 6.2)',
  respond(policy: Policy, request: HttpRequest): HttpResponse {
    const facts = factsOf(policy, 'python-handset');
    if (!facts) return { status: 200, headers: [] };
    const outer = facts.outerCorsheaders;
    return outer
      ? aroundCorsheaders(outer, request, () => respond(facts, request))
      : respond(facts, request);
  },
};
