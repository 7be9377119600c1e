/**
 * Finds CORS headers written by hand in Python: Flask `after_request`/`before_request` hooks and
 * views, Django views and middleware, FastAPI/Starlette `@app.middleware("http")` and routes,
 * aiohttp middlewares and views, Tornado `RequestHandler` methods.
 * One Policy per file: its handlers as steps (the model replays them) and the neutral facts
 * they add up to (which origins get which headers).
 */
import path from 'node:path';
import type { Node } from 'web-tree-sitter';
import { checkAmbientBudget } from '../../base/budget';
import type { SourceTree } from '../../parsing/source-tree';
import type { HandsetFramework, HandsetHandler } from './facts';
import { factsOf, type Policy } from '../../policy/types';
import { spanOf, stringValue } from '../../lang/python/evaluate';
import { callArguments, readModuleValues } from '../../lang/python/module-values';
import { nearbyReaders } from '../../lang/python/nearby-files';
import { parameterNames } from '../../lang/python/local-scope';
import type { SourceReader } from '../../base/source-reader';
import { nothingElseMentions } from '../../base/project-mentions';
import { ruleRegex, samplePath } from '../../lang/python/flask-routes';
import { HandlerReader } from './handler';
import { aiohttpRoles, isAiohttpMiddleware, type AiohttpRoles } from './aiohttp';
import { headersOf, neutralPolicy } from './neutral';
import { behindCorsheaders, unlistedMiddleware } from './behind-corsheaders';
import { behindStarletteCors } from './behind-starlette-cors';

