/**
 * aiohttp_cors setups of a module, one policy each: `cors = aiohttp_cors.setup(app, defaults={...})`,
 * then `cors.add(route_or_resource[, config])` calls (or a loop over `app.router.routes()`), read
 * against the routes the module registers.
 */
import type { Node } from 'web-tree-sitter';
import type { SourceReader } from '../../base/source-reader';
import { compact, PythonEvaluator, spanOf } from '../../lang/python/evaluate';
import { scopedLookup } from '../../lang/python/local-scope';
import { callArguments } from '../../lang/python/module-values';
import { SettingsModuleReader } from '../../lang/python/settings-module';
import type { SourceTree } from '../../parsing/source-tree';
import type { Policy } from '../../policy/types';
import { ConfigReader } from './config';
import type { AiohttpConfig, AiohttpCorsFacts, AiohttpResource } from './facts';
import { aiohttpCorsNames, definitions, type AiohttpCorsNames, type Definitions } from './names';
import { checkAmbientBudget } from '../../base/budget';
import { neutralPolicy } from './neutral';
import {
  pathRegex,
  registrationOf,
  resourceRouteOf,
  routeTables,
  samplePath,
  type Registration,
} from '../../lang/python/aiohttp-routes';

const ALL_ROUTES = /(^|\.)router\.(routes|resources)$/;

/**
 * What every setup of a module reads, found once: its calls, route tables, assignments and route
 * registrations (each setup walking the whole module made one with thousands of setups quadratic).
 */
interface ModuleIndex {
  calls: Node[];
  tables: Set<string>;
  definitionOf: Definitions;
  registrations: Registration[];
}

function moduleIndex(tree: SourceTree, names: AiohttpCorsNames): ModuleIndex {
  const roots = tree.roots;
  const calls = tree.descendantsOfType('call');
  const tables = routeTables(roots);
  const definitionOf = definitions(roots);
  const corsNames = new Set(
    calls
      .filter((c) => names.setup.has(compact(c.childForFieldName('function'))))
      .map(boundTo)
      .filter((name) => name !== undefined),
  );
  /** The registration a name or call stands for; `cors.add(entity)` returns its entity. */
  const resourceOf = (node: Node, depth = 0): Registration | undefined => {
    const value = node.type === 'identifier' ? definitionOf(node.text, node.startIndex) : node;
    if (value?.type !== 'call' || depth > 3) return undefined;
    const found = registrationOf(value, tables);
    if (found) return found;
    const fn = value.childForFieldName('function');
    const entity = callArguments(value).positional[0];
    return fn?.type === 'attribute' &&
      fn.childForFieldName('attribute')?.text === 'add' &&
      corsNames.has(compact(fn.childForFieldName('object'))) &&
      entity
      ? resourceOf(entity, depth + 1)
      : undefined;
  };
  const found: Registration[] = [];
  for (const call of calls) {
    checkAmbientBudget();
    const registration = registrationOf(call, tables) ?? resourceRouteOf(call, resourceOf);
    if (registration) found.push(registration);
  }
  return { calls, tables, definitionOf, registrations: found };
}

/** Whether `name` is the target of a `for` over every route of the router (`list(app.router.routes())`). */
function loopsOverEveryRoute(node: Node, name: string): boolean {
  for (let at: Node | null = node.parent; at; at = at.parent) {
    if (at.type !== 'for_statement' || at.childForFieldName('left')?.text !== name) continue;
    let right = at.childForFieldName('right');
    if (right?.type === 'call' && compact(right.childForFieldName('function')) === 'list')
      right = callArguments(right).positional[0] ?? null;
    return right?.type === 'call' && ALL_ROUTES.test(compact(right.childForFieldName('function')));
  }
  return false;
}

/** The names the setup's result is bound to (`cors = setup(...)`, `self.cors = ...`). */
function boundTo(setup: Node): string | undefined {
  const parent = setup.parent;
  return parent?.type === 'assignment' && parent.childForFieldName('right')?.id === setup.id
    ? compact(parent.childForFieldName('left'))
    : undefined;
}

