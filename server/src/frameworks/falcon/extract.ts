/**
 * Falcon's own CORS: `falcon.CORSMiddleware(allow_origins=..., allow_credentials=...,
 * expose_headers=...)` (in `falcon.App(middleware=[...])` or `app.add_middleware(...)`), and
 * `falcon.App(cors_enable=True)`, which installs one with the defaults. One policy per setup, with
 * the module's routes (`app.add_route(template, Resource())`) and their resources' responders.
 */
import type { Node } from 'web-tree-sitter';
import type { SourceReader } from '../../base/source-reader';
import type { SourceTree } from '../../parsing/source-tree';
import { nodesFoundByText } from '../../parsing/found-by-text';
import {
  type Policy,
  type SourceRef,
  type Span,
  type StaticValue,
  noOrigins,
} from '../../policy/types';
import { PythonEvaluator, compact, spanOf, truthiness } from '../../lang/python/evaluate';
import { callArguments, readModuleValues } from '../../lang/python/module-values';
import { scopedLookup } from '../../lang/python/local-scope';
import { topLevelClasses } from '../../lang/python/classes';
import type { FalconFacts, FalconOrigins, FalconRoute } from './facts';
import { componentWritingFirst } from './later-components';

/** What the module calls Falcon's app classes and its CORSMiddleware, by its imports. */
interface FalconNames {
  apps: Set<string>;
  cors: Set<string>;
}

const IMPORTS_FALCON = /^[ \t]*(?:from[ \t]+falcon\b|import[ \t]+falcon\b)/m;

/** `import falcon [as f]`, `from falcon import App, CORSMiddleware as C`, `from falcon import asgi`. */
function falconNames(text: string): FalconNames {
  const names: FalconNames = { apps: new Set(), cors: new Set() };
  const module = (alias: string) => {
    for (const app of ['App', 'API', 'asgi.App']) names.apps.add(`${alias}.${app}`);
    names.cors.add(`${alias}.CORSMiddleware`);
  };
  for (const m of text.matchAll(/^[ \t]*import[ \t]+falcon(?:[ \t]+as[ \t]+(\w+))?[ \t]*$/gm))
    module(m[1] ?? 'falcon');
  for (const m of text.matchAll(
    /^[ \t]*from[ \t]+(falcon(?:\.\w+)?)[ \t]+import[ \t]+\(?([^)\n\r]*)/gm,
  ))
    for (const part of m[2].split(',')) {
      const [original, local = original] = part.trim().split(/\s+as\s+/);
      if (!original) continue;
      if (original === 'asgi') names.apps.add(`${local}.App`);
      else if (original === 'App' || original === 'API') names.apps.add(local);
      else if (original === 'CORSMiddleware') names.cors.add(local);
    }
  return names;
}

/** How many classes of a resource's chain of bases are read, at most. */
const MAX_BASES = 50;

/** Falcon's responder methods (`on_get`), as the HTTP methods they answer. */
const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'TRACE']);

/**
 * The methods a resource class answers (`on_get[_suffix]`), with its bases in this module;
 * undefined when a base is elsewhere or it answers OPTIONS itself (then Allow is its own).
 */
function resourceMethods(
  classes: Map<string, Node>,
  name: string,
  suffix: string | undefined,
  seen = new Set<string>(),
): Set<string> | undefined {
  const cls = classes.get(name);
  // A chain of bases past MAX_BASES (a generated module) is not followed: methods unknown.
  if (!cls || seen.has(name) || seen.size >= MAX_BASES) return undefined;
  seen.add(name);
  const methods = new Set<string>();
  for (const base of cls.childForFieldName('superclasses')?.namedChildren ?? []) {
    if (!base || base.text === 'object') continue;
    const inherited = resourceMethods(classes, base.text, suffix, seen);
    if (!inherited) return undefined;
    for (const m of inherited) methods.add(m);
  }
  const responder = new RegExp(`^on_([a-z]+)${suffix ? `_${suffix}` : ''}$`);
  for (const node of cls.childForFieldName('body')?.namedChildren ?? []) {
    const fn = node?.type === 'decorated_definition' ? node.childForFieldName('definition') : node;
    const method = responder.exec(fn?.childForFieldName('name')?.text ?? '')?.[1]?.toUpperCase();
    if (method === 'OPTIONS') return undefined;
    if (method && HTTP_METHODS.has(method)) methods.add(method);
  }
  return methods;
}

