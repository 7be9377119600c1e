/**
 * What the npm `cors` 2.8.6 middleware sends in an Express 5.x app: a line-by-line reading of
 * `cors/lib/index.js` (and `vary` 1.1.2, router 2.3 for what Express answers when `cors` does
 * not), checked against the real packages by test/truth/express-cors.test.ts.
 *
 * Assumptions, because the model sees the file and not the running app:
 * - Each route handler answers 200 and sets no CORS or Vary headers, except an OPTIONS route's
 *   handler that runs a `cors(...)` itself, which answers as that one mounted there
 *   (test/fixtures/truth/express/handler-runs-cors); a path with no route gets
 *   Express's 404; an OPTIONS that no middleware answers gets router's automatic `Allow` reply
 *   (200) when a route has that path, else 404. Paths the extractor could not read match.
 * - Other app-wide `cors()` layers of the same app are replayed with the policy's own (the
 *   stacked-* cases); a `cors()` mounted on some paths only models its own layer.
 * - An origin function the extractor could not read allows only what it could read (often nothing).
 *
 * A project whose package.json or lockfile says Express 4 gets Express 4's path matching
 * (path-to-regexp 0.1: `app.options('*', cors())` answers every preflight) and router 1.x's
 * `Allow` list (the routes' methods in registration order, `GET,HEAD,POST`); the `cors` lines are
 * the same. Checked against the real express 4.22 (the `express4` alias) by the Express 4 suite
 * of test/truth/express-cors.test.ts (the Express 5 cases as Express 4 projects, and Express 4
 * only ones: `'*'`, `'/api/*'`, `:id?`) and, for the paths, test/unit/express/express4-paths.test.ts.
 */
import type { HeaderList, HttpRequest, HttpResponse } from '../../fetch/types';
import type { ExpressCorsFacts, ExpressLayer } from './facts';
import { type Policy, factsOf } from '../../policy/types';
import { expressPathMatches } from '../../lang/javascript/express-path';
import type { LibraryModel } from '../../replay/library-model';
import { mountedEverywhere } from './elsewhere';
import { stackOf } from './routes';
import {
  corsDecision,
  corsLines,
  optionsFromPolicy,
} from '../../lang/javascript/cors-package/respond';

// Node's header helpers live with the `cors` reading in lang/; node-handset reads them from here.
export { requestHeader } from '../../lang/javascript/cors-package/respond';

/** The facts a policy without Express facts stands for: `app.use(cors(options))` before one catch-all route. */
function defaultFacts(policy: Policy): ExpressCorsFacts {
  return {
    ...mountedEverywhere({ file: policy.file, start: 0, end: 0 }),
    ...optionsFromPolicy(policy),
  };
}

/** What router 2.x needs of a layer: `route` layers count for the automatic OPTIONS answer. */
export type RouterLayer = Pick<ExpressLayer, 'methods' | 'path' | 'prefix'> & { kind: string };

/** Route methods as router 2.x sees them: a GET route also answers HEAD. */
const layerMethods = (layer: RouterLayer): string[] | 'all' =>
  layer.methods === 'all'
    ? 'all'
    : layer.methods.includes('GET') && !layer.methods.includes('HEAD')
      ? [...layer.methods, 'HEAD']
      : layer.methods;

/** Whether a layer runs for `method pathname` in the Express `major` the project runs. */
export function layerMatches(
  layer: RouterLayer,
  method: string,
  pathname: string,
  major?: number,
): boolean {
  const methods = layerMethods(layer);
  return (
    (methods === 'all' || methods.includes(method)) &&
    expressPathMatches(layer.path, pathname, layer.prefix, major)
  );
}

/** What Express answers once no middleware or route ended the response: router's OPTIONS reply or a 404. */
export function fallThrough(
  stack: readonly RouterLayer[],
  method: string,
  pathname: string,
  headers: HeaderList,
  major?: number,
): HttpResponse {
  if (method === 'OPTIONS') {
    const allow = new Set<string>();
    for (const layer of stack) {
      const methods = layerMethods(layer);
      if (
        layer.kind === 'route' &&
        methods !== 'all' &&
        expressPathMatches(layer.path, pathname, false, major)
      )
        methods.forEach((m) => allow.add(m));
    }
    if (allow.size) {
      // router 1.x (Express 4) lists the methods as the routes registered them, joined by a bare
      // comma; router 2.x sorts them and joins with ', '.
      const list =
        major !== undefined && major < 5 ? [...allow].join(',') : [...allow].sort().join(', ');
      return {
        status: 200,
        headers: [...headers, ['Allow', list], ['Content-Length', String(Buffer.byteLength(list))]],
      };
    }
  }
  return { status: 404, headers };
}

/**
 * The Express a model runs for a project whose package.json or lockfile says `major`, for its
 * label (`after` follows the version: ` on Node`): Express 4's path matching below 5, Express 5's
 * from 5 on and when nothing says.
 */
