/**
 * NestJS: one policy per CORS setup of a bootstrap file (`app.enableCors(options?)`,
 * `NestFactory.create(AppModule, [adapter,] { cors: true | options })`, `app.use([path,]
 * cors(options))`), read with the `cors` 2.8 option reader Nest's Express adapter hands them to
 * (the Fastify adapter's `@fastify/cors` reads the same keys with its own defaults; `app.use`
 * runs the `cors` package there too, through middie), and one per route handler whose
 * `@Header(...)` decorators set `Access-Control-*` lines.
 */
import { checkAmbientBudget } from '../../base/budget';
import type { Node } from 'web-tree-sitter';
import type { SourceReader } from '../../base/source-reader';
import type { SourceTree } from '../../parsing/source-tree';
import { factsOf, type Policy, type Span } from '../../policy/types';
import type { NestCorsFacts, NestCorsLayer } from './facts';
import {
  JsEvaluator,
  jsStringValue,
  spanOf,
  unwrap,
  argumentsOf,
} from '../../lang/javascript/evaluate';
import { memberCalls } from '../../lang/javascript/member-calls';
import { calleeOf, nestCreates } from '../../lang/javascript/nest-apps';
import { defaultImportNames, isRequireOf } from '../../lang/javascript/modules';
import { readCorsOptions } from '../../lang/javascript/cors-package/options';
import { fastifyFields } from './fastify-options';
import { urlRegexOf } from '../../lang/javascript/express-path';
import { headerPolicies } from './header-decorators';

/**
 * The adapter a create call names: `new FastifyAdapter()`, `create<NestFastifyApplication>`, else
 * the file's platform import.
 */
function adapterOf(call: Node, platform: 'express' | 'fastify'): 'express' | 'fastify' {
  const written = call.text;
  if (/\bFastifyAdapter\b|NestFastifyApplication/.test(written)) return 'fastify';
  if (/\bExpressAdapter\b|NestExpressApplication/.test(written)) return 'express';
  return platform;
}

/** The adapter the module's platform import implies (read once: a module may create many apps). */
const platformOf = (text: string): 'express' | 'fastify' =>
  /@nestjs\/platform-fastify/.test(text) && !/@nestjs\/platform-express/.test(text)
    ? 'fastify'
    : 'express';

/** The `cors` entry of `NestFactory.create`'s options: `true`, an options value, or absent. */
function corsEntry(js: JsEvaluator, call: Node): { value: Node; pair: Node } | undefined {
  const last = argumentsOf(call)
    .slice(1)
    .reverse()
    .find((a) => js.resolveNode(a).type === 'object');
  const object = last && js.resolveNode(last);
  for (const pair of object?.namedChildren ?? []) {
    // `{ cors }`: the options are a variable of that name.
    if (pair?.type === 'shorthand_property_identifier' && pair.text === 'cors')
      return { value: pair, pair };
    if (pair?.type !== 'pair') continue;
    const key = pair.childForFieldName('key');
    const name = key && (key.type === 'string' ? jsStringValue(key) : key.text);
    const value = pair.childForFieldName('value');
    if (name === 'cors' && value) return { value, pair };
  }
  return undefined;
}

/** How a layer was written: the adapter it runs on, and what names its defaults in a finding. */
interface LayerSource {
  adapter: 'express' | 'fastify';
  /** The `cors: true` entry of the create options. */
  corsTrue?: Span;
  /** The create options' `cors` entry and the object it is in. */
  created?: NonNullable<Extract<NestCorsFacts, { kind: 'cors' }>['created']>;
  /** `app.use(cors(...))`: the `cors()` call itself, whose label the shared reader already says. */
  corsCall?: boolean;
  /** `app.use('/api', cors(...))`: the path prefix it is mounted at. */
  mount?: string;
}