/** `app.add_route('/items/{id}', Items())`, its resource bound to a name or made in place. */
function routesOf(tree: SourceTree, text: string, evaluator: PythonEvaluator): FalconRoute[] {
  const classes = topLevelClasses(tree);
  const made = new Map<string, string>();
  for (const m of text.matchAll(/^[ \t]*(\w+)[ \t]*=[ \t]*(\w+)\(/gm)) made.set(m[1], m[2]);
  const routes: FalconRoute[] = [];
  for (const call of nodesFoundByText(tree, text, /\.add_route\s*\(/g, ['call'])) {
    const { positional, keywords } = callArguments(call);
    const template = positional[0] && evaluator.evaluate(positional[0]);
    if (template?.kind !== 'str') continue;
    const resource = positional[1];
    const cls =
      resource?.type === 'call'
        ? compact(resource.childForFieldName('function'))
        : resource?.type === 'identifier'
          ? made.get(resource.text)
          : undefined;
    const suffix = keywords.get('suffix')?.childForFieldName('value');
    const suffixValue = suffix ? evaluator.evaluate(suffix) : undefined;
    const methods =
      cls && (!suffix || suffixValue?.kind === 'str')
        ? resourceMethods(classes, cls, suffixValue?.kind === 'str' ? suffixValue.value : undefined)
        : undefined;
    routes.push({ template: template.value, methods: methods && [...methods].sort() });
  }
  return routes;
}

/** `'*'`, a string or an iterable of strings, as Falcon's `__init__` holds it. */
function originsOf(value: StaticValue | undefined, fallback: FalconOrigins): FalconOrigins {
  if (!value) return fallback;
  if (value.kind === 'none') return { kind: 'list', values: [] };
  if (value.kind === 'str')
    return value.value === '*' ? { kind: 'any' } : { kind: 'list', values: [value.value] };
  if (value.kind !== 'list' || value.items.some((i) => i.kind !== 'str'))
    return { kind: 'dynamic' };
  return { kind: 'list', values: value.items.map((i) => (i as { value: string }).value) };
}

/** One CORS setup: the keyword arguments that reach CORSMiddleware, and where it is written. */
interface FalconSetup {
  at: Span;
  args: Map<string, { value: StaticValue; at: Span }>;
  /** A `**options` (or positional arguments) the extractor does not read. */
  hidden: boolean;
  /** A component listed after it that writes Access-Control-Allow-Origin first (`later-components.ts`). */
  writtenFirstBy?: string;
}

function setupsOf(
  file: string,
  tree: SourceTree,
  text: string,
  names: FalconNames,
  lookup: (node: Node) => PythonEvaluator,
  reader: SourceReader,
): FalconSetup[] {
  const setups: FalconSetup[] = [];
  for (const call of nodesFoundByText(tree, text, /\b(?:CORSMiddleware|App|API)\s*\(/g, ['call'])) {
    const fn = compact(call.childForFieldName('function'));
    const { positional, keywords, splats } = callArguments(call);
    const evaluator = lookup(call);
    if (names.cors.has(fn)) {
      const args = new Map<string, { value: StaticValue; at: Span }>();
      ['allow_origins', 'expose_headers', 'allow_credentials'].forEach((name, i) => {
        const keyword = keywords.get(name);
        const node = keyword?.childForFieldName('value') ?? positional[i];
        if (node)
          args.set(name, { value: evaluator.evaluate(node)!, at: spanOf(file, keyword ?? node) });
      });
      setups.push({
        at: spanOf(file, call),
        args,
        hidden: splats.length > 0,
        writtenFirstBy: componentWritingFirst(file, text, reader, call),
      });
    } else if (names.apps.has(fn)) {
      const flag = keywords.get('cors_enable');
      const on = flag?.childForFieldName('value');
      if (on && truthiness(evaluator.evaluate(on)!) === true)
        setups.push({ at: spanOf(file, flag!), args: new Map(), hidden: false });
    }
  }
  return setups;
}

const ref = (text: string, span: Span): SourceRef => ({
  span,
  label: text.slice(span.start, span.end).replace(/\s+/g, ' ').slice(0, 60),
});

function policyOf(
  file: string,
  files: string[],
  text: string,
  setup: FalconSetup,
  routes: FalconRoute[],
): Policy {
  const originsArg = setup.args.get('allow_origins');
  const credentialsArg = setup.args.get('allow_credentials');
  const exposeArg = setup.args.get('expose_headers');
  const unread: FalconOrigins = setup.hidden ? { kind: 'dynamic' } : { kind: 'list', values: [] };
  const facts: FalconFacts = {
    origins: originsOf(originsArg?.value, setup.hidden ? { kind: 'dynamic' } : { kind: 'any' }),
    credentials: originsOf(credentialsArg?.value, unread),
    routes,
  };
  const expose = exposeArg?.value;
  const exposed =
    expose?.kind === 'str'
      ? [expose.value]
      : expose?.kind === 'list' && expose.items.every((i) => i.kind === 'str')
        ? expose.items.map((i) => (i as { value: string }).value)
        : undefined;
  if (exposed?.length) facts.expose = exposed.join(', ');
  const origins = noOrigins();
  const at = originsArg?.at ?? setup.at;
  if (facts.origins.kind === 'any') {
    // With credentials for every origin, Falcon echoes each one: a reflection, not a `*`.
    if (facts.credentials.kind === 'any') origins.reflectAny = ref(text, credentialsArg?.at ?? at);
    else {
      origins.allowAll = true;
      origins.allowAllAt = ref(text, at);
    }
  } else if (facts.origins.kind === 'list') {
    const value = originsArg?.value;
    const items = value?.kind === 'list' ? value.items : value ? [value] : [];
    origins.exact = facts.origins.values.map((v, i) => ({ value: v, span: items[i]?.span ?? at }));
    origins.listAt = ref(text, at);
  } else origins.dynamic = true;
  const credentials =
    facts.credentials.kind === 'dynamic'
      ? 'dynamic'
      : facts.credentials.kind === 'any' || facts.credentials.values.length > 0;
  const served = routes.every((r) => r.methods)
    ? [...new Set(routes.flatMap((r) => r.methods ?? []))]
    : undefined;
  // A path a route answers (a `{field}` filled with a number, which every converter takes).
  const sample = routes[0];
  return {
    framework: 'falcon',
    file,
    files,
    at: setup.at,
    configured: true,
    origins,
    credentials,
    credentialsAt:
      credentials === true && credentialsArg ? ref(text, credentialsArg.at) : undefined,
    credentialsOption: 'allow_credentials',
    // The preflight's methods are the route's responders; its headers echo what it asks.
    methods: { names: served ?? [], wildcard: false, dynamic: !served || !routes.length },
    headers: { names: [], wildcard: true, dynamic: false },
    expose: { names: exposed ?? [], wildcard: false, dynamic: !!expose && !exposed },
    maxAge: 86400,
    urlRegex: '^.*$',
    allowPrivateNetwork: false,
    servedMethods: served,
    samplePath: sample?.template.replace(/\{[^}]*\}/g, '1'),
    sampleMethod:
      sample?.methods && !sample.methods.includes('GET') ? sample.methods[0] : undefined,
    facts,
    // The component's own headers answer instead (the not-modelled note is on its process_response).
    inactive: setup.writtenFirstBy
      ? {
          span: setup.at,
          label: `never sends them: ${setup.writtenFirstBy}, listed after it, writes Access-Control-Allow-Origin first and Falcon's CORSMiddleware leaves it alone`,
        }
      : undefined,
  };
}

/** The Falcon CORS setups of a module, one policy each. */
export async function extractFalcon(
  file: string,
  text: string,
  tree: SourceTree,
  reader: SourceReader,
): Promise<Policy[]> {
  if (!IMPORTS_FALCON.test(text) || !/CORSMiddleware|cors_enable/.test(text)) return [];
  const names = falconNames(text);
  if (!names.cors.size && !names.apps.size) return [];
  const module = await readModuleValues(file, text, tree, reader, () => true);
  const setups = setupsOf(
    file,
    tree,
    text,
    names,
    (node) => new PythonEvaluator(file, scopedLookup(file, node, module.lookup)),
    reader,
  );
  if (!setups.length) return [];
  const routes = routesOf(tree, text, module.evaluator);
  return setups.map((setup) => policyOf(file, module.files, text, setup, routes));
}
