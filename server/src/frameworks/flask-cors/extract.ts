/**
 * Finds Flask-CORS in a Python module: `CORS(app, ...)`, the app-factory form
 * `cors = CORS(...); cors.init_app(app, ...)`, `resources=` (one Policy per resource, in the
 * order `parse_resources` tries them) and `@cross_origin(...)` on routes (one Policy per rule).
 */
import { escapeRegex } from '../../base/regex';
import { nothingElseMentions } from '../../base/project-mentions';
import path from 'node:path';
import { importedExtensions } from './imported-extension';
import { hookCredentials } from './hook-credentials';
import { nodesFoundByText } from '../../parsing/found-by-text';
import { dottedNamesPattern } from '../../lang/python/name-pattern';
import type { Node } from 'web-tree-sitter';
import type { SourceTree } from '../../parsing/source-tree';
import {
  factsOf,
  type Policy,
  type SourceRef,
  type Span,
  type StaticValue,
} from '../../policy/types';
import { PythonEvaluator, spanOf, stringValue, type Lookup } from '../../lang/python/evaluate';
import { callArguments, readModuleValues } from '../../lang/python/module-values';
import { parameterNames } from '../../lang/python/local-scope';
import type { SourceReader } from '../../base/source-reader';
import { dictLayer, keywordLayer, mergeLayers, writtenConfig, type OptionLayer } from './options';
import { resourcePolicy } from './build-policy';
import { ruleRegex } from '../../lang/python/flask-routes';
import { probablyRegex, reFix } from './serialize';
import {
  configModuleValues,
  corsLayer,
  FLASK_CORS_KEY,
  keysReadIn,
  type ConfigValues,
} from './config-module';
import { APP_CONFIG, configVariants } from './config-branches';
import { configObjects } from './config-object';
import { nearbyPythonFiles, nearbyReaders } from '../../lang/python/nearby-files';

/** Local names bound to Flask-CORS's `CORS` and `cross_origin`. */
function importedNames(
  tree: SourceTree,
  text: string,
): { cors: Set<string>; crossOrigin: Set<string> } {
  const cors = new Set(['flask_cors.CORS']);
  const crossOrigin = new Set(['flask_cors.cross_origin']);
  for (const node of nodesFoundByText(tree, text, /\bfrom\s+flask_cors\b/g, [
    'import_from_statement',
  ])) {
    if (!/^flask_cors(\.\w+)?$/.test(node.childForFieldName('module_name')?.text ?? '')) continue;
    for (const name of node.childrenForFieldName('name')) {
      if (!name) continue;
      const original =
        name.type === 'aliased_import' ? name.childForFieldName('name')?.text : name.text;
      const local =
        name.type === 'aliased_import' ? name.childForFieldName('alias')?.text : name.text;
      if (original === 'CORS' && local) cors.add(local);
      if (original === 'cross_origin' && local) crossOrigin.add(local);
    }
  }
  // `import flask_cors as fc` then `fc.CORS(app)` (openFEC, held-out batch 23).
  for (const match of text.matchAll(/^[ \t]*import[ \t]+flask_cors[ \t]+as[ \t]+(\w+)/gm)) {
    cors.add(`${match[1]}.CORS`);
    crossOrigin.add(`${match[1]}.cross_origin`);
  }
  return { cors, crossOrigin };
}

const functionName = (call: Node) =>
  call.childForFieldName('function')?.text.replace(/\s+/g, '') ?? '';

