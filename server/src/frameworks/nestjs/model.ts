/**
 * What a NestJS 12.5 app sends for its CORS setup, checked against real Nest apps by
 * test/truth/nestjs.test.ts (@nestjs/core 12.5.1 with @nestjs/platform-express 12.5.1 + cors
 * 2.8.6, and @nestjs/platform-fastify 12.5.0 + the @fastify/cors 11.4.1 it depends on, fastify
 * 5.12, @fastify/middie 9.3).
 *
 * - Express adapter: `enableCors(options)` is `app.use(cors(options))`, and `app.use([path,]
 *   cors(...))` goes to Express as written: both run ahead of every route, which Nest registers
 *   at `init()`. With several layers (`enableCors()` then `app.use(cors({...}))`), each runs in
 *   registration order: the first ends every preflight with its own lines, and on other requests
 *   a later layer's `res.setHeader` replaces an earlier one's value
 *   (test/fixtures/truth/nestjs/two-cors-layers). A layer mounted at a path runs for that prefix
 *   only (truth/nestjs/express-use-cors-at-path). The create options' `cors` is applied in
 *   `init()`, at `listen`: after every `app.use` and `enableCors` of the bootstrap code
 *   (truth/nestjs/create-cors-after-use).
 * - Fastify adapter: `@fastify/cors` (`enableCors`, the create options) runs in an `onRequest`
 *   hook that Nest adds before middie's, whatever the order of the calls (see fastify-cors.ts):
 *   it ends a preflight itself. `app.use([path,] cors(...))` runs the `cors` package through
 *   middie after it; a response the routes send keeps the middleware's lines, except that
 *   `@fastify/cors`'s own values win (truth/nestjs/fastify-enable-cors-and-use-at-path). No
 *   route answers OPTIONS: one that no layer ends gets a 404. Routes match paths
 *   case-sensitively (find-my-way), middie's mounts case-insensitively: under
 *   `setGlobalPrefix('api')`, `GET /API/items` gets the middleware's lines and a 404
 *   (truth/nestjs/fastify-enable-cors-and-use-at-path).
 * - `app.setGlobalPrefix('api')`: the routes answer under `/api` only; elsewhere the CORS layers
 *   still run, and the request gets Nest's 404 (truth/nestjs/express-global-prefix-two-layers).
 * - `@Header(...)` lines are set on the answers of the route they decorate.
 *
 * Assumption, because controllers live in other files: every path (under the global prefix)
 * reaches a route that answers 200 for any method on Express and any but OPTIONS on Fastify (a
 * `@Header` route only for its own methods; others get Nest's 404).
 */
import type { HeaderList, HttpRequest, HttpResponse } from '../../fetch/types';
import { type Policy, factsOf } from '../../policy/types';
import type { LibraryModel } from '../../replay/library-model';
import {
  corsDecision,
  corsLines,
  optionsFromPolicy,
  setHeader,
} from '../../lang/javascript/cors-package/respond';
import { expressPathMatches } from '../../lang/javascript/express-path';
import type { NestCorsFacts, NestCorsLayer } from './facts';
import { fastifyCors } from './fastify-cors';

type CorsFacts = Extract<NestCorsFacts, { kind: 'cors' }>;

/**
 * Whether a path is under a prefix (`/api`: `/api` and `/api/...`, as Express mounts match; `/api/`,
 * a `forRoutes('api/*')`: `/api/` and below, not `/api`; without regard to case, as Express mounts).
 */
const under = (prefix: string | undefined, pathname: string): boolean =>
  prefix === undefined ||
  (prefix.length > 1 && prefix.endsWith('/')
    ? pathname.toLowerCase().startsWith(prefix.toLowerCase())
    : expressPathMatches({ kind: 'string', value: prefix }, pathname, true));

/**
 * Whether Nest's Fastify routes answer a path under the global prefix (`/api`, normalised by the
 * extractor): find-my-way compares paths case-sensitively, so `/API/items` is a 404 there while
 * middie, like Express, still runs the `cors` middleware mounted at `/api` for it.
 */
const underFastify = (prefix: string | undefined, pathname: string): boolean =>
  prefix === undefined ||
  pathname === prefix ||
  pathname.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);

/** The app's CORS layers in registration order (this policy's among them) that run for a path. */
function layersFor(policy: Policy, facts: CorsFacts, pathname: string): NestCorsLayer[] {
  const own: NestCorsLayer = {
    origins: policy.origins,
    credentials: policy.credentials,
    options: facts.options,
    fastify: facts.fastify,
    mount: facts.mount,
  };
  return [...(facts.before ?? []), own, ...(facts.after ?? [])].filter((layer) =>
    under(layer.mount, pathname),
  );
}

/**
 * The `cors` package layers in order, over `headers`: an answer when one ends the request (a
 * preflight, or an origin callback's error: Nest's 500), else undefined.
 */
function corsPackage(
  layers: NestCorsLayer[],
  request: HttpRequest,
  headers: HeaderList,
): HttpResponse | undefined {
  for (const layer of layers) {
    const decision = corsDecision(layer, layer.options, request);
    if (decision === 'error') return { status: 500, headers };
    if (decision !== 'run') continue;
    const ended = corsLines(layer, layer.options, request, headers);
    if (ended) return ended;
  }
  return undefined;
}

/** The Express adapter: the app's `cors` layers in order, then the route (or Nest's 404). */
function expressAdapter(
  layers: NestCorsLayer[],
  routed: boolean,
  request: HttpRequest,
): HttpResponse {
  const headers: HeaderList = [];
  return corsPackage(layers, request, headers) ?? { status: routed ? 200 : 404, headers };
}

/**
 * The Fastify adapter: `@fastify/cors`'s hook first, then the `cors` middleware through middie
 * (on the Node response, which starts with a copy of the hook's lines), then the route, whose
 * reply sets the hook's lines over the middleware's.
 */
function fastifyAdapter(
  layers: NestCorsLayer[],
  routed: boolean,
  request: HttpRequest,
): HttpResponse {
  const options = request.method.toUpperCase() === 'OPTIONS';
  const hook = layers.find((layer) => layer.fastify);
  let reply: HeaderList = [];
  if (hook?.fastify) {
    const answer = fastifyCors(hook, hook.options, hook.fastify, request);
    // A 200 (404 for an OPTIONS) is the hook passing the request on; anything else ends it.
    if (answer.status !== (options ? 404 : 200)) return answer;
    reply = answer.headers;
  }
  const raw: HeaderList = [...reply];
  const middleware = layers.filter((layer) => !layer.fastify);
  const ended = corsPackage(middleware, request, raw);
  if (ended) return ended;
  for (const [name, value] of reply) setHeader(raw, name, value);
  return { status: routed && !options ? 200 : 404, headers: raw };
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
  library: 'NestJS 12.5 (cors 2.8.6 on Express, @fastify/cors 11.4 and middie on Fastify)',
  respond(policy: Policy, request: HttpRequest): HttpResponse {
    const facts: NestCorsFacts = factsOf(policy, 'nestjs') ?? {
      kind: 'cors',
      adapter: 'express',
      options: optionsFromPolicy(policy),
    };
    if (facts.kind === 'header') return headerRoute(facts, request);
    const pathname = request.path.replace(/[?#].*$/s, '');
    const layers = layersFor(policy, facts, pathname);
    return facts.adapter === 'fastify'
      ? fastifyAdapter(layers, underFastify(facts.globalPrefix, pathname), request)
      : expressAdapter(layers, under(facts.globalPrefix, pathname), request);
  },
};
