/**
 * Hand-set CORS headers in Express: one policy per function that writes an `Access-Control-*`
 * header (a middleware or a route handler, inline or a module function), with the app's layers
 * in registration order so the model can replay what runs for a request. A function the module
 * defines but does not register (a middleware exported for another file) stands alone: modelled
 * as `app.use(fn)` in front of one route that answers.
 */
import type { Node } from 'web-tree-sitter';
import type { SourceTree } from '../../parsing/source-tree';
import type { ExpressPath } from '../../lang/javascript/express-path';
import type { NodeHandler, NodeHandsetFacts, NodeLayer, NodeRun } from './facts';
import { type Policy, type SourceRef, type Span, factsOf } from '../../policy/types';
import type { CorsPackageOptions } from '../../lang/javascript/cors-package/types';
import { appCalls, type AppCall, corsCall } from '../express-cors/app-calls';
import { corsLayerOptions, urlRegexOf } from '../express-cors/extract';
import { pagesApiPathOf, routeRegex, routeSample } from '../../lang/javascript/next-routes';
import { defaultImportNames } from '../../lang/javascript/modules';
import { JsEvaluator, spanOf, unwrap, argumentsOf } from '../../lang/javascript/evaluate';
import type { SourceReader } from '../../base/source-reader';
import { matchesWithinBudget } from '../../base/budget';
import { HandlerReader, isHandlerFunction } from './handler';
import { preflightBranches } from '../../lang/handset-branches';
import { endpointMethods } from './served-methods';
import { neutralFields } from './neutral';
import { packageVersion } from '../../workspace/npm-version';

/** `express()`, `express.Router()`, `Router()`: what an app or router is created with. */
const APP_FACTORY = /^(express(\.default)?|(express\.)?Router)$/;

/**
 * What a class's field is set to (`app = express()`, `private app: Application = express()`, or
 * `this.app = express()` in a method), by its name: the first such value in the module.
 */
function fieldValues(root: Node): Map<string, Node> {
  const values = new Map<string, Node>();
  for (const field of root.descendantsOfType(['public_field_definition', 'field_definition'])) {
    const name = field?.childForFieldName('name') ?? field?.childForFieldName('property');
    const value = field?.childForFieldName('value');
    if (name && value && !values.has(name.text)) values.set(name.text, value);
  }
  for (const assignment of root.descendantsOfType('assignment_expression')) {
    const left = assignment?.childForFieldName('left');
    const right = assignment?.childForFieldName('right');
    if (
      left?.type === 'member_expression' &&
      left.childForFieldName('object')?.type === 'this' &&
      right &&
      !values.has(left.childForFieldName('property')?.text ?? '')
    )
      values.set(left.childForFieldName('property')!.text, right);
  }
  return values;
}

const APP_NAME = /^(app|router|api|server)$|(App|Router)$/;

/**
 * Whether a call's receiver is an Express app or router (by its declaration, else by its name): a
 * module-level name, or a field of the class that holds it (`this.app`, mempool's
 * `private app: express.Application = express()`).
 */
function isApp(js: JsEvaluator, receiver: string, fields: () => Map<string, Node>): boolean {
  const field = /^this\.([\w$]+)$/.exec(receiver)?.[1];
  const name = field ?? receiver;
  const bound = field ? fields().get(field) : js.declaration(receiver);
  if (bound)
    return (
      unwrap(bound).type === 'call_expression' &&
      APP_FACTORY.test(unwrap(bound).childForFieldName('function')?.text ?? '')
    );
  return APP_NAME.test(name);
}

/** The function a handler argument is: inline, or a module-level name bound to one. */
function functionOf(js: JsEvaluator, node: Node): Node | undefined {
  const inner = unwrap(node);
  if (isHandlerFunction(inner)) return inner;
  if (inner.type !== 'identifier') return undefined;
  const bound = js.declaration(inner.text);
  return bound && isHandlerFunction(unwrap(bound)) ? unwrap(bound) : undefined;
}

/**
 * A Nitro (or Nuxt) server route named for one method: `server/api/query.post.ts`. Nitro's
 * router (h3's, preemptive) answers its other methods 405, as h3 1.15 does on 127.0.0.1
 * (not a truth suite: Nitro itself is not installed here).
 */
