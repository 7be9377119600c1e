/**
 * Express + npm `cors`: one policy per `cors(...)` options value (calls with the same options
 * object or `const` share one policy, so `app.options(p, cors(o))` + `app.put(p, cors(o), h)`
 * is one setup), with its mounts and the app's routes in registration order.
 */
import { escapeRegex } from '../../base/regex';
import { giveImportedValues } from '../../lang/javascript/imported-values';
import type { Node } from 'web-tree-sitter';
import type { SourceTree } from '../../parsing/source-tree';
import type { ExpressCorsFacts, ExpressLayer } from './facts';
import { ExpressRoutes } from './routes';
import { type Policy, type Span, factsOf } from '../../policy/types';
import { declaredPackages, packageVersion } from '../../workspace/npm-version';
import { JsEvaluator, spanOf, unwrap } from '../../lang/javascript/evaluate';
import { defaultImportNames } from '../../lang/javascript/modules';
import { nestCreates } from '../../lang/javascript/nest-apps';
import { namedCalls } from '../../lang/javascript/member-calls';
import { urlRegexOf } from '../../lang/javascript/express-path';
import {
  delegatedOptions,
  firstArgument,
  isFunctionNode,
  parameterNames,
} from '../../lang/javascript/options-object';
import type { SourceReader } from '../../base/source-reader';
import { type AppCall, appCalls, corsCall, corsRunBy } from './app-calls';
import { corsRouters } from './router-cors';
import {
  type CorsOptionFields,
  readCorsOptions,
  readOriginOnly,
} from '../../lang/javascript/cors-package/options';
import {
  importedMiddleware,
  importedOptions,
  mountedEverywhere,
  namedMiddlewareLayers,
} from './elsewhere';
import { importedCorsHandlers } from './imported-route-cors';
import { exportedCorsOptions, exportedOriginFunctions } from './options-module';
import { unusedCorsOptions } from './unused-options';
import { exportsOf } from '../../lang/javascript/exports';
import { builderReturns } from '../../lang/javascript/returns';
import { everywhere, stackInModule, stackOnImportedApp } from './stacked-cors';

/** Which options a `cors(...)` call uses: same key, same policy. */
function optionsKey(call: Node): string {
  const arg = call
    .childForFieldName('arguments')
    ?.namedChildren.find((a) => a && a.type !== 'comment');
  if (!arg) return 'defaults';
  const inner = unwrap(arg);
  return inner.type === 'identifier' ? `name:${inner.text}` : `at:${inner.startIndex}`;
}

const routeMethods = (call: AppCall): string[] | 'all' =>
  call.method === 'all' || call.method === 'use' ? 'all' : [call.method.toUpperCase()];

/** The layer `call` adds to the stack, at its place (`at`) in registration order. */
const layerOf = (
  call: AppCall,
  kind: ExpressLayer['kind'],
  prefix: boolean,
  at: number,
): ExpressLayer => ({
  kind,
  receiver: call.receiver,
  prefix,
  methods: routeMethods(call),
  path: call.path,
  span: call.span,
  statement: call.statement,
  at,
  ...(call.via ? { via: call.via } : {}),
});

/** One app's layers, read once per file and shared by every policy mounted on it. */
interface AppLayers {
  /** Routes that answer; a repeat of an earlier route (same methods and path) is left out. */
  routes: ExpressRoutes;
  /** Each options value's `cors()` layers. */
  mounts: Map<string, ExpressLayer[]>;
  /** The routes whose handler runs a `cors(...)` of its own, and that call. */
  runners: Map<ExpressLayer, Node>;
}