/** One policy from an options node (undefined: `cors()` defaults), or none when the options cannot be read. */
function policyOf(
  js: JsEvaluator,
  file: string,
  options: Node | undefined,
  at: Span,
  { adapter, corsTrue, created, corsCall, mount }: LayerSource,
): Policy | undefined {
  const fields = readCorsOptions(js, options, at);
  if (!fields) return undefined;
  // `app.use(cors())` runs the `cors` package on either adapter; Nest's own CORS on Fastify is `@fastify/cors`.
  const fastify = adapter === 'fastify' && !corsCall ? fastifyFields(js, options) : undefined;
  const facts: NestCorsFacts = {
    kind: 'cors',
    adapter,
    options: fields.facts,
    fastify,
    corsTrue,
    created,
    mount,
  };
  const allowAllAt = fields.policy.origins.allowAllAt;
  // The shared reader names `cors()`; in Nest the call is `enableCors` or the create options.
  if (!corsCall && allowAllAt?.label.startsWith('cors() without'))
    fields.policy.origins.allowAllAt = { ...allowAllAt, label: 'CORS options without an origin' };
  const policy: Policy = {
    framework: 'nestjs',
    file,
    files: [file],
    at,
    configured: true,
    ...fields.policy,
    urlRegex:
      mount === undefined
        ? null
        : urlRegexOf([{ path: { kind: 'string', value: mount }, prefix: true }]),
    allowPrivateNetwork: false,
    facts,
  };
  if (fastify) {
    // `@fastify/cors` has its own default methods and sends lists joined with `, `.
    policy.methods = {
      ...policy.methods,
      names: fastify.methods
        .split(',')
        .map((m) => m.trim())
        .filter(Boolean),
    };
    // `origin: ['*', ...]` is `*` to the plugin.
    if (policy.origins.exact.some((o) => o.value === '*'))
      policy.origins = { ...policy.origins, allowAll: true, allowAllAt: policy.origins.listAt };
  }
  return policy;
}

/** One CORS layer of an app: its policy, the app it is registered on, and where it registers. */
interface Layer {
  app: string;
  order: number;
  policy: Policy;
}

/** The layer of a create call's `cors` option (`true` or options), if it has one. */
function createLayer(
  js: JsEvaluator,
  file: string,
  call: Node,
  adapter: 'express' | 'fastify',
  initCalled: boolean,
): Policy | undefined {
  const entry = corsEntry(js, call);
  if (!entry) return undefined;
  const value = unwrap(entry.value);
  if (value.type === 'false') return undefined;
  const pair = spanOf(file, entry.pair);
  const created = entry.pair.parent?.type === 'object' && {
    pair,
    options: spanOf(file, entry.pair.parent),
    ...(initCalled ? { initCalled: true as const } : {}),
  };
  const source = { adapter, ...(created ? { created } : {}) };
  if (value.type !== 'true')
    return policyOf(js, file, entry.value, spanOf(file, entry.value), source);
  const policy = policyOf(js, file, undefined, pair, { ...source, corsTrue: pair });
  return (
    policy && {
      ...policy,
      origins: { ...policy.origins, allowAllAt: { span: pair, label: 'cors: true' } },
    }
  );
}

/** Whether an argument of `use` is a middleware (a call, a function, a name bound to one), not a path. */
function isHandler(js: JsEvaluator, node: Node): boolean {
  const value = js.resolveNode(node);
  return ['call_expression', 'function_expression', 'arrow_function', 'new_expression'].includes(
    value.type,
  );
}

/**
 * `app.use([path,] cors(options))`: Nest hands the middleware to the adapter at once (Express's
 * `app.use`, middie on Fastify), ahead of the routes it registers at `init()`. `cors` may be
 * imported, or required in the function that creates the app, and its options a `const` of that
 * function. A mount path must be a string to be read (`'/api'`: that prefix only).
 */
function corsPackageLayers(
  js: JsEvaluator,
  file: string,
  root: Node,
  text: string,
  apps: Map<string, 'express' | 'fastify'>,
): Layer[] {
  const imported = defaultImportNames(root, 'cors');
  const isCors = (fn: Node | null): boolean =>
    fn?.type === 'identifier' && (imported.has(fn.text) || isRequireOf(js.resolveNode(fn), 'cors'));
  const layers: Layer[] = [];
  for (const call of memberCalls(root, text, ['use'])) {
    const receiver = calleeOf(call)?.childForFieldName('object');
    if (call.hasError || receiver?.type !== 'identifier') continue;
    const adapter = apps.get(receiver.text);
    if (!adapter) continue;
    const handlers = argumentsOf(call);
    let mount: string | undefined;
    if (handlers.length > 1 && !isHandler(js, handlers[0])) {
      const path = js.evaluate(handlers[0]);
      if (path.kind !== 'str') continue;
      // A trailing `/` matches as without it in an Express mount; a mount ending in `/` here
      // means "below the prefix only" (see routesPrefix).
      mount = path.value.length > 1 ? path.value.replace(/\/+$/, '') : path.value;
      handlers.shift();
    }
    for (const handler of handlers) {
      const cors = js.resolveNode(handler);
      if (cors.type !== 'call_expression' || cors.hasError) continue;
      if (!isCors(cors.childForFieldName('function'))) continue;
      const [options] = argumentsOf(cors);
      const at = spanOf(file, cors);
      const policy = policyOf(js, file, options, at, { adapter, corsCall: true, mount });
      if (policy) layers.push({ app: receiver.text, order: call.startIndex, policy });
    }
  }
  return layers;
}