const NITRO_METHOD =
  /(?:^|[\\/])server[\\/](?:api|routes)[\\/](?:[^\\/]+[\\/])*[^\\/]+\.(get|post|put|patch|delete|head|options)\.[cm]?[jt]s$/;

/** h3's handler makers (Nitro and Nuxt server routes auto-import them). */
const H3_HANDLER = /^(?:defineEventHandler|eventHandler|defineCachedEventHandler)$/;

/**
 * The functions given to h3's `defineEventHandler(fn)` at a module's top level (a Nitro or Nuxt
 * server route's `export default defineEventHandler(...)`, or one bound to a name).
 */
function h3Handlers(root: Node): Node[] {
  const out: Node[] = [];
  const visit = (node: Node | null): void => {
    if (!node) return;
    const inner = unwrap(node);
    if (inner.type === 'call_expression') {
      const fn = argumentsOf(inner)[0];
      if (H3_HANDLER.test(inner.childForFieldName('function')?.text ?? '') && fn)
        if (isHandlerFunction(unwrap(fn))) out.push(unwrap(fn));
    } else if (inner.type === 'export_statement')
      visit(inner.childForFieldName('declaration') ?? inner.childForFieldName('value'));
    else if (inner.type === 'lexical_declaration' || inner.type === 'variable_declaration')
      inner.namedChildren.forEach((d) => visit(d?.childForFieldName('value') ?? null));
  };
  root.namedChildren.forEach(visit);
  return out;
}

/**
 * The handler a middleware factory returns (`module.exports = () => (req, res, next) => {...}`,
 * `function cors() { return function (req, res, next) {...} }`: CartoDB-SQL-API, held-out batch
 * 28): the function its body returns at its own top level.
 */
function returnedHandler(fn: Node): Node | undefined {
  const body = fn.childForFieldName('body');
  if (!body) return undefined;
  if (body.type !== 'statement_block') {
    const value = unwrap(body);
    return isHandlerFunction(value) ? value : undefined;
  }
  for (const statement of body.namedChildren) {
    if (statement?.type !== 'return_statement') continue;
    const value = statement.namedChildren[0] && unwrap(statement.namedChildren[0]);
    if (value && isHandlerFunction(value)) return value;
  }
  return undefined;
}

/**
 * Module-level functions with a `(req, res...)` shape: declarations, `const f = (...) =>`,
 * exports, and the handlers middleware factories return.
 */
/**
 * A function that returns `true` or `false` (`handlePreflight(req, res)`: true when it answered
 * the OPTIONS request): a helper its caller asks, which answers the other requests itself
 * (mychat's server calls `setCorsHeaders(res)` on every request first; held-out batch 52).
 */
function returnsWhetherAnswered(fn: Node): boolean {
  return fn
    .descendantsOfType('return_statement')
    .some((r) => !!r && ['true', 'false'].includes(r.namedChildren[0]?.type ?? ''));
}

function moduleFunctions(root: Node): Node[] {
  const out: Node[] = [];
  const visit = (node: Node | null): void => {
    if (!node) return;
    const inner = unwrap(node);
    if (isHandlerFunction(inner)) {
      out.push(inner);
      const returned = returnedHandler(inner);
      if (returned) out.push(returned);
    } else if (inner.type === 'export_statement')
      visit(inner.childForFieldName('declaration') ?? inner.childForFieldName('value'));
    else if (inner.type === 'lexical_declaration' || inner.type === 'variable_declaration')
      inner.namedChildren.forEach((d) => visit(d?.childForFieldName('value') ?? null));
    // `module.exports = (req, res, next) => {...}`
    else if (inner.type === 'expression_statement')
      visit(
        inner.namedChildren[0]?.type === 'assignment_expression'
          ? inner.namedChildren[0].childForFieldName('right')
          : null,
      );
  };
  root.namedChildren.forEach(visit);
  return out;
}

/**
 * A path to ask the model about: `:id` and `*rest` (Express 4: `*`, `:id?`) filled in, optional
 * `{...}` groups left out.
 */
