/**
 * What an Express app that writes its CORS headers by hand sends: the app's layers replayed in
 * registration order for one request, each read handler's steps run down the branches the
 * request's method and Origin pick. Layer paths match as the Express major the project's
 * package.json or lockfile says (express-cors's matching: Express 4's path-to-regexp 0.1 below 5,
 * Express 5's when nothing says). Checked against real Express 5 and Express 4.22 (the `express4`
 * alias) apps by test/truth/node-handset.test.ts (fixtures under test/fixtures/truth/node-handset,
 * and node-handset-express4 for paths only Express 4 accepts).
 *
 * What Express and Node do that the code does not say:
 * - `res.set`/`res.header`/`res.append` write `String(value)`: an absent Origin becomes the text
 *   `undefined`; `res.setHeader`/`res.writeHead` throw on it, and Express answers 500, keeping
 *   the headers already set. Headers keep the position they were first set at (Node).
 * - `res.vary` merges into one `Vary` line (the `vary` package); `res.append` adds lines.
 * - A `cors(...)` layer whose options were read runs the npm `cors` lines
 *   (lang/javascript/cors-package/respond.ts) over the lines set so far: it replaces theirs and
 *   ends preflights (truth case handset-then-cors-package).
 * - A request no layer answers gets router's automatic OPTIONS reply (200 with `Allow`) when a
 *   route has that path, else Express's 404 - both keep the headers middleware set.
 *
 * Assumptions, because the model sees the file and not the running app:
 * - A function it cannot read (`express.json()`, an import) lets the request through; as the last
 *   function of a route, it answers 200. A route handler that ends in a way not understood
 *   answers 200; a middleware that returns without `next()` is taken to have called it.
 * - A condition it cannot read counts as false; a status it cannot read as 200. Header values it
 *   cannot read are not sent. Error handlers (four parameters) and `catch` blocks are not run.
 */
import { regexMatches } from '../../base/regex';
import type { HeaderList, HttpRequest, HttpResponse } from '../../fetch/types';
import type {
  NodeCondition,
  NodeHandsetFacts,
  NodeRun,
  NodeStep,
  NodeValue,
  RequestRead,
} from './facts';
import { corsDecision, corsLines } from '../../lang/javascript/cors-package/respond';
import { type Policy, type Span, factsOf } from '../../policy/types';
import { expressLabel, fallThrough, layerMatches, requestHeader } from '../express-cors/model';
import { OutgoingHeaders } from '../../lang/javascript/outgoing-headers';
import type { LibraryModel } from '../../replay/library-model';
import { conditionHolds } from '../../replay/handset-conditions';

/** The request as handlers see it. */
interface Seen {
  method: string;
  /** `req.headers.origin`: repeats joined with `, ` (Node), undefined without one. */
  origin?: string;
  headers: HeaderList;
  /** The request target with its query. */
  path: string;
  /** The path of the mount the running handler is under (`app.use('/api', fn)`), if any. */
  mount?: string;
  /** A condition it could not read was taken as false on the way (see the assumptions above). */
  guessed?: boolean;
}