export function expressLabel(major: number | undefined, after = ''): string {
  if (major === undefined)
    return `Express 5.x${after}, assumed: no package.json or lockfile names the Express version`;
  const modelled = major < 5 ? 4 : 5;
  return `Express ${major}.x${after}${major === modelled ? '' : `, modelled as ${modelled}.x`}`;
}

/**
 * A route's answer: 200 with what ran before it; an OPTIONS request to a route whose handler runs
 * a `cors(...)` itself gets that one's preflight answer in place of the headers so far (cors
 * 2.8 takes every OPTIONS request for a preflight), or a 500 when that cors passes the request
 * on: the handler gives it no `next` to call.
 */
function routeAnswer(
  layer: ExpressLayer,
  policy: Policy,
  facts: ExpressCorsFacts,
  request: HttpRequest,
  headers: HeaderList,
): HttpResponse {
  const own = layer.runsCors;
  if (!own || request.method.toUpperCase() !== 'OPTIONS') return { status: 200, headers };
  const runner = { ...policy, ...own.policy };
  const options = { ...facts, ...own.facts };
  const decision = corsDecision(runner, options, request);
  if (decision === 'error') return { status: 500, headers };
  const lines: HeaderList = [...headers];
  const ended = decision === 'run' ? corsLines(runner, options, request, lines) : undefined;
  return ended ?? { status: 500, headers: lines };
}

/** A layer a request walks through, with the policy (and its facts) it belongs to. */
interface StackEntry {
  policy: Policy;
  facts: ExpressCorsFacts;
  layer: ExpressLayer;
}

/**
 * The layers a request to `pathname` walks through: the policy's own `cors()` layers and the
 * routes that can match, and, where its app has other app-wide `cors()` layers (`earlier`,
 * `later`), theirs too, in registration order; those of the module the app is imported from come
 * first (requiring it registered them). Every `cors()` sets its headers as Node's `setHeader`
 * does, so a later layer's header replaces an earlier one's of the same name and the others stay;
 * the first that does not let preflights continue ends every OPTIONS request. Checked against
 * real express 4 and 5 with cors 2.8 by the stacked-* cases of test/truth/express-cors.test.ts.
 */
function stackFor(policy: Policy, facts: ExpressCorsFacts, pathname: string): StackEntry[] {
  const own = stackOf(facts.mounts, facts.routes.candidates(pathname));
  if (!facts.earlier && !facts.later) return own.map((layer) => ({ policy, facts, layer }));
  const members = [...(facts.earlier ?? []), { policy }, ...(facts.later ?? [])];
  const seen = new Set<ExpressLayer>();
  const entries: (StackEntry & { imported: boolean })[] = [];
  for (const { policy: member } of members) {
    const theirs = member === policy ? facts : factsOf(member, 'express-cors');
    if (!theirs) continue;
    for (const layer of stackOf(theirs.mounts, theirs.routes.candidates(pathname))) {
      if (seen.has(layer)) continue;
      seen.add(layer);
      entries.push({ policy: member, facts: theirs, layer, imported: member.file !== policy.file });
    }
  }
  return entries.sort((a, b) => Number(b.imported) - Number(a.imported) || a.layer.at - b.layer.at);
}

/** The `cors` 2.8.6 middleware in an Express 4 or 5 app, as a {@link LibraryModel}. */
export const expressCors: LibraryModel = {
  library: 'cors 2.8.6 (Express 4.x, 5.x)',
  labelFor: (policy) =>
    `cors 2.8.6 (${expressLabel(factsOf(policy, 'express-cors')?.expressMajor)})`,
  respond(policy: Policy, request: HttpRequest): HttpResponse {
    const facts = factsOf(policy, 'express-cors') ?? defaultFacts(policy);
    const method = request.method.toUpperCase();
    const pathname = request.path.replace(/[?#].*$/s, '');
    const headers: HeaderList = [];
    /** The policies whose `cors()` ran: each runs once, at its first matching layer. */
    const ran = new Set<Policy>();
    const stack = stackFor(policy, facts, pathname);
    for (const { policy: member, facts: theirs, layer } of stack) {
      if (!layerMatches(layer, method, pathname, facts.expressMajor)) continue;
      if (layer.kind === 'route') return routeAnswer(layer, member, theirs, request, headers);
      if (ran.has(member)) continue;
      ran.add(member);
      const decision = corsDecision(member, theirs, request);
      if (decision === 'error') return { status: 500, headers };
      if (decision === 'skip') continue;
      const ended = corsLines(member, theirs, request, headers);
      if (ended) return ended;
    }
    const layers = stack.map((entry) => entry.layer);
    return fallThrough(layers, method, pathname, headers, facts.expressMajor);
  },
};