/** A header write naming Access-Control-Allow-Origin (`res.header(...)`, `res.set({...})`). */
const WRITES_ALLOW_ORIGIN = /['"`]access-control-allow-origin['"`]\s*[,:]/i;

/**
 * Every app's layers, each handler classified once. Reading them per policy made a file that
 * repeats one app (thousands of `cors()` policies over thousands of routes) quadratic in time
 * and memory. A repeated route can be left out: the earlier copy matches the same requests and
 * always answers first, and it adds no method to router's OPTIONS reply.
 */
function appLayers(
  calls: AppCall[],
  corsNames: Set<string>,
  js: JsEvaluator,
  importedCors: Set<string>,
): Map<string, AppLayers> {
  const apps = new Map<string, AppLayers>();
  const seenRoutes = new Set<string>();
  calls.forEach((call, index) => {
    let app = apps.get(call.receiver);
    if (!app)
      apps.set(
        call.receiver,
        (app = { routes: new ExpressRoutes(), mounts: new Map(), runners: new Map() }),
      );
    let answers = false;
    let ownCors = false;
    let runs: Node | undefined;
    for (const handler of call.handlers) {
      const cors = corsCall(handler, corsNames, js);
      if (cors) {
        const key = optionsKey(cors);
        const own = app.mounts.get(key) ?? [];
        own.push(layerOf(call, 'cors', call.method === 'use', 2 * index));
        app.mounts.set(key, own);
        ownCors = true;
      } else if (call.method !== 'use') {
        answers = true;
        runs ??= corsRunBy(handler, corsNames, js);
        // A handler writing the header itself (hubs' `app.all('/cors-proxy/*', ...)` sending `*`,
        // held-out batch 30), or imported middleware running `cors(...)`, decides that route's
        // CORS too.
        if (
          runs ||
          WRITES_ALLOW_ORIGIN.test(handler.text) ||
          (importedCors.size > 0 && importedCors.has(unwrap(handler).text))
        )
          ownCors = true;
      }
    }
    if (!answers) return;
    const route: ExpressLayer = {
      ...layerOf(call, 'route', false, 2 * index + 1),
      ...(ownCors ? { ownCors: true } : {}),
    };
    const same = `${call.receiver}|${JSON.stringify([route.methods, route.path])}`;
    if (seenRoutes.has(same)) return;
    seenRoutes.add(same);
    app.routes.add(route);
    if (runs) app.runners.set(route, runs);
  });
  return apps;
}

const preflightsOnly = (layer: ExpressLayer) =>
  layer.methods !== 'all' && layer.methods.every((m) => m === 'OPTIONS');

/**
 * A `cors()` mounted for preflights while the app adds CORS to answers route by route: the same
 * `cors()` on some routes too, or routes running their own (imported ones included). immers,
 * held-out batch 32: `app.options('*', cors())` beside API routes whose imported middleware lists
 * run `cors(...)` was said to leave "the GET" (of `/`, a page) without the header.
 */
function corsPerRoute({ mounts, routes }: Pick<ExpressCorsFacts, 'mounts' | 'routes'>): boolean {
  if (!mounts.some(preflightsOnly)) return false;
  return !mounts.every(preflightsOnly) || routes.all.some((r) => r.ownCors);
}

/** The policy of one `cors` layer, with its options' fields, its mounts and the app's routes. */
function policyOf(
  file: string,
  files: string[],
  at: Span,
  fields: CorsOptionFields,
  { mounts, routes }: Pick<ExpressCorsFacts, 'mounts' | 'routes'>,
): Policy {
  return {
    framework: 'express-cors',
    file,
    files,
    at,
    configured: true,
    ...fields.policy,
    ...(corsPerRoute({ mounts, routes }) ? { corsPerRoute: true as const } : {}),
    urlRegex: urlRegexOf(mounts),
    allowPrivateNetwork: false,
    facts: { ...fields.facts, mounts, routes },
  };
}

/** The Express `cors` policies of a module (none when it neither imports `cors` nor mounts one). */
export async function extractExpress(
  file: string,
  text: string,
  tree: SourceTree,
  reader: SourceReader,
): Promise<Policy[]> {
  const policies = await extractModule(file, text, tree.root, reader);
  stackInModule(policies);
  await stackOnImportedApp(file, tree.root, policies, reader, extractModule);
  return policies;
}

/** A module's policies, each with only the `cors()` layers of its own options. */
async function extractModule(
  file: string,
  text: string,
  root: Node,
  reader: SourceReader,
): Promise<Policy[]> {
  const corsNames = defaultImportNames(root, 'cors');
  // `app.use(require('cors')({...}))`: the package required and called in place (uppy's example
  // servers, held-out batch 23).
  for (const match of text.matchAll(/\brequire\(\s*(['"])cors\1\s*\)(?=\s*\()/g))
    corsNames.add(match[0]);
  const js = new JsEvaluator(file, root);
  // `app.use([path,] cors(...))` on a NestJS app runs through Nest's adapter ahead of routes this
  // module cannot see: the nestjs framework reads it.
  const nestApps = new Set(nestCreates(root, text).flatMap((c) => (c.name ? [c.name] : [])));
  // Mounted cors() and middleware named for CORS both say cors: without it, no app call is read.
  const calls = (/cors/i.test(text) ? appCalls(root, text, js) : []).filter(
    (c) => !(c.method === 'use' && nestApps.has(c.receiver)),
  );
  // Route middleware other modules build with `cors(...)`: only read when this file mounts one.
  const routeHandlers = corsNames.size
    ? calls.flatMap((c) => (c.method === 'use' ? [] : c.handlers))
    : [];
  const importedCors = await importedCorsHandlers(file, root, routeHandlers, reader);
  const apps = appLayers(calls, corsNames, js, importedCors);
  for (const app of apps.values())
    for (const [route, call] of app.runners) {
      const [read] = await readOptions(js, root, call, reader);
      if (read) route.runsCors = read.fields;
    }
  const seen = new Set<string>();
  const placed = new Set<number>();
  const policies: Policy[] = [];
  /** The policies of `cors()` mounted without options. */
  const bare: Policy[] = [];
  for (const call of calls) {
    for (const handler of call.handlers) {
      const cors = corsNames.size ? corsCall(handler, corsNames, js) : undefined;
      if (!cors) {
        // A middleware another module builds with `cors(...)`: only a mounted name that says
        // CORS is followed, so a module's routers and other middleware cost no reads.
        if (call.method !== 'use' || !/cors/i.test(unwrap(handler).text)) continue;
        const key = `${call.receiver}|mw:${unwrap(handler).text}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const mw = await importedMiddleware(js, root, handler, spanOf(file, handler), reader);
        if (!mw) continue;
        const layers = namedMiddlewareLayers(calls, call.receiver, mw.name);
        policies.push(policyOf(file, [mw.file, file], spanOf(file, handler), mw.fields, layers));
        continue;
      }
      placed.add(cors.startIndex);
      const key = `${call.receiver}|${optionsKey(cors)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const app = apps.get(call.receiver);
      const layers = {
        mounts: app?.mounts.get(optionsKey(cors)) ?? [],
        routes: app?.routes ?? new ExpressRoutes(),
      };
      for (const read of await readOptions(js, root, cors, reader)) {
        const policy = policyOf(file, read.files, spanOf(file, cors), read.fields, layers);
        policies.push(policy);
        if (!firstArgument(cors)) bare.push(policy);
      }
    }
  }
  const unused = bare.length ? await unusedCorsOptions(js, root, text, reader) : undefined;
  if (unused) for (const policy of bare) policy.unusedOptionsAt = unused;
  // `cors(...)` built here but mounted elsewhere (exported, or run per request by hand).
  const exported = corsNames.size ? exportedStarts(js, root) : new Set<number>();
  let used: Set<number> | undefined;
  for (const cors of namedCalls(root, text, corsNames)) {
    if (placed.has(cors.startIndex) || cors.hasError) continue;
    if (!(used ??= usedElsewhere(root, exported, corsNames)).has(cors.startIndex)) continue;
    const key = `unmounted|${optionsKey(cors)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const at = spanOf(file, cors);
    for (const read of await readOptions(js, root, cors, reader))
      policies.push(policyOf(file, read.files, at, read.fields, mountedEverywhere(at)));
  }
  // `nextjs-cors` in a Next.js API handler: `await NextCors(req, res, options)` runs the `cors`
  // package with those options before the handler answers.
  for (const call of nextCorsCalls(root, text)) {
    const options = await readOptions(
      js,
      root,
      call,
      reader,
      call.childForFieldName('arguments')?.namedChildren.filter((a) => a?.type !== 'comment')[2] ??
        undefined,
    );
    const at = spanOf(file, call);
    for (const read of options)
      policies.push(policyOf(file, read.files, at, read.fields, mountedEverywhere(at)));
  }
  // A config module exporting `cors` options (or only their origin function) it does not use
  // itself, in a project that has the `cors` package (or no package.json to say).
  if (!corsNames.size && !policies.length && !otherCorsLibrary(file, reader)) {
    for (const object of exportedCorsOptions(js, root)) {
      const at = spanOf(file, object);
      await giveImportedValues(js, root, reader, object.text);
      const fields = readCorsOptions(js, object, at);
      const files = [file, ...js.givenFiles];
      if (fields) policies.push(policyOf(file, files, at, fields, mountedEverywhere(at)));
    }
    if (!policies.length)
      for (const fn of exportedOriginFunctions(js, root)) {
        const at = spanOf(file, fn);
        await giveImportedValues(js, root, reader, fn.text);
        const fields = readOriginOnly(js, fn);
        policies.push(policyOf(file, [file, ...js.givenFiles], at, fields, mountedEverywhere(at)));
      }
  }
  await withRouters(policies, js, root, calls, reader);
  if (js.givenFiles.size)
    for (const policy of policies) if (policy.file === file) policy.valuesFrom = [...js.givenFiles];
  shadowPreflightOnly(policies);
  return withExpressMajor(policies, file, reader);
}

/** Koa's and others' CORS middleware, whose options share names with the `cors` package's. */
const OTHER_CORS_LIBRARIES = ['koa2-cors', '@koa/cors', 'kcors', 'koa-cors', '@fastify/cors'];

/**
 * Whether the project declares another CORS library and not `cors`: an exported options object
 * there is that library's (yxzq's `allowMethods`/`allowHeaders` for koa2-cors, held-out batch 34,
 * were called options the `cors` package ignores).
 */
function otherCorsLibrary(file: string, reader: SourceReader): boolean {
  const declared = declaredPackages(file, ['cors', ...OTHER_CORS_LIBRARIES], (f) => reader.read(f));
  return !!declared && !declared.includes('cors') && declared.length > 0;
}

/**
 * A `cors()` mounted for OPTIONS only (`app.options('*', cors())`) below an app-wide `cors()` of
 * the same app never runs: the app-wide one ends every preflight (204, allowed or not) or hands
 * an error on past the routes, unless `preflightContinue` is on (Worklenz, held-out batch 17: its
 * allow-all note was about a line that answers nothing). Such a policy is inactive. Seen with the
 * real express 4.22 and cors 2.8.6 on 127.0.0.1; the truth suites replay one layer per policy, so
 * none of them compares this.
 */
function shadowPreflightOnly(policies: Policy[]): void {
  const layers = (p: Policy) => factsOf(p, 'express-cors')?.mounts ?? [];
  for (const policy of policies) {
    const facts = factsOf(policy, 'express-cors');
    const own = layers(policy);
    if (!facts || !own.length) continue;
    if (!own.every((l) => Array.isArray(l.methods) && l.methods.every((m) => m === 'OPTIONS')))
      continue;
    const above = policies.find((other) => {
      const theirs = factsOf(other, 'express-cors');
      return (
        other !== policy &&
        theirs?.routes === facts.routes &&
        !theirs.preflightContinue &&
        layers(other).some((l) => everywhere(l) && own.every((o) => l.at < o.at))
      );
    });
    if (above)
      policy.inactive = {
        span: own[0].span,
        label: 'never runs: an app-wide cors() registered above it answers every preflight first',
      };
  }
}

/** The routers with their own `cors()` that the module mounts, for policies mounted everywhere. */
async function withRouters(
  policies: Policy[],
  js: JsEvaluator,
  root: Node,
  calls: AppCall[],
  reader: SourceReader,
): Promise<void> {
  const appWide = policies.filter((p) => factsOf(p, 'express-cors')?.mounts.some(everywhere));
  if (!appWide.length) return;
  const routers = await corsRouters(js, root, calls, reader);
  if (!routers.length) return;
  for (const policy of appWide) {
    factsOf(policy, 'express-cors')!.routers = routers;
    policy.files = [...new Set([...policy.files, ...routers.map((r) => r.file)])];
  }
}

/** The policies with the project's Express major in their facts, which paths match by. */
function withExpressMajor(policies: Policy[], file: string, reader: SourceReader): Policy[] {
  if (!policies.length) return policies;
  const { major } = packageVersion(file, 'express', (f) => reader.read(f));
  if (major === undefined) return policies;
  return policies.map((p) => {
    const facts = factsOf(p, 'express-cors');
    return facts ? { ...p, facts: { ...facts, expressMajor: major } } : p;
  });
}

/** The `NextCors(req, res, options)` calls of a module importing `nextjs-cors`. */
function nextCorsCalls(root: Node, text: string): Node[] {
  return namedCalls(root, text, defaultImportNames(root, 'nextjs-cors')).filter((c) => !c.hasError);
}

/** Where each value the module exports starts (after following names to what they are bound to). */
const exportedStarts = (js: JsEvaluator, root: Node): Set<number> =>
  new Set(exportsOf(js, root).map((e) => js.resolveNode(e.node).startIndex));

/** `cors(...)` consts searched for a hand-run use, at most. */
const MAX_RUN_SEARCHES = 20;

/**
 * The `cors(...)` calls (by start) a module uses without mounting them: exported, returned by a
 * function (a factory the app calls), or run by hand per request (`cors(options)(req, res,
 * next)`). One bound to a name that is later reassigned is none of these: what runs is not known.
 * Found from the enclosing nodes in one pass: asking each call for its `parent` walks down from
 * the root, quadratic over thousands of nested calls (fuzz seed 2036).
 */
function usedElsewhere(
  root: Node,
  exported: Set<number>,
  corsNames: ReadonlySet<string>,
): Set<number> {
  const used = new Set(exported);
  for (const node of root.descendantsOfType([
    'call_expression',
    'return_statement',
    'arrow_function',
  ])) {
    const inner =
      node?.type === 'call_expression'
        ? node.childForFieldName('function')
        : node?.type === 'arrow_function'
          ? node.childForFieldName('body')
          : node?.namedChildren[0];
    if (inner?.type === 'call_expression') used.add(inner.startIndex);
  }
  // `const cors = Cors({...})` run by hand per request: called (`cors(req, res, next)`) or handed
  // to a runner (`runMiddleware(req, res, cors)`: Next.js' documented pages/api pattern,
  // volvo-cars-next, held-out batch 48).
  // Each search reads the rest of the module: a few `cors(...)` consts are asked about, not a
  // generated module's thousands (the cost would grow with their square).
  let asked = 0;
  for (const declarator of root.descendantsOfType('variable_declarator')) {
    const name = declarator?.childForFieldName('name');
    const value = declarator?.childForFieldName('value');
    if (name?.type !== 'identifier' || value?.type !== 'call_expression') continue;
    if (!corsNames.has(value.childForFieldName('function')?.text ?? '')) continue;
    if (++asked > MAX_RUN_SEARCHES) break;
    const word = escapeRegex(name.text);
    const runs = new RegExp(`(?<![\\w$.])${word}\\s*\\(|[(,]\\s*${word}\\s*[,)]`);
    const rest = root.text.slice(declarator!.endIndex);
    // Reassigned: what runs is not known.
    const reassigned = new RegExp(`(?<![\\w$.])${word}\\s*=(?![=>])`);
    if (runs.test(rest) && !reassigned.test(rest)) used.add(value.startIndex);
  }
  return used;
}

/**
 * The options of one `cors(...)` call: inline, a module `const`, imported from another module, or
 * returned by a builder function of this module (one set per `return`: which runs depends on the
 * environment the builder reads, so each is checked).
 */
async function readOptions(
  js: JsEvaluator,
  root: Node,
  cors: Node,
  reader: SourceReader,
  optionsNode: Node | undefined = firstArgument(cors),
): Promise<{ fields: CorsOptionFields; files: string[] }[]> {
  const at = spanOf(js.file, cors);
  if (optionsNode) await giveImportedValues(js, root, reader, js.resolveNode(optionsNode).text);
  const fields = readCorsOptions(js, optionsNode, at);
  if (fields) return [{ fields, files: [js.file, ...js.givenFiles] }];
  const built = (builderReturns(js, optionsNode) ?? [])
    .map((returned) => readCorsOptions(js, returned, at))
    .filter((f): f is CorsOptionFields => !!f);
  if (built.length) return built.map((f) => ({ fields: f, files: [js.file] }));
  // `cors((req, callback) => callback(null, options))`: asked on every request, one set per call.
  const delegate = optionsNode && js.resolveNode(optionsNode);
  const handed =
    delegate && isFunctionNode(delegate) && parameterNames(delegate).length === 2
      ? delegatedOptions(delegate)
          .map((node) => readCorsOptions(js, node, at))
          .filter((f): f is CorsOptionFields => !!f)
      : [];
  if (handed.length) return handed.map((f) => ({ fields: f, files: [js.file] }));
  const imported = await importedOptions(js, root, optionsNode, at, reader);
  return imported.map((i) => ({ fields: i.fields, files: [i.file, js.file, ...i.given] }));
}

/**
 * The options of a `cors(...)` call when they are one set (node-handset runs the call as a layer
 * of an app whose other layers write headers by hand); undefined when they are not read or differ
 * by environment.
 */
export async function corsLayerOptions(
  js: JsEvaluator,
  root: Node,
  cors: Node,
  reader: SourceReader,
): Promise<CorsOptionFields | undefined> {
  const read = await readOptions(js, root, cors, reader);
  return read.length === 1 ? read[0].fields : undefined;
}

// The mounts' path filter lives in lang/ (NestJS reads it too); node-handset reads it from here.
export { urlRegexOf };