/**
 * The paths a `forRoutes(...)` argument covers: every path (''), those below a prefix (`/api/`,
 * from `'api/*'` or `'api/(.*)'`: Nest 12 runs such middleware for `/api/` and below but not for
 * `/api` itself, test/fixtures/truth/nestjs/consumer-apply-cors), or unread.
 */
function routesPrefix(js: JsEvaluator, route: Node | undefined): string | undefined {
  if (!route) return '';
  const value = js.evaluate(route);
  if (value.kind !== 'str') return undefined;
  const prefix = value.value.replace(/\/?(?:\*|\(\.\*\))$/, '');
  if (/[*(:?]/.test(prefix)) return undefined;
  return prefix ? `/${prefix.replace(/^\/+/, '')}/` : '';
}

/**
 * `consumer.apply(cors(options), ...).forRoutes(...)` in a module's `configure(consumer)`:
 * Nest runs the middleware on those routes (Picsur's `consumer.apply(mainCors).forRoutes('*')`,
 * held-out batch 26). Read as a mount on the routes' prefix; `exclude(...)` is not read.
 */
function consumerLayers(
  js: JsEvaluator,
  file: string,
  root: Node,
  text: string,
  adapter: 'express' | 'fastify',
): Layer[] {
  if (!/\.forRoutes\s*\(/.test(text)) return [];
  const imported = defaultImportNames(root, 'cors');
  const layers: Layer[] = [];
  for (const call of memberCalls(root, text, ['apply'])) {
    if (call.hasError) continue;
    // Up the chain to its `.forRoutes(...)`: `consumer.apply(x).exclude(...).forRoutes(...)`.
    let outer: Node = call;
    let routes: Node | undefined;
    while (
      outer.parent?.type === 'member_expression' &&
      outer.parent.parent?.type === 'call_expression'
    ) {
      const property = outer.parent.childForFieldName('property')?.text;
      outer = outer.parent.parent;
      if (property === 'forRoutes') {
        routes = outer;
        break;
      }
    }
    if (!routes) continue;
    const mount = routesPrefix(js, argumentsOf(routes)[0]);
    if (mount === undefined) continue;
    for (const handler of argumentsOf(call)) {
      const cors = js.resolveNode(handler);
      const fn = cors.type === 'call_expression' ? cors.childForFieldName('function') : null;
      if (cors.hasError || fn?.type !== 'identifier') continue;
      if (!imported.has(fn.text) && !isRequireOf(js.resolveNode(fn), 'cors')) continue;
      const [options] = argumentsOf(cors);
      const policy = policyOf(js, file, options, spanOf(file, cors), {
        adapter,
        corsCall: true,
        ...(mount ? { mount } : {}),
      });
      if (policy) layers.push({ app: 'consumer', order: call.startIndex, policy });
    }
  }
  return layers;
}

/**
 * Each app's global prefix (`app.setGlobalPrefix('api')`). One with options (their `exclude` routes
 * some paths outside it) or an unread value is left out: such an app is read as if it had none.
 */
function globalPrefixes(js: JsEvaluator, root: Node, text: string): Map<string, string> {
  const prefixes = new Map<string, string>();
  for (const call of memberCalls(root, text, ['setGlobalPrefix'])) {
    const receiver = calleeOf(call)?.childForFieldName('object');
    const [prefix, options] = argumentsOf(call);
    const value = prefix && js.evaluate(prefix);
    if (call.hasError || receiver?.type !== 'identifier' || options || value?.kind !== 'str')
      continue;
    const path = value.value.replace(/^\/*/, '/').replace(/\/+$/, '');
    if (path) prefixes.set(receiver.text, path);
  }
  return prefixes;
}

/**
 * The layers' policies in registration order, each told the app's other CORS layers (which the
 * model runs around it: a request meets them all) and the app's global prefix.
 */
function stacked(layers: Layer[], prefixes: Map<string, string>): Policy[] {
  const sorted = [...layers].sort((a, b) => a.order - b.order);
  const corsFacts = (layer: Layer) => {
    const facts = factsOf(layer.policy, 'nestjs');
    return facts?.kind === 'cors' ? facts : undefined;
  };
  // Each app's CORS layers in order, and each layer's replay, made once: a module that sets CORS
  // up thousands of times (a generated file) must not rebuild them per layer.
  const apps = new Map<string, { layers: Layer[]; replays: NestCorsLayer[] }>();
  const position = new Map<Layer, number>();
  for (const layer of sorted) {
    const facts = corsFacts(layer);
    if (!facts) continue;
    let app = apps.get(layer.app);
    if (!app) apps.set(layer.app, (app = { layers: [], replays: [] }));
    position.set(layer, app.layers.length);
    app.layers.push(layer);
    app.replays.push({
      origins: layer.policy.origins,
      credentials: layer.policy.credentials,
      options: facts.options,
      fastify: facts.fastify,
      mount: facts.mount,
    });
  }
  return sorted.map((layer) => {
    checkAmbientBudget();
    const facts = corsFacts(layer);
    const app = apps.get(layer.app);
    if (!facts || !app) return layer.policy;
    const globalPrefix = prefixes.get(layer.app);
    if (app.layers.length < 2 && !globalPrefix) return layer.policy;
    const at = position.get(layer)!;
    return {
      ...layer.policy,
      facts: {
        ...facts,
        before: app.replays.slice(0, at),
        after: app.replays.slice(at + 1),
        globalPrefix,
      },
    };
  });
}

/** The NestJS CORS policies of a module (none when it names no `@nestjs/` package). */
export async function extractNest(
  file: string,
  text: string,
  tree: SourceTree,
  _reader: SourceReader,
): Promise<Policy[]> {
  if (!/@nestjs\//.test(text)) return [];
  const root = tree.root;
  const js = new JsEvaluator(file, root);
  const layers: Layer[] = [];
  const apps = new Map<string, 'express' | 'fastify'>();
  let fileAdapter: 'express' | 'fastify' | undefined;
  const platform = platformOf(text);
  for (const { call, name } of nestCreates(root, text)) {
    const adapter = adapterOf(call, platform);
    fileAdapter ??= adapter;
    if (name) apps.set(name, adapter);
    // `await app.init()` written out: an `enableCors` after it comes after the routes.
    const initCalled =
      !!name &&
      new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}\\s*\\.\\s*init\\s*\\(\\s*\\)`).test(
        text,
      );
    const policy = createLayer(js, file, call, adapter, initCalled);
    // Nest applies the create options' `cors` in `init()` (at `listen`), after every `app.use`.
    // An `enableCors` after an explicit `init()` comes after the routes, which answer first:
    // its lines reach only unrouted paths, and the create option's stay last for those.
    if (policy) layers.push({ app: name ?? '', order: Number.MAX_SAFE_INTEGER, policy });
  }
  for (const call of memberCalls(root, text, ['enableCors'])) {
    if (call.hasError) continue;
    const receiver = calleeOf(call)?.childForFieldName('object')?.text ?? '';
    const adapter = apps.get(receiver) ?? fileAdapter ?? adapterOf(call, platform);
    const [options] = argumentsOf(call);
    const policy = policyOf(js, file, options, spanOf(file, call), { adapter });
    if (!policy) continue;
    if (!options)
      policy.origins = {
        ...policy.origins,
        allowAllAt: { span: spanOf(file, call), label: `${receiver}.enableCors() without options` },
      };
    layers.push({ app: receiver, order: call.startIndex, policy });
  }
  layers.push(...corsPackageLayers(js, file, root, text, apps));
  layers.push(...consumerLayers(js, file, root, text, platform));
  return [...stacked(layers, globalPrefixes(js, root, text)), ...headerPolicies(js, file, root)];
}