export function samplePathOf(path: ExpressPath): string | undefined {
  if (path.kind !== 'string') return undefined;
  const sample = path.value
    .replace(/\{[^{}]*\}/g, '')
    .replace(/[:*](?:[A-Za-z_$][\w$]*|"[^"]*")\??|\*/g, 'x');
  return sample.startsWith('/') ? sample : undefined;
}

/** A path the handler's own layers cover, preferring one a route of the app answers. */
function samplePath(own: NodeLayer[], stack: NodeLayer[]): string {
  const routes = stack
    .filter((l) => l.kind === 'route')
    .map((l) => samplePathOf(l.path))
    .filter((p): p is string => !!p);
  for (const layer of own) {
    if (layer.kind === 'route') {
      const sample = samplePathOf(layer.path);
      if (sample) return sample;
      continue;
    }
    const mount = layer.path.kind === 'all' ? '' : samplePathOf(layer.path);
    if (mount === undefined) continue;
    return (
      routes.find((r) => r === mount || r.startsWith(`${mount.replace(/\/$/, '')}/`)) ??
      (mount || '/')
    );
  }
  return '/';
}

/** The layers of one module: per receiver (`app`, `router`), in registration order. */
class AppReader {
  readonly handlers: NodeHandler[] = [];
  readonly stacks = new Map<string, NodeLayer[]>();
  private readonly indexOf = new Map<number, number | undefined>();
  /** The `cors(...)` layers met, whose options `readCors` fills in. */
  private readonly corsRuns: { run: Extract<NodeRun, object>; call: Node }[] = [];

  constructor(
    private readonly js: JsEvaluator,
    private readonly reader: HandlerReader,
    private readonly corsNames: Set<string>,
  ) {}

  /** The handler index of a function (read once); undefined for an error handler. */
  handler(fn: Node, h3 = false): number | undefined {
    if (!this.indexOf.has(fn.startIndex)) {
      const read = this.reader.read(fn, h3);
      this.indexOf.set(fn.startIndex, read && this.handlers.push(read) - 1);
    }
    return this.indexOf.get(fn.startIndex);
  }

  add(call: AppCall): void {
    const run = call.handlers.flatMap((h): NodeRun[] => {
      const fn = functionOf(this.js, h);
      const cors = !fn && this.corsNames.size ? corsCall(h, this.corsNames, this.js) : undefined;
      if (cors) {
        const entry = {};
        this.corsRuns.push({ run: entry, call: cors });
        return [entry];
      }
      if (!fn) return ['opaque'];
      const index = this.handler(fn);
      return index === undefined ? [] : [index];
    });
    const layer: NodeLayer = {
      kind: call.method === 'use' ? 'use' : 'route',
      methods: call.method === 'use' || call.method === 'all' ? 'all' : [call.method.toUpperCase()],
      path: call.path,
      prefix: call.method === 'use',
      span: call.span,
      head: { ...call.span, end: call.pathNode?.endIndex ?? call.span.end },
      run,
    };
    const stack = this.stacks.get(call.receiver) ?? [];
    stack.push(layer);
    this.stacks.set(call.receiver, stack);
  }

  /**
   * Reads the options of the `cors(...)` layers (WAD-Project-Course, held-out batch 35: headers
   * set by hand, then `cors()` answering the preflights they do not).
   */
  async readCors(root: Node, reader: SourceReader): Promise<void> {
    for (const { run, call } of this.corsRuns) {
      const fields = await corsLayerOptions(this.js, root, call, reader);
      if (fields)
        run.cors = {
          origins: fields.policy.origins,
          credentials: fields.policy.credentials,
          options: fields.facts,
        };
    }
  }
}

/**
 * The request listeners of plain Node servers: `http.createServer(fn)`, `https.createServer(options,
 * fn)`, `createServer(fn)` after `const { createServer } = require('http')`. Each is a server of
 * its own: one layer that runs for every method and path.
 */
function serverListeners(root: Node, text: string, js: JsEvaluator): { fn: Node; call: Node }[] {
  const out: { fn: Node; call: Node }[] = [];
  for (const match of matchesWithinBudget(text, /\bcreateServer\s*\(/g)) {
    const call = root.descendantForIndex(match.index, match.index + match[0].length);
    const node =
      call?.type === 'call_expression'
        ? call
        : call?.parent?.type === 'call_expression'
          ? call.parent
          : call?.parent?.parent;
    if (
      node?.type !== 'call_expression' ||
      !/^((https?|http2|node:https?)\.)?createServer$/.test(
        node.childForFieldName('function')?.text.replace(/\s+/g, '') ?? '',
      )
    )
      continue;
    const args = argumentsOf(node);
    const fn = args.length ? functionOf(js, args[args.length - 1]) : undefined;
    if (fn) out.push({ fn, call: node });
  }
  return out;
}

/** A plain Node server: its listener runs for every request and answers it. */
function serverStack(index: number, span: Span): NodeLayer[] {
  return [
    {
      kind: 'route',
      methods: 'all',
      path: { kind: 'all' },
      prefix: false,
      span,
      head: span,
      run: [index],
    },
  ];
}

/** Where a standalone function is a Next.js API route (`pages/api/...`) or a Vercel function (`api/...`). */
const NODE_RESPONSE = /(?:^|[\\/])(?:pages[\\/])?api[\\/][^\\/]+(?:[\\/][^\\/]+)*\.[cm]?[jt]sx?$/;

/**
 * A pages-router API module's policy, limited to the one path the router serves it at: a
 * frontend call to another path is not its to answer (quick-trace, held-out batch 41: a `PUT` to
 * `/api/orders/1/status` was blamed on the method lists of `pages/api/auth/login.ts` and three
 * other modules, none of which that path reaches).
 */
function servedAt(policy: Policy, routePath: string | undefined): Policy {
  if (!routePath) return policy;
  const sample = routeSample(routePath);
  const facts = factsOf(policy, 'node-handset');
  return {
    ...policy,
    urlRegex: routeRegex(routePath),
    samplePath: sample,
    ...(facts ? { facts: { ...facts, samplePath: sample } } : {}),
  };
}

/** A standalone middleware's app: `app.use(fn)` before one route that answers every request. */
function standaloneStack(index: number, span: Span): NodeLayer[] {
  return [
    {
      kind: 'use',
      methods: 'all',
      path: { kind: 'all' },
      prefix: true,
      span,
      head: span,
      run: [index],
    },
    {
      kind: 'route',
      methods: 'all',
      path: { kind: 'all' },
      prefix: false,
      span,
      head: span,
      run: ['opaque'],
    },
  ];
}

/**
 * The `cors()` layer of the app that answers every preflight, wherever the hand-set code runs
 * (mounted for every path, its options read, never skipping a request): before the code, it ends
 * preflights first; after it, it ends them with its own headers over the code's.
 */
function preflightAnswering(stack: NodeLayer[]): SourceRef | undefined {
  const layer = stack.find(
    (l) =>
      l.kind === 'use' &&
      l.path.kind === 'all' &&
      l.run.some((r) => typeof r === 'object' && !!r.cors && answersEveryPreflight(r.cors.options)),
  );
  return layer && { span: layer.span, label: 'cors()' };
}

/** `cors` options that run for every request and end its preflights. */
const answersEveryPreflight = (options: CorsPackageOptions): boolean =>
  !options.preflightContinue &&
  (options.origin.kind === 'any' ||
    options.origin.kind === 'fixed' ||
    (options.origin.kind === 'match' && options.origin.reject === 'omit'));

/** The hand-set CORS policies of a module (none when it writes no `Access-Control-*` header). */
export async function extractNodeHandset(
  file: string,
  text: string,
  tree: SourceTree,
  reader: SourceReader,
): Promise<Policy[]> {
  if (!/access-control-/i.test(text)) return [];
  const root = tree.root;
  const js = new JsEvaluator(file, root);
  const handlers = new HandlerReader(js, text);
  const app = new AppReader(js, handlers, defaultImportNames(root, 'cors'));
  let fields: Map<string, Node> | undefined;
  const fieldsOf = () => (fields ??= fieldValues(root));
  for (const call of appCalls(root, text, js))
    if (isApp(js, call.receiver, fieldsOf)) app.add(call);
  await app.readCors(root, reader);

  const policies: Policy[] = [];
  const registered = new Set<number>();
  // Read once, and only for a module with a policy: every policy of it runs in the same project.
  let project: { major?: number } | undefined;
  const expressMajor = () =>
    (project ??= packageVersion(file, 'express', (f) => reader.read(f))).major;
  const policyFor = (
    own: number,
    stack: NodeLayer[],
    servedMethods?: string[],
  ): Policy | undefined => {
    const handler = app.handlers[own];
    if (!handler.writesCors) return undefined;
    const layers = stack.filter((l) => l.run.includes(own));
    const { originSetAt, ...fields } = neutralFields(text, handler);
    const branch = preflightBranches(handler.steps)[0];
    const optionsRoute = layers.find(
      (l) => l.kind === 'route' && l.methods !== 'all' && l.methods.includes('OPTIONS'),
    );
    const facts: NodeHandsetFacts = {
      handlers: app.handlers,
      stack,
      own,
      samplePath: samplePath(layers, stack),
      originSetAt,
      preflightAt: branch?.span ?? optionsRoute?.head,
    };
    const major = expressMajor();
    if (major !== undefined) facts.expressMajor = major;
    const answering = preflightAnswering(stack);
    return {
      ...(answering ? { preflightAnsweredBy: answering } : {}),
      framework: 'node-handset',
      file,
      files: [file],
      at: handler.span,
      configured: true,
      handSet: true,
      ...fields,
      urlRegex: urlRegexOf(layers),
      allowPrivateNetwork: false,
      samplePath: facts.samplePath,
      varyAt: originSetAt,
      preflightAt: facts.preflightAt,
      servedMethods,
      facts,
    };
  };
  for (const stack of app.stacks.values()) {
    for (const own of new Set(
      stack.flatMap((l) => l.run.filter((r): r is number => typeof r === 'number')),
    )) {
      if (registered.has(own)) continue;
      registered.add(own);
      const policy = policyFor(own, stack);
      if (policy) policies.push(policy);
    }
  }
  for (const { fn, call } of serverListeners(root, text, js)) {
    const own = app.handler(fn);
    if (own === undefined || registered.has(own) || !app.handlers[own].writesCors) continue;
    registered.add(own);
    app.handlers[own].plainNode = true;
    const policy = policyFor(own, serverStack(own, spanOf(file, call)));
    if (policy) policies.push(policy);
  }
  // An h3 handler answers every method at its route with what it returns (or ends itself).
  for (const fn of /defineEventHandler|eventHandler/.test(text) ? h3Handlers(root) : []) {
    const own = app.handler(fn, true);
    if (own === undefined || registered.has(own) || !app.handlers[own].writesCors) continue;
    registered.add(own);
    app.handlers[own].plainNode = true;
    const method = NITRO_METHOD.exec(file)?.[1]?.toUpperCase();
    const stack = serverStack(own, spanOf(file, fn));
    const policy = method
      ? policyFor(own, [{ ...stack[0], methods: [method] }], [method])
      : policyFor(own, stack);
    if (policy && method) {
      policy.facts = { ...factsOf(policy, 'node-handset')!, nitroMethod: method };
      policy.sampleMethod = method;
    }
    if (policy) policies.push(policy);
  }
  for (const fn of moduleFunctions(root)) {
    if (handlers.inlined.has(fn.startIndex)) continue;
    const own = app.handler(fn);
    if (own === undefined || registered.has(own) || !app.handlers[own].writesCors) continue;
    registered.add(own);
    const handler = app.handlers[own];
    // A Next.js API route or a Vercel function: Node's response plus a few helpers, no `res.vary`.
    if (NODE_RESPONSE.test(file) || /\b(?:NextApiResponse|VercelResponse)\b/.test(text))
      handler.plainNode = true;
    const policy = policyFor(
      own,
      standaloneStack(own, spanOf(file, fn)),
      handler.req && handler.res && !returnsWhetherAnswered(fn)
        ? endpointMethods(handler)
        : undefined,
    );
    if (policy) policies.push(servedAt(policy, pagesApiPathOf(file)));
  }
  return policies;
}