function frameworkOf(text: string): HandsetFramework {
  if (/^[ \t]*(from|import)\s+(fastapi|starlette)\b/m.test(text)) return 'fastapi';
  if (/^[ \t]*(from|import)\s+tornado\b/m.test(text)) return 'tornado';
  if (/^[ \t]*(from|import)\s+django\b/m.test(text)) return 'django';
  // A middlewares module may import nothing from aiohttp: its `await handler(request)` tells.
  if (/^[ \t]*(from|import)\s+aiohttp\b/m.test(text) || /\bawait\s+handler\s*\(/.test(text))
    return 'aiohttp';
  return 'flask';
}

const ROUTE = /\.(route|get|post|put|patch|delete|options|api_route)$/;

/** A Django middleware class: `__init__(self, get_response)`, or `process_response(self, request, response)`. */
const DJANGO_MIDDLEWARE =
  /\bdef[ \t]+__init__[ \t]*\([ \t]*self[ \t]*,[ \t]*get_response\b|\bdef[ \t]+process_response[ \t]*\([ \t]*self[ \t]*,[ \t]*request[ \t]*,[ \t]*response\b/;

/**
 * Decorators that leave a view's requests to it: routes, `@wraps`, CORS and CSRF markers, method
 * kinds. Any other (`@login_required`, a project's `@auth_required()`) may answer first
 * (superdesk's `@blueprint_auth()` refuses the preflight with 401; held-out batch 19).
 */
const TRANSPARENT =
  /(?:^|\.)(?:route|api_route|get|post|put|patch|delete|head|options|wraps|csrf_exempt|cross_origin|cors|staticmethod|classmethod|property)$/;

/** Whether a decorator may answer requests before the view it wraps. */
const wraps = (decorator: Node): boolean => {
  const expression = decorator.namedChildren[0];
  const name =
    (expression?.type === 'call' ? expression.childForFieldName('function') : expression)?.text ??
    '';
  return !TRANSPARENT.test(name.replace(/\s+/g, ''));
};

/**
 * The stage and route a decorator list gives a function. Decorators that are neither a hook nor a
 * route (`@wraps(view)` on a decorator's inner wrapper, `@csrf_exempt`, a project's own `@cors(...)`)
 * leave it what an undecorated function is: a view of every path.
 */
function role(
  decorators: Node[],
  framework: HandsetFramework,
): Pick<HandsetHandler, 'stage' | 'route'> {
  for (const decorator of decorators) {
    const expression = decorator.namedChildren[0];
    const name =
      (expression?.type === 'call'
        ? expression.childForFieldName('function')
        : expression
      )?.text.replace(/\s+/g, '') ?? '';
    if (/\.after_request$/.test(name)) return { stage: 'after' };
    if (/\.(before_request|middleware)$/.test(name)) return { stage: 'before' };
    if (expression?.type !== 'call' || !ROUTE.test(name)) continue;
    const { positional, keywords } = callArguments(expression);
    const rule = positional[0]?.type === 'string' ? stringValue(positional[0]) : undefined;
    const verb = name.slice(name.lastIndexOf('.') + 1).toUpperCase();
    const listed = keywords.get('methods')?.childForFieldName('value');
    const methods =
      listed?.type === 'list'
        ? listed.namedChildren.flatMap((m) =>
            m?.type === 'string' ? [stringValue(m)?.toUpperCase() ?? ''] : [],
          )
        : null;
    const fixed = ['ROUTE', 'API_ROUTE'].includes(verb) ? methods : [verb];
    const flaskRule =
      rule === undefined
        ? undefined
        : framework === 'fastapi'
          ? rule.replace(/\{(\w+)(:\w+)?\}/g, '<$1>')
          : rule;
    return {
      stage: 'view',
      route: {
        regex: flaskRule === undefined ? '.*' : ruleRegex(flaskRule),
        methods: fixed,
        sample: flaskRule === undefined ? '/' : samplePath(flaskRule),
      },
    };
  }
  return { stage: 'view' };
}

/**
 * Whether a function returns its last parameter (`def add_cors(resp): ...; return resp`): a hook
 * that shapes a response it is given, however it is registered (`bp.after_request(add_cors)`).
 * A typed parameter (`def add_cors(resp: Response) -> Response:`) is one too (rucio, held-out
 * batch 9: read as a view, its writes never reached the responses the app sends).
 */
function returnsLastParameter(fn: Node): boolean {
  const name = parameterNames(fn).at(-1);
  return (
    !!name &&
    fn.descendantsOfType('return_statement').some((r) => r?.namedChildren[0]?.text === name)
  );
}

/** Module-level names bound once to a dict literal (`CORS_HEADERS = {...}`); a name bound twice is left out. */
function dictConstants(tree: SourceTree): Map<string, Node> {
  const dicts = new Map<string, Node>();
  const seen = new Set<string>();
  for (const statement of tree.topLevel()) {
    const assignment =
      statement.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
    const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
    const right = assignment?.childForFieldName('right');
    if (left?.type !== 'identifier') continue;
    if (right?.type === 'dictionary' && !seen.has(left.text)) dicts.set(left.text, right);
    else dicts.delete(left.text);
    seen.add(left.text);
  }
  return dicts;
}

/** The class a function is a method of (directly in its body), if any. */
function classOf(fn: Node): Node | undefined {
  const owner = fn.parent?.type === 'decorated_definition' ? fn.parent.parent : fn.parent;
  return owner?.type === 'block' && owner.parent?.type === 'class_definition'
    ? owner.parent
    : undefined;
}

/** A class's methods as `self.<name>` (how its other methods call them). */
function methodsOf(cls: Node): Map<string, Node> {
  const methods = new Map<string, Node>();
  for (const fn of cls.descendantsOfType('function_definition'))
    if (fn && !fn.hasError && classOf(fn)?.id === cls.id)
      methods.set(`self.${fn.childForFieldName('name')?.text ?? ''}`, fn);
  return methods;
}

/**
 * Module-level functions, and those another function returns the result of
 * (`return allow_origin(request)`), or a method of the class takes its headers from
 * (`h = self.cors_headers()`, `return "", 200, self.cors_headers()`): their steps are read
 * there, in the caller's branch, never as a view of their own (by node id: method names repeat).
 */
function returnedHelpers(tree: SourceTree): {
  definitions: Map<string, Node>;
  called: Set<number>;
  /** A class's methods as `self.<name>`, read once per class. */
  methods: (cls: Node) => Map<string, Node>;
} {
  const definitions = new Map<string, Node>();
  for (const fn of tree.topLevel())
    if (fn?.type === 'function_definition' && !fn.hasError)
      definitions.set(fn.childForFieldName('name')?.text ?? '', fn);
  const called = new Set<number>();
  // Each class's methods read once: a 5,000-line class asked per `self.x()` was quadratic.
  const classes = new Map<number, Map<string, Node>>();
  const methods = (cls: Node) => {
    let found = classes.get(cls.id);
    if (!found) classes.set(cls.id, (found = methodsOf(cls)));
    return found;
  };
  const helperAt = (value: Node | null | undefined, scope: Node) => {
    const callee = value?.type === 'call' ? value.childForFieldName('function')?.text : undefined;
    if (!callee) return undefined;
    if (!callee.startsWith('self.')) return definitions.get(callee);
    let fn: Node | null = scope.parent;
    while (fn && fn.type !== 'function_definition') fn = fn.parent;
    const cls = fn && classOf(fn);
    return cls ? methods(cls).get(callee) : undefined;
  };
  // A module function's result taken apart elsewhere may be a hook's (`resp = add_cors(resp)`).
  const mark = (value: Node | null | undefined, scope: Node, methodsOnly = false) => {
    const helper = helperAt(value, scope);
    if (helper && (!methodsOnly || value?.childForFieldName('function')?.text.startsWith('self.')))
      called.add(helper.id);
  };
  for (const ret of tree.descendantsOfType('return_statement')) {
    if (!ret) continue;
    const value = ret.namedChildren[0];
    mark(value, ret);
    if (value?.type === 'expression_list' || value?.type === 'tuple')
      for (const part of value.namedChildren) mark(part, ret, true);
  }
  for (const assignment of tree.descendantsOfType('assignment'))
    if (assignment?.childForFieldName('left')?.type === 'identifier')
      mark(assignment.childForFieldName('right'), assignment, true);
  return { definitions, called, methods };
}

/** The methods of a class-based view (Flask's `MethodView`) named after an HTTP verb. */
const VIEW_VERB = /^(get|head|post|put|patch|delete|options)$/;

/**
 * For a method of a class-based view (`class Login(MethodView): def get(self): ...`), the route
 * its verb names: every path (the rule is registered elsewhere), that method alone.
 */
function classViewRoute(fn: Node): HandsetHandler['route'] {
  const name = fn.childForFieldName('name')?.text ?? '';
  const bases = classOf(fn)?.childForFieldName('superclasses')?.text ?? '';
  if (!VIEW_VERB.test(name) || !/\bMethodView\b/.test(bases)) return undefined;
  return { regex: '.*', methods: [name.toUpperCase()], sample: '/' };
}

/**
 * The routes of the views each decorator name decorates (`@public_api("GET")` under
 * `@app.route(...)`), read once for the module: asking the whole module per nested handler was
 * quadratic in a module of thousands of them.
 */
function routesByDecorator(
  tree: SourceTree,
  framework: HandsetFramework,
): Map<string, NonNullable<HandsetHandler['route']>[]> {
  const decoratorName = (d: Node) => {
    const expression = d.namedChildren[0];
    return (expression?.type === 'call' ? expression.childForFieldName('function') : expression)
      ?.text;
  };
  const routes = new Map<string, NonNullable<HandsetHandler['route']>[]>();
  for (const definition of tree.descendantsOfType('decorated_definition')) {
    checkAmbientBudget();
    const decorators = definition.namedChildren.filter((c): c is Node => c?.type === 'decorator');
    const route = role(decorators, framework).route;
    if (!route) continue;
    for (const name of new Set(decorators.map(decoratorName)))
      if (name) routes.set(name, [...(routes.get(name) ?? []), route]);
  }
  return routes;
}

/**
 * For a wrapper inside a decorator factory (`def public_api(*methods): def decorator(view):
 * @wraps(view) def wrapper(...)`), the routes of the views this module decorates with it; none
 * when `fn` is not nested or the decorator is used elsewhere only (then it wraps every path).
 */
function decoratedRoutes(
  fn: Node,
  routes: () => Map<string, NonNullable<HandsetHandler['route']>[]>,
): NonNullable<HandsetHandler['route']>[] {
  let outer: Node | undefined;
  for (let node = fn.parent; node; node = node.parent)
    if (node.type === 'function_definition') outer = node;
  const name = outer?.childForFieldName('name')?.text;
  return name ? (routes().get(name) ?? []) : [];
}

/**
 * Module-level names that hold what hand-set CORS headers send (`ACCESS_CONTROL_ALLOW_ORIGIN =
 * set_from_string(os.environ.get(...))`) in a settings module. Library setting names
 * (`CORS_ALLOWED_ORIGINS`) are left to their library's extractor.
 */
export const HEADER_SETTING = /^([A-Z0-9_]*ACCESS_CONTROL_ALLOW_[A-Z0-9_]*)[ \t]*=/gm;

/**
 * For a settings module that only names the values (no header written here): the hand-set
 * policies of the nearest modules that write the headers and read one of its names
 * (`settings.ACCESS_CONTROL_ALLOW_ORIGIN`), with this module among their files.
 */
function settingsReaders(file: string, text: string, reader: SourceReader): Promise<Policy[]> {
  const names = [...text.matchAll(HEADER_SETTING)].map((m) => m[1]);
  if (!names.length) return Promise.resolve([]);
  const reads = new RegExp(`\\b(?:${names.join('|')})\\b`);
  // The reader imports this module by its name (`from redash import settings`).
  const base = path.basename(file, '.py');
  const name = base === '__init__' ? path.basename(path.dirname(file)) : base;
  const imports = new RegExp(`^[ \\t]*(?:from|import)[ \\t][^\\n]*\\b${name}\\b`, 'm');
  return nearbyReaders(
    file,
    reader,
    (other) =>
      /access-control-allow-origin/i.test(other) && reads.test(other) && imports.test(other),
    async (candidate, other, tree) =>
      (await extractPythonHandset(candidate, other, tree, reader)).map((policy) => ({
        ...policy,
        files: [...new Set([...policy.files, file])],
      })),
    () => true,
  );
}

/** A Tornado `RequestHandler` method named after a verb it answers. */
const TORNADO_VERB = /^(get|head|post|put|patch|delete|options)$/;

/**
 * The stage and route Tornado gives a method of a handler class: `set_default_headers` runs on
 * every response (errors included: `send_error` clears the headers and runs it again) before the
 * view writes its own, as `initialize` and `prepare` do before the verb's method; a verb's method is that
 * method's view on every path (the URL table is elsewhere). Other functions are read only where
 * they are called.
 */
function tornadoRole(
  fn: Node,
): { stage: HandsetHandler['stage']; routes: NonNullable<HandsetHandler['route']>[] } | undefined {
  const name = fn.childForFieldName('name')?.text ?? '';
  if (!classOf(fn)) return undefined;
  if (['set_default_headers', 'initialize', 'prepare'].includes(name))
    return { stage: 'before', routes: [] };
  if (!TORNADO_VERB.test(name)) return undefined;
  return { stage: 'view', routes: [{ regex: '.*', methods: [name.toUpperCase()], sample: '/' }] };
}

/** The stage and route aiohttp gives a function (see `aiohttpRoles`). */
function aiohttpRole(
  fn: Node,
  decorators: Node[],
  roles: AiohttpRoles,
): { stage: HandsetHandler['stage']; routes: NonNullable<HandsetHandler['route']>[] } {
  const name = fn.childForFieldName('name')?.text ?? '';
  if (roles.prepare.has(name)) return { stage: 'after', routes: [] };
  if (isAiohttpMiddleware(fn, decorators)) return { stage: 'before', routes: [] };
  return { stage: 'view', routes: roles.routesOf.get(name) ?? [] };
}

/**
 * The hand-set CORS policy of a module, or none when it writes no Access-Control-* header (by
 * name, or by a library's constant: `hdrs.ACCESS_CONTROL_ALLOW_ORIGIN`).
 */
export async function extractPythonHandset(
  file: string,
  text: string,
  tree: SourceTree,
  reader: SourceReader,
): Promise<Policy[]> {
  if (!/access[-_]control[-_]allow[-_]origin/i.test(text))
    return settingsReaders(file, text, reader);
  const framework = frameworkOf(text);
  const roles = framework === 'aiohttp' ? aiohttpRoles(tree) : undefined;
  const { evaluator, files } = await readModuleValues(file, text, tree, reader, () => true);
  const handlers: HandsetHandler[] = [];
  let writesCors = false;
  const helpers = returnedHelpers(tree);
  // The names a method's handler reads helpers by: the module's functions and its class's methods.
  const scopes = new Map<number, Map<string, Node>>();
  const scopeOf = (cls: Node) => {
    let scope = scopes.get(cls.id);
    if (!scope)
      scopes.set(cls.id, (scope = new Map([...helpers.definitions, ...helpers.methods(cls)])));
    return scope;
  };
  const moduleDicts = dictConstants(tree);
  let byDecorator: ReturnType<typeof routesByDecorator> | undefined;
  const routesOf = () => (byDecorator ??= routesByDecorator(tree, framework));
  const flaskRole = (fn: Node, decorators: Node[]) => {
    const found = role(decorators, framework);
    const hook =
      found.stage === 'view' &&
      !found.route &&
      (/get_response|process_response/.test(fn.text) || returnsLastParameter(fn));
    // A module-level hook nothing registers never runs (PracticaMetodos' after_request_func,
    // held-out batch 45: no decorator, no `app.after_request(...)`, named nowhere else).
    if (
      hook &&
      !decorators.length &&
      fn.parent?.type === 'module' &&
      neverNamed(fn, text, file, reader)
    )
      return undefined;
    const route = found.route ?? (found.stage === 'view' ? classViewRoute(fn) : undefined);
    return {
      stage: hook ? ('after' as const) : found.stage,
      routes: route ? [route] : decoratedRoutes(fn, routesOf),
    };
  };
  for (const fn of tree.descendantsOfType('function_definition')) {
    checkAmbientBudget();
    if (fn.hasError) continue;
    // Read where it is returned (`return allow_origin(request)`), not as a view of its own.
    if (helpers.called.has(fn.id)) continue;
    const decorators =
      fn.parent?.type === 'decorated_definition'
        ? fn.parent.namedChildren.filter((c): c is Node => c?.type === 'decorator')
        : [];
    const found =
      framework === 'tornado'
        ? tornadoRole(fn)
        : roles
          ? aiohttpRole(fn, decorators, roles)
          : flaskRole(fn, decorators);
    if (!found) continue;
    for (const route of found.routes.length ? found.routes : [undefined]) {
      const cls = classOf(fn);
      const handler = new HandlerReader(
        file,
        evaluator,
        cls ? scopeOf(cls) : helpers.definitions,
        new Set(),
        moduleDicts,
        framework === 'tornado',
        framework === 'flask' || framework === 'django' || framework === 'tornado',
      ).read(fn, found.stage, route);
      const wrapper = found.stage === 'view' ? decorators.find(wraps) : undefined;
      if (wrapper) handler.wrappedBy = spanOf(file, wrapper);
      const cors = headersOf(handler.steps).some(({ header }) =>
        /^access-control-/i.test(header.name),
      );
      if (cors) writesCors = true;
      // Tornado answers 405 to a method its class has no method for: every verb's method counts.
      if (cors || (framework === 'tornado' && found.stage === 'view')) handlers.push(handler);
    }
  }
  // A settings module that names the header values and writes none: its readers' policies.
  if (!writesCors) return settingsReaders(file, text, reader);
  const policy = neutralPolicy(file, files, (f) => (f === file ? text : (reader.read(f) ?? '')), {
    framework,
    handlers,
    ...(roles?.routes ? { routes: roles.routes } : {}),
  });
  // A Django middleware class may import nothing from Django: its `get_response` tells.
  const djangoMiddleware = framework === 'django' || DJANGO_MIDDLEWARE.test(text);
  const behind = djangoMiddleware ? behindCorsheaders(file, text, reader) : undefined;
  // corsheaders leaves the responses of the origins it does not allow alone: an inner echo of
  // every origin with credentials reaches them (abdelaali2's E-Commerce, held-out batch 53: a
  // cookie-bearing GET from any site read). Other inner setups are corsheaders' to judge.
  const survives = !!behind && policy.credentials === true && !!policy.origins.reflectAny;
  const facts = factsOf(policy, 'python-handset');
  if (survives && facts) facts.outerCorsheaders = behind;
  // Behind Starlette's CORSMiddleware, an inner echo of every origin with credentials still
  // reaches the origins it does not allow; anything else is CORSMiddleware's to judge.
  const reflectsWithCredentials = policy.credentials === true && !!policy.origins.reflectAny;
  const inactive = djangoMiddleware
    ? ((survives ? undefined : behind?.at) ?? unlistedMiddleware(file, text, reader))
    : reflectsWithCredentials
      ? undefined
      : behindStarletteCors(file, text, reader);
  return [inactive ? { ...policy, inactive } : policy];
}

/**
 * Whether a module-level function's name appears nowhere but its own definition: not in its module
 * (no call, no `app.after_request(name)`), nor in another Python file of its project (an import
 * that registers it there). False when the project cannot be listed whole.
 */
function neverNamed(fn: Node, text: string, file: string, reader: SourceReader): boolean {
  const name = fn.childForFieldName('name')?.text;
  if (!name) return false;
  const word = new RegExp(`(?<!\\w)${name}(?!\\w)`);
  if ([...text.matchAll(new RegExp(word.source, 'g'))].length > 1) return false;
  return nothingElseMentions(file, reader, {
    question: `function:${name}`,
    mayName: (f) => f.endsWith('.py'),
    mentions: (written) => word.test(written),
  });
}