/** A route rule of the module: `@app.route("/x")`, `@bp.get("/x")`, `add_url_rule("/x", ...)`. */
const ROUTE_RULE =
  /@[ \t]*[\w.]+[ \t]*\.[ \t]*(?:route|get|post|put|patch|delete)[ \t]*\([ \t]*[rRuU]?(['"])(\/[^'"\n]*)\1|\.add_url_rule[ \t]*\([ \t]*[rRuU]?(['"])(\/[^'"\n]*)\3/g;

/** A decorator stack from a route rule down to its `def`, at most this long. */
const STACK_CHARS = 2_000;

/**
 * The module's route rules, as written, but those whose view carries its own `@cross_origin`
 * below the rule: Flask-CORS answers those itself whatever the app's resources say
 * (Opensoft-2019's endpoint modules, held-out batch 47, checked with flask-cors 6.0.2).
 */
function moduleRoutes(text: string): string[] {
  return [...text.matchAll(ROUTE_RULE)].flatMap((m) => {
    const below = text.slice(m.index, m.index + STACK_CHARS);
    const def = /^[ \t]*(?:async[ \t]+)?def\b/m.exec(below);
    const stack = def ? below.slice(0, def.index) : '';
    return /^[ \t]*@[ \t]*[\w.]*cross_origin\b/m.test(stack) ? [] : [m[2] ?? m[4]];
  });
}

/** Sibling modules read for routes, at most, and the largest read. */
const SIBLINGS = 40;
const SIBLING_CHARS = 500_000;

/**
 * The route rules of a module and of the modules beside it that import it or that it imports
 * (`from endpoints import *` in `endpoints/act.py` beside the package's `__init__` that creates
 * the app: Opensoft-2019, held-out batch 39; `from .views import x`).
 */
function appRoutes(file: string, text: string, reader: SourceReader): string[] {
  const imported = new Set<string>();
  for (const m of text.matchAll(/^[ \t]*from[ \t]+([\w.]+)[ \t]+import[ \t]+([\w, \t*]+)/gm)) {
    const last = m[1].split('.').pop();
    if (last) imported.add(last);
    else for (const name of m[2].split(',')) imported.add(name.trim());
  }
  const dir = path.dirname(file);
  const stem = path.basename(file, '.py');
  const own = escapeRegex(stem === '__init__' ? path.basename(dir) : stem);
  const importsThis = new RegExp(
    `^[ \\t]*from[ \\t]+(?:(?:[\\w.]*\\.)?${own}${stem === '__init__' ? '|\\.' : ''})[ \\t]+import\\b`,
    'm',
  );
  const routes = moduleRoutes(text);
  const [level] = nearbyPythonFiles(file, reader, 1);
  const siblings = (level ?? []).filter((f) => f !== file && path.dirname(f) === dir);
  for (const sibling of siblings.slice(0, SIBLINGS)) {
    const other = reader.read(sibling);
    if (!other || other.length > SIBLING_CHARS) continue;
    if (imported.has(path.basename(sibling, '.py')) || importsThis.test(other))
      routes.push(...moduleRoutes(other));
  }
  return routes;
}

/**
 * The routes a literal resource path (matched against the whole path, not as a prefix) leaves
 * out though they lie below it: `"/"` beside `/act/<id>` (Opensoft-2019, held-out batch 39).
 * Empty when some route is the path itself or none lies below it.
 */
function routesBelow(routes: string[], pattern: string): string[] {
  const prefix = pattern.endsWith('/') ? pattern : `${pattern}/`;
  if (routes.some((r) => r === pattern)) return [];
  return routes.filter((r) => r.startsWith(prefix) && r !== prefix);
}

/** The resources of the merged options, as `parse_resources` orders them. */
/** One resource: its pattern after `re_fix`, and its own options dict when given as a dict. */
interface Resource {
  pattern: string;
  regex: boolean;
  compiled: boolean;
  layer?: OptionLayer;
  insertAt?: Span;
  /** The string written for it, when it is a dict key or the one string (a fix may rewrite it). */
  keyAt?: Span;
  /** The pattern could not be resolved. */
  dynamic?: boolean;
}

function resources(file: string, layers: OptionLayer[], evaluator: PythonEvaluator): Resource[] {
  const written = mergeLayers(layers).options.get('resources');
  if (!written) return [{ pattern: '/*', regex: true, compiled: false }];
  const node = written.node;
  const value = written.value;
  if (value.kind === 'str')
    return [
      {
        pattern: reFix(value.value),
        regex: probablyRegex(reFix(value.value)),
        compiled: false,
        keyAt: node.type === 'string' ? spanOf(file, node) : undefined,
      },
    ];
  if (value.kind === 'list' && value.items.every((i) => i.kind === 'str'))
    return value.items.map((i) => {
      const pattern = reFix(i.kind === 'str' ? i.value : '');
      return { pattern, regex: probablyRegex(pattern), compiled: false };
    });
  if (node.type !== 'dictionary')
    return [{ pattern: '/*', regex: true, compiled: false, dynamic: true }];
  const out: Resource[] = [];
  for (const pair of node.namedChildren) {
    if (pair?.type !== 'pair') continue;
    const key = pair.childForFieldName('key');
    const options = pair.childForFieldName('value');
    if (!key || !options) continue;
    const compiledArg =
      key.type === 'call' && functionName(key) === 're.compile'
        ? key.childForFieldName('arguments')?.namedChildren[0]
        : undefined;
    const keyValue = compiledArg ? undefined : evaluator.evaluate(key);
    const keyText =
      compiledArg?.type === 'string'
        ? stringValue(compiledArg)
        : keyValue?.kind === 'str'
          ? keyValue.value
          : undefined;
    if (keyText === undefined) {
      out.push({ pattern: '/*', regex: true, compiled: false, dynamic: true });
      continue;
    }
    const pattern = reFix(keyText);
    out.push({
      pattern,
      regex: !!compiledArg || probablyRegex(pattern),
      compiled: !!compiledArg,
      layer: dictLayer(file, options, evaluator),
      insertAt: spanOf(file, options),
      keyAt: key.type === 'string' ? spanOf(file, key) : undefined,
    });
  }
  // sort_key: literal paths first, then compiled, then string regexes; more `/` and longer first.
  const rank = (r: Resource) => [
    r.regex ? 1 : 0,
    r.regex && !r.compiled ? 1 : 0,
    -(r.pattern.split('/').length - 1),
    -r.pattern.length,
  ];
  return out
    .map((r, i) => ({ r, i, k: rank(r) }))
    .sort((a, b) => a.k.map((v, j) => v - b.k[j]).find((d) => d !== 0) ?? a.i - b.i)
    .map(({ r }) => r);
}

/** The route rules of a decorated view, and whether `@cross_origin` is below them (effective). */
function routeRules(
  decorators: Node[],
  crossIndex: number,
): { rules: string[]; ineffectiveAt?: Node } {
  const rules: string[] = [];
  let ineffectiveAt: Node | undefined;
  decorators.forEach((decorator, index) => {
    const call = decorator.namedChildren[0];
    if (call?.type !== 'call' || !/\.(route|get|post|put|patch|delete)$/.test(functionName(call)))
      return;
    const first = callArguments(call).positional[0];
    const rule = first?.type === 'string' ? stringValue(first) : undefined;
    if (rule !== undefined) rules.push(rule);
    // Decorators apply bottom-up: a route below @cross_origin registers the undecorated view.
    if (index > crossIndex) ineffectiveAt = decorator;
  });
  return { rules, ineffectiveAt };
}

/**
 * For a Flask config module that sets Flask-CORS keys (`CORS_ORIGINS`, `CORS_SUPPORTS_CREDENTIALS`)
 * and sets up nothing itself: the setups of the nearest modules that run Flask-CORS, with this
 * module as their app.config (the app loads it with `from_object`, `from_pyfile` or a config
 * class of its own; one whose `from_object` is followed to this file reads it as it names it),
 * so what they find at its keys is reported here.
 */
async function configModuleReaders(
  file: string,
  text: string,
  tree: SourceTree,
  reader: SourceReader,
): Promise<Policy[]> {
  const appConfig = await configModuleValues(file, text, tree, reader);
  return nearbyReaders(
    file,
    reader,
    (other) => other.includes('flask_cors'),
    async (candidate, other, otherTree) => {
      // An app whose `from_object` names this module or one of its classes reads it itself.
      if (other.includes('from_object')) {
        const own = await extractFlaskCors(candidate, other, otherTree, reader);
        if (own.some((policy) => policy.files.includes(file))) return own;
      }
      return extractFlaskCors(candidate, other, otherTree, reader, appConfig);
    },
    () => true,
  );
}

/** The config an app loads: its keys (in load order, later winning) and whether some are hidden. */
interface LoadedConfig {
  values: ConfigValues;
  /** A config file or object that could not be followed may set any key. */
  unknown: boolean;
  files: string[];
  /** The environments that load it, when the project's environments choose (see config-branches). */
  environments?: string[];
  /** The Flask-CORS options the hidden part may set (every one when absent). */
  mayHide?: (option: string) => boolean;
}

/**
 * `app.config` as the module's code sees it: a dict of the keys read (complete when nothing
 * hidden may set another), so `app.config["CORS_ORIGINS"]` and `app.config.get(...)` passed into
 * `CORS(...)` read what the config sets.
 */
function configEvaluator(file: string, lookup: Lookup, config: LoadedConfig): PythonEvaluator {
  const span = { file, start: 0, end: 0 };
  const dict: StaticValue = {
    kind: 'dict',
    entries: [...config.values].map(([key, option]) => ({
      key: { kind: 'str', value: key, span: option.at },
      value: option.value,
    })),
    span,
    complete: !config.unknown,
  };
  // A name the module binds itself (`settings.config` of its own) stays the module's.
  return new PythonEvaluator(
    file,
    (name) => lookup(name) ?? (APP_CONFIG.test(name) ? dict : undefined),
  );
}

/**
 * The Flask-CORS policies a module sets up (none without `flask_cors`). `appConfig`: the config
 * module the app loads, when the caller knows it (see `configModuleReaders`). Where an `if`
 * chooses the config object (`from_object` per environment), each config it may load gives
 * policies of its own (see config-branches.ts).
 */
export async function extractFlaskCors(
  file: string,
  text: string,
  tree: SourceTree,
  reader: SourceReader,
  appConfig?: { values: ConfigValues; files: string[] },
): Promise<Policy[]> {
  const extensions = text.includes('flask_cors') ? [] : importedExtensions(file, text, reader);
  if (!text.includes('flask_cors') && !extensions.length)
    return !appConfig && FLASK_CORS_KEY.test(text)
      ? configModuleReaders(file, text, tree, reader)
      : [];
  const module = await readModuleValues(file, text, tree, reader, () => true);
  const wanted = keysReadIn(text);
  // Trees of the config objects followed: their option nodes are read until the policies are built.
  const trees: SourceTree[] = [];
  try {
    const sites = sitesOf(tree, text, importedNames(tree, text));
    const late = (node: Node) => !extensions.length && afterEveryCorsCall(node, sites);
    // Found by text first: most apps load no config object, and then no call is looked at.
    const objects =
      appConfig || !text.includes('from_object')
        ? []
        : (await configObjects(file, tree, module.evaluator, reader, trees, wanted)).filter(
            (o) => !late(o.call),
          );
    const written = writtenConfig(file, text, tree, module.evaluator, wanted, late, reader);
    const configuredElsewhere = () =>
      !objects.length && appHandedIn(sites) && projectSetsCorsKeys(file, reader);
    const loads: LoadedConfig[] = appConfig
      ? // The config module the caller names is the one the app loads.
        [
          {
            values: new Map([...appConfig.values, ...written.values]),
            unknown: false,
            files: appConfig.files,
          },
        ]
      : (await configVariants(file, objects, module.lookup, reader)).map(
          ({ objects: loaded, environments }) => ({
            // The config objects first, in order; what the code writes into app.config afterwards wins.
            values: new Map([...loaded.flatMap((o) => [...(o.values ?? [])]), ...written.values]),
            unknown: written.unknown || loaded.some((o) => !o.values) || configuredElsewhere(),
            files: loaded.flatMap((o) => o.files),
            environments,
            mayHide: (option: string) => projectNamesKey(file, text, reader, option),
          }),
        );
    let routes: string[] | undefined;
    const setup: ModuleSetup = {
      file,
      files: [...module.files, ...extensions.map((e) => e.file)],
      extensions: extensions.map((e) => e.name),
      lookup: module.lookup,
      textOf: (other: string) => (other === file ? text : (reader.read(other) ?? '')),
      routes: () => (routes ??= appRoutes(file, text, reader)),
      hookCredentials: /after_request/.test(text) ? hookCredentials(file, tree) : new Map(),
      ...sites,
    };
    // Two branches that load the same keys from the same places give the same policies: built
    // once, run wherever either runs (unlabelled when one of them runs everywhere).
    const distinct = new Map<string, LoadedConfig>();
    for (const config of loads) {
      const key = `${config.unknown}|${[...config.values].map(([k, v]) => `${k}@${v.at.file}:${v.at.start}`).join('|')}`;
      const same = distinct.get(key);
      if (!same) distinct.set(key, config);
      else
        same.environments =
          same.environments && config.environments
            ? [...new Set([...same.environments, ...config.environments])]
            : undefined;
    }
    const policies: Policy[] = [];
    for (const config of distinct.values()) {
      const found = setups(setup, config);
      if (config.environments)
        for (const policy of found) policy.environments = config.environments;
      policies.push(...found);
    }
    return policies;
  } finally {
    for (const t of trees) t.delete();
  }
}

/** The function a node is written in (undefined at module level). */
function enclosingFunction(node: Node): Node | undefined {
  for (let at = node.parent; at; at = at.parent) if (at.type === 'function_definition') return at;
  return undefined;
}

/**
 * Whether a write into app.config comes after every `CORS(...)`/`init_app(...)` call, in the same
 * function: Flask-CORS reads app.config once, when the call runs (`init_app` →
 * `get_cors_options`), so such a write changes nothing it sends (amundsen, held-out batch 20:
 * checked on flask-cors 6.0.2). `@cross_origin` views read app.config per request: none may be
 * here.
 */
function afterEveryCorsCall(node: Node, sites: Pick<ModuleSetup, 'calls' | 'views'>): boolean {
  if (sites.views.length || !sites.calls.length) return false;
  const scope = enclosingFunction(node)?.startIndex;
  return sites.calls.every(
    ({ call }) => enclosingFunction(call)?.startIndex === scope && call.endIndex <= node.startIndex,
  );
}

/**
 * Whether every Flask-CORS call here is given an app handed in as a parameter (an extension's
 * `init_app(self, app)`, a factory's helper): its app.config was loaded elsewhere.
 */
function appHandedIn(sites: Pick<ModuleSetup, 'calls'>): boolean {
  return (
    sites.calls.length > 0 &&
    sites.calls.every(({ call }) => {
      const app = callArguments(call).positional[0];
      const fn = enclosingFunction(call);
      return app?.type === 'identifier' && !!fn && parameterNames(fn).includes(app.text);
    })
  );
}

/** Project files looked at for a config module with Flask-CORS keys, at most. */
const CONFIG_SEARCH = 200;

/**
 * Whether another Python file of the project sets a Flask-CORS app.config key (`CORS_ORIGINS =
 * []`): an app handed in may have loaded it, and then its keys decide what the call leaves unset
 * (pg-discuss's `CorsExt.init_app`, held-out batch 40: the config's empty CORS_ORIGINS let no
 * origin in, checked on Flask-CORS 3.0.10).
 */
function projectSetsCorsKeys(file: string, reader: SourceReader): boolean {
  let looked = 0;
  for (const level of nearbyPythonFiles(file, reader))
    for (const other of level) {
      if (other === file) continue;
      if (++looked > CONFIG_SEARCH) return false;
      const text = reader.read(other);
      if (text && FLASK_CORS_KEY.test(text)) return true;
    }
  return false;
}

/** Files that may set a Flask config key: Python, config and env files, deploy scripts. */
const CONFIG_TEXT =
  /\.(?:py|cfg|ini|toml|ya?ml|json|env|sh|txt|template|example|sample|dist)$|(?:^|[\\/])(?:\.env[\w.-]*|Dockerfile[\w.-]*|Procfile)$/i;

/**
 * Whether some file of the project names Flask-CORS option `option`'s config key
 * (`CORS_SUPPORTS_CREDENTIALS`, also inside `FLASK_CORS_...` for `from_prefixed_env`): a config
 * object the code loads but that cannot be followed (a module missing from the repository, only
 * its template committed: chordme, held-out batch 50) sets only keys someone writes down. Unknown
 * when the project cannot be listed whole.
 */
function projectNamesKey(
  file: string,
  text: string,
  reader: SourceReader,
  option: string,
): boolean {
  const key = `CORS_${option.toUpperCase()}`;
  return (
    text.includes(key) ||
    !nothingElseMentions(file, reader, {
      question: `flask-config-key:${key}`,
      mayName: (other) => CONFIG_TEXT.test(other),
      mentions: (other) => other.includes(key),
    })
  );
}

/** A module's Flask-CORS calls, found once for every config it may load. */
interface ModuleSetup {
  file: string;
  /** The files its top-level names were read from. */
  files: string[];
  lookup: Lookup;
  textOf: (file: string) => string;
  /** `CORS(...)` and `x.init_app(...)` calls, in source order. */
  calls: { call: Node; fn: string }[];
  /** Extension objects created by `CORS()` in another module (see `importedExtensions`). */
  extensions: string[];
  /** Each decorated view's decorators, with every `@cross_origin(...)` call among them. */
  views: { decorators: Node[]; crossOrigin: { index: number; call: Node }[] }[];
  /** The module's route rules (read when a literal resource path asks). */
  routes: () => string[];
  /** Each app's after_request hook adding Allow-Credentials (see `hookCredentials`). */
  hookCredentials: Map<string, SourceRef>;
}

/**
 * Whether `x.init_app` is a Flask-CORS extension's: `x` is bound to `CORS(...)` in this module, or
 * named for CORS (an extension imported from its module). Other extensions' `init_app` (`db`,
 * `mail`, `jwt`) set nothing up for CORS: taken for one, a `db.init_app(app)` after
 * `app.config.from_prefixed_env()` made that load look as if it ran before CORS read the config
 * (Bus_Booking, held-out batch 42: a credentialed reflect of every origin went unsaid).
 */
function corsExtension(fn: string, bound: Set<string>): boolean {
  const receiver = /^(\w+)\.init_app$/.exec(fn)?.[1];
  return !!receiver && (/cors/i.test(receiver) || bound.has(receiver));
}

/** The names this module binds to `CORS(...)` (`ext = CORS()`), read once. */
function boundToCors(text: string, cors: Set<string>): Set<string> {
  const constructors = [...cors].map((name) => name.replace(/[.\\]/g, '\\$&')).join('|');
  const binding = new RegExp(
    String.raw`^[ \t]*(\w+)[ \t]*=[ \t]*(?:${constructors})[ \t]*\(`,
    'gm',
  );
  return new Set([...text.matchAll(binding)].map((m) => m[1]));
}

/** The calls and decorated views of a module that set Flask-CORS up. */
function sitesOf(
  tree: SourceTree,
  text: string,
  names: ReturnType<typeof importedNames>,
): Pick<ModuleSetup, 'calls' | 'views'> {
  let bound: Set<string> | undefined;
  const calls = nodesFoundByText(
    tree,
    text,
    new RegExp(
      String.raw`(?<![\w.])(?:${dottedNamesPattern(names.cors)}|\w+\s*\.\s*init_app)\s*\(`,
      'g',
    ),
    ['call'],
  )
    .filter((call) => !call.hasError)
    .map((call) => ({ call, fn: functionName(call) }))
    .filter(
      ({ fn }) =>
        names.cors.has(fn) || corsExtension(fn, (bound ??= boundToCors(text, names.cors))),
    );
  const views = nodesFoundByText(
    tree,
    text,
    new RegExp(String.raw`@\s*${dottedNamesPattern(names.crossOrigin)}\s*\(`, 'g'),
    ['decorated_definition'],
  ).flatMap((definition) => {
    const decorators = definition.namedChildren.filter((c): c is Node => c?.type === 'decorator');
    const crossOrigin = decorators.flatMap((decorator, index) => {
      const call = decorator.namedChildren[0];
      return call?.type === 'call' && !call.hasError && names.crossOrigin.has(functionName(call))
        ? [{ index, call }]
        : [];
    });
    return crossOrigin.length ? [{ decorators, crossOrigin }] : [];
  });
  return { calls, views };
}

/** The policies of a module's Flask-CORS calls with `loaded` as app.config. */
function setups(setup: ModuleSetup, loaded: LoadedConfig): Policy[] {
  const { file } = setup;
  const evaluator = configEvaluator(file, setup.lookup, loaded);
  const config = corsLayer(loaded.values, loaded.unknown, loaded.mayHide);
  const base = {
    file,
    files: [...new Set([...loaded.files, ...setup.files])],
    textOf: setup.textOf,
  };
  const extension: Policy[] = [];
  const decorated: Policy[] = [];
  const factories = new Map<string, OptionLayer>(
    setup.extensions.map((name) => [name, { options: new Map(), unknown: false }]),
  );

  // Each app-wide call's policies, by the app it is given, in registration order.
  const registered: { app: string; call: Node; policies: Policy[] }[] = [];
  const extensionPolicies = (
    call: Node,
    layers: OptionLayer[],
    callLabel: string,
    app?: string,
  ) => {
    const own: Policy[] = [];
    if (app) registered.push({ app, call, policies: own });
    const args = call.childForFieldName('arguments');
    for (const resource of resources(file, layers, evaluator)) {
      const merged = mergeLayers(resource.layer ? [...layers, resource.layer] : layers);
      const policy = resourcePolicy({
        ...base,
        via: 'extension',
        resource: resource.pattern,
        resourceIsRegex: resource.regex,
        options: merged.options,
        hidden: merged.hidden,
        call: spanOf(file, call),
        callLabel,
        insertAt: resource.insertAt ?? (args ? spanOf(file, args) : undefined),
      });
      if (resource.dynamic) policy.urlRegex = 'dynamic';
      const facts = factsOf(policy, 'flask-cors');
      const below = resource.regex ? [] : routesBelow(setup.routes(), resource.pattern);
      if (facts && resource.keyAt && below.length)
        facts.exactResource = { at: resource.keyAt, routesBelow: below };
      extension.push(policy);
      own.push(policy);
    }
  };

  for (const { call, fn } of setup.calls) {
    if (!/\.init_app$/.test(fn)) {
      const { positional, keywords } = callArguments(call);
      const app = positional[0] ?? keywords.get('app');
      const layer = keywordLayer(file, call, evaluator);
      if (app && app.text !== 'None')
        extensionPolicies(call, [config, layer], `${fn}(${app.text})`, app.text);
      else if (call.parent?.type === 'assignment')
        factories.set(call.parent.childForFieldName('left')?.text ?? '', layer);
      continue;
    }
    const init = /^(\w+)\.init_app$/.exec(fn);
    const factory = init && factories.get(init[1]);
    if (factory)
      extensionPolicies(
        call,
        [config, factory, keywordLayer(file, call, evaluator)],
        `${init[1]}.init_app(...)`,
      );
  }

  for (const { decorators, crossOrigin } of setup.views) {
    for (const { index, call } of crossOrigin) {
      const decorator = decorators[index];
      const { rules, ineffectiveAt } = routeRules(decorators, index);
      const merged = mergeLayers([config, keywordLayer(file, call, evaluator)]);
      const ineffective: SourceRef | undefined = ineffectiveAt && {
        span: spanOf(file, decorator),
        label: decorator.text,
      };
      const args = call.childForFieldName('arguments');
      for (const rule of rules.length ? rules : [null]) {
        decorated.push(
          resourcePolicy({
            ...base,
            via: 'decorator',
            resource: rule === null ? '.*' : ruleRegex(rule),
            resourceIsRegex: true,
            options: merged.options,
            hidden: merged.hidden,
            call: spanOf(file, call),
            callLabel: `@${functionName(call)}()`,
            insertAt: args ? spanOf(file, args) : undefined,
            ineffective,
          }),
        );
      }
    }
  }
  shadowEarlierCalls(registered, file);
  addHookCredentials(registered, decorated, setup.hookCredentials);
  // A decorated view's own headers win: the extension skips responses that already have them.
  return [...decorated, ...extension];
}

/**
 * An app's after_request hook that adds Allow-Credentials to every response makes each of its
 * Flask-CORS policies credentialed (a `@cross_origin` view's too: it is served by the same app).
 */
function addHookCredentials(
  registered: { app: string; policies: Policy[] }[],
  decorated: Policy[],
  hooks: Map<string, SourceRef>,
): void {
  const onlyHook = hooks.size === 1 ? [...hooks.values()][0] : undefined;
  const targets = [
    ...registered.map((r) => ({ hook: hooks.get(r.app), policies: r.policies })),
    { hook: onlyHook, policies: decorated },
  ];
  for (const { hook, policies } of targets) {
    for (const policy of hook ? policies : []) {
      const facts = factsOf(policy, 'flask-cors');
      if (policy.credentials !== false || !facts) continue;
      policy.credentials = true;
      policy.credentialsAt = hook;
      facts.hookCredentials = hook?.span;
    }
  }
}

/** A resource that covers every path (`CORS(app)`'s default `/*`). */
const EVERY_PATH = new Set(['/*', '.*', '*', '/.*']);

/**
 * A second `CORS(app)` on the same app registers its after_request hook later, and Flask runs
 * the last-registered first: where it allows every origin on every path, it sets
 * Access-Control-Allow-Origin on every response, and the earlier call's hook leaves such a
 * response alone ("CORS have been already evaluated"). The earlier call's options never apply
 * (NaiveBayesClassifier's `supports_credentials=True` beside a plain `CORS(app)`, held-out batch
 * 51; run with flask-cors 6.0.2).
 */
function shadowEarlierCalls(
  registered: { app: string; call: Node; policies: Policy[] }[],
  file: string,
): void {
  registered.forEach((earlier, index) => {
    const later = registered
      .slice(index + 1)
      .find(
        (r) =>
          r.app === earlier.app &&
          r.policies.some(
            (p) =>
              EVERY_PATH.has(factsOf(p, 'flask-cors')?.resource ?? '') &&
              p.origins.allowAll &&
              !p.origins.dynamic,
          ),
      );
    if (!later) return;
    const line = later.call.startPosition.row + 1;
    for (const policy of earlier.policies)
      policy.inactive = {
        span: spanOf(file, earlier.call),
        label: `CORS(${earlier.app}) on line ${line} registers later and answers first for every origin and path`,
        unloaded: 'Keep one of the two calls (or give each its own resources).',
      };
  });
}