function setupFacts(index: ModuleIndex, setup: Node, reader: ConfigReader): AiohttpCorsFacts {
  const { calls, tables, definitionOf, registrations: all } = index;
  const { keywords } = callArguments(setup);
  const facts: AiohttpCorsFacts = {
    defaults: reader.config(keywords.get('defaults')?.childForFieldName('value') ?? undefined),
    resources: [],
    routesUnknown: false,
  };
  // Routes registered elsewhere (another module builds the router): any path may be routed.
  facts.routesUnknown =
    all.length === 0 || all.some((r) => r.path === undefined || r.methods === undefined);
  const byPath = new Map<string, AiohttpResource>();
  const resourceFor = (path: string) => {
    let resource = byPath.get(path);
    if (!resource) {
      resource = {
        regex: pathRegex(path),
        sample: samplePath(path),
        methods: [],
        methodConfig: {},
      };
      byPath.set(path, resource);
      facts.resources.push(resource);
    }
    return resource;
  };
  for (const r of all)
    if (r.path !== undefined)
      for (const m of r.methods ?? [])
        if (!resourceFor(r.path).methods.includes(m)) resourceFor(r.path).methods.push(m);
  const variable = boundTo(setup);
  if (!variable) return facts;
  for (const call of calls) {
    checkAmbientBudget();
    const fn = call.childForFieldName('function');
    if (
      fn?.type !== 'attribute' ||
      fn.childForFieldName('attribute')?.text !== 'add' ||
      compact(fn.childForFieldName('object')) !== variable
    )
      continue;
    const { positional, keywords: kw } = callArguments(call);
    const target = positional[0] ?? kw.get('routing_entity')?.childForFieldName('value');
    const config = reader.config(
      positional[1] ?? kw.get('config')?.childForFieldName('value') ?? undefined,
    );
    if (!target) continue;
    if (target.type === 'identifier' && loopsOverEveryRoute(call, target.text)) {
      facts.everyRoute = config;
      continue;
    }
    const node = target.type === 'identifier' ? definitionOf(target.text, call.startIndex) : target;
    const registration =
      node?.type === 'call'
        ? (registrationOf(node, tables) ?? all.find((r) => r.call.id === node.id))
        : undefined;
    if (!registration || registration.path === undefined) {
      // A route the extractor cannot place: count it as any route, with this config.
      facts.routesUnknown = true;
      facts.everyRoute ??= config;
      continue;
    }
    enable(resourceFor(registration.path), registration, config);
  }
  if (facts.everyRoute)
    for (const resource of facts.resources)
      for (const method of resource.methods)
        enable(resource, { methods: [method] }, facts.everyRoute);
  return facts;
}

/** What `cors.add` records: the resource's config on first use, and the route's own. */
function enable(
  resource: AiohttpResource,
  registration: Pick<Registration, 'methods' | 'resourceOnly'>,
  config: AiohttpConfig,
): void {
  resource.cors ??= config;
  const method = registration.resourceOnly ? undefined : registration.methods?.[0];
  if (method !== undefined) resource.methodConfig[method] ??= config;
}

export async function extractAiohttpCors(
  file: string,
  text: string,
  tree: SourceTree,
  sources: SourceReader,
): Promise<Policy[]> {
  if (!text.includes('aiohttp_cors')) return [];
  const names = aiohttpCorsNames(tree);
  if (!names.setup.size) return [];
  const index = moduleIndex(tree, names);
  const setups = index.calls.filter((c) =>
    names.setup.has(compact(c.childForFieldName('function'))),
  );
  if (!setups.length) return [];
  const module = await new SettingsModuleReader(sources, {}, () => true).read(file, text, tree);
  const moduleLookup = (name: string) => module.settings.get(name)?.value;
  return setups.map((setup) => {
    const evaluator = new PythonEvaluator(file, scopedLookup(file, setup, moduleLookup));
    const reader = new ConfigReader(file, index.definitionOf, names, evaluator);
    const facts = setupFacts(index, setup, reader);
    return neutralPolicy(file, module.files, text, spanOf(file, setup), facts);
  });
}