/** What `req.path`, `req.url` and `req.originalUrl` hold for the running handler. */
function pathValue(part: 'path' | 'url' | 'original', seen: Seen): string {
  if (part === 'original') return seen.path;
  const mount = seen.mount?.replace(/\/+$/, '') ?? '';
  const below =
    mount && seen.path.toLowerCase().startsWith(mount.toLowerCase())
      ? seen.path.slice(mount.length)
      : seen.path;
  const url = below.startsWith('/') ? below : `/${below}`;
  return part === 'url' ? url : url.replace(/[?#].*$/s, '');
}

/** The response being built across layers. */
interface Building {
  status: number;
  headers: OutgoingHeaders;
  /** The call that sent it (`res.status(401).end()`), when a read handler did. */
  sentBy?: Span;
}

/** How a handler left the request: sent, handed on, failed, or returned without either. */
type Outcome = 'end' | 'next' | 'error' | 'return';

/** What a header read gives: the header, or the code's fallback (`|| ''`, `?? '*'`). */
function readValue(read: RequestRead, header: string | undefined): string | undefined {
  const { fallback } = read;
  if (fallback && (header === undefined || (fallback.whenEmpty && header === '')))
    return fallback.value;
  return header;
}

const originValue = (read: RequestRead, seen: Seen) => readValue(read, seen.origin);

/** `re.test(value)` in linear time; the stateful `lastIndex` of `g`/`y` is not modelled. */
function matchesRegex(pattern: string, flags: string, value: string): boolean {
  return regexMatches(pattern, 'js', flags.replace(/[gy]/g, ''), value);
}

/** Node's leaves: the Origin read through the code's fallback, tested in JavaScript's terms. */
function leaf(test: NodeCondition, seen: Seen): boolean {
  switch (test.kind) {
    case 'method':
      return test.methods.includes(seen.method);
    case 'origin-in': {
      const value = originValue(test, seen);
      // `re.test(undefined)` tests the text "undefined"; `includes(undefined)` is false.
      return (
        (value !== undefined && test.exact.some((e) => e.value === value)) ||
        test.regexes.some((r) => matchesRegex(r.pattern, r.flags, String(value)))
      );
    }
    case 'origin-present':
      return !!originValue(test, seen);
    case 'header-present':
      return !!readValue(test, requestHeader(seen.headers, test.header));
    case 'path': {
      const value = pathValue(test.part, seen);
      return test.test === 'equals' ? value === test.value : value[test.test](test.value);
    }
    default:
      seen.guessed = true;
      return false;
  }
}

const holds = (test: NodeCondition, seen: Seen): boolean =>
  conditionHolds(test, (t) => leaf(t, seen));

/** The `vary` package: adds `field` to the one Vary line unless it (or `*`) is listed. */
function vary(headers: OutgoingHeaders, field: string): void {
  const current = (headers.get('vary') ?? []).join(', ');
  const listed = current
    .toLowerCase()
    .split(/\s*,\s*/)
    .filter(Boolean);
  const fields = field.split(/\s*,\s*/).filter(Boolean);
  let value = current;
  if (current === '*' || listed.includes('*') || fields.includes('*')) value = '*';
  else
    for (const f of fields)
      if (!listed.includes(f.toLowerCase())) {
        listed.push(f.toLowerCase());
        value = value ? `${value}, ${f}` : f;
      }
  if (value) headers.set('Vary', value);
}

/** The strings a value writes; `undefined` stands for the absent Origin. */
function values(value: NodeValue, seen: Seen): (string | undefined)[] | 'dynamic' {
  if (value.kind === 'literal') return value.values;
  if (value.kind === 'origin') return [originValue(value, seen)];
  if (value.kind === 'request')
    return [readValue(value, requestHeader(seen.headers, value.header))];
  // A query parameter is in the URL the model sees; a body or cookie value is not.
  if (value.kind === 'request-data' && value.query !== undefined) {
    const found = new URLSearchParams(seen.path.replace(/^[^?]*\??/, '').replace(/#.*$/s, '')).get(
      value.query,
    );
    return [readValue(value, found ?? undefined)];
  }
  return 'dynamic';
}

/** One header write; false when Node throws (an undefined value given to `setHeader`). */
function write(
  step: Extract<NodeStep, { kind: 'header' }>,
  seen: Seen,
  headers: OutgoingHeaders,
): boolean {
  const written = values(step.value, seen);
  if (written === 'dynamic') return true;
  if (step.op === 'vary') return (written.forEach((f) => f && vary(headers, f)), true);
  if (step.op === 'setHeader' && written.includes(undefined)) return false;
  const text = written.map(String);
  if (step.op === 'append') {
    // Express's `res.append` concatenates onto a truthy previous value.
    const previous = headers.get(step.name);
    const prior = previous && !(previous.length === 1 && previous[0] === '') ? previous : [];
    headers.set(step.name, [...prior, ...text]);
  } else headers.set(step.name, text.length === 1 ? text[0] : text);
  return true;
}

/** Runs steps until the handler stops. */
function run(steps: NodeStep[], seen: Seen, response: Building): Outcome | undefined {
  for (const step of steps) {
    switch (step.kind) {
      case 'header':
        if (!write(step, seen, response.headers)) return 'error';
        break;
      case 'status':
        response.status = typeof step.status === 'number' ? step.status : 200;
        break;
      case 'if': {
        const outcome = run(holds(step.test, seen) ? step.then : step.otherwise, seen, response);
        if (outcome) return outcome;
        break;
      }
      case 'end':
        if (typeof step.status === 'number') response.status = step.status;
        response.sentBy = step.span;
        return 'end';
      default:
        return step.kind;
    }
  }
  return undefined;
}

/** What answered a request: the response, the handler that sent it, and whether a guess decided it. */
export interface NodeAnswer {
  response: HttpResponse;
  /** The read handler (an index into the facts' handlers) and the call that sent it. */
  sentBy?: { handler: number; span: Span };
  guessed: boolean;
}

/**
 * The npm `cors` middleware as a layer among hand-written ones: its lines over the headers set so
 * far (`res.setHeader`, so it replaces theirs), and its answer when it ends the request (a
 * preflight) or fails it (an origin callback's error: Express's 500).
 */
function corsLayer(
  cors: NonNullable<Extract<NodeRun, object>['cors']>,
  request: HttpRequest,
  response: Building,
): HttpResponse | 'error' | undefined {
  const decision = corsDecision(cors, cors.options, request);
  if (decision !== 'run') return decision === 'error' ? 'error' : undefined;
  const lines = response.headers.lines();
  const ended = corsLines(cors, cors.options, request, lines);
  response.headers = OutgoingHeaders.of(lines);
  return ended;
}

/** The response: the first layer that sends it, else Express's own answer. */
export function answer(facts: NodeHandsetFacts, request: HttpRequest): NodeAnswer {
  const method = request.method.toUpperCase();
  const pathname = request.path.replace(/[?#].*$/s, '');
  const seen: Seen = {
    method,
    origin: requestHeader(request.headers, 'Origin'),
    headers: request.headers,
    path: request.path,
  };
  const response: Building = { status: 200, headers: new OutgoingHeaders() };
  let handler = -1;
  const done = (answered: HttpResponse): NodeAnswer => ({
    response: answered,
    sentBy: response.sentBy && { handler, span: response.sentBy },
    guessed: !!seen.guessed,
  });
  const sent = () => done({ status: response.status, headers: response.headers.lines() });
  for (const layer of facts.stack) {
    if (!layerMatches(layer, method, pathname, facts.expressMajor)) continue;
    // Express strips a `use` mount's path from `req.path` and `req.url` below it.
    seen.mount =
      layer.kind === 'use' && layer.path.kind === 'string' ? layer.path.value : undefined;
    for (const [i, entry] of layer.run.entries()) {
      const last = i === layer.run.length - 1;
      if (typeof entry === 'object' && entry.cors) {
        const ended = corsLayer(entry.cors, request, response);
        if (ended === 'error') return done({ status: 500, headers: response.headers.lines() });
        if (ended) return done(ended);
        continue;
      }
      if (typeof entry !== 'number') {
        if (layer.kind === 'route' && last) return sent();
        continue;
      }
      handler = entry;
      const outcome = run(facts.handlers[entry].steps, seen, response);
      if (outcome === 'end') return sent();
      if (outcome === 'error') return done({ status: 500, headers: response.headers.lines() });
      if (outcome === 'next') continue;
      // Fell off the end or returned: a route handler answered in a way not read; a middleware went on.
      if (layer.kind === 'route') return sent();
    }
  }
  if (facts.nitroMethod) return done({ status: 405, headers: [] });
  return done(
    fallThrough(facts.stack, method, pathname, response.headers.lines(), facts.expressMajor),
  );
}

/** Hand-written Express CORS headers as a {@link LibraryModel}. */
export const nodeHandset: LibraryModel = {
  library: 'hand-set headers (Express 4.x, 5.x, node:http)',
  labelFor(policy: Policy): string {
    const facts = factsOf(policy, 'node-handset');
    // A plain `http.createServer` listener runs no Express.
    if (facts?.handlers[facts.own]?.plainNode) return 'hand-set headers (node:http)';
    return `hand-set headers (${expressLabel(facts?.expressMajor, ' on Node')})`;
  },
  respond(policy: Policy, request: HttpRequest): HttpResponse {
    const facts = factsOf(policy, 'node-handset');
    return facts ? answer(facts, request).response : { status: 200, headers: [] };
  },
};
