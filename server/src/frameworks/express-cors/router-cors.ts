/**
 * Routers an app mounts that carry a `cors()` of their own, read in the module that builds them
 * (`app.use('/hooks', hooks)` with `hooks.use(cors({ origin: '*' }))` in routes/hooks.js, or a
 * route's own `cors()` there). An app-wide `cors()` mounted before them answers every preflight
 * itself (`preflightContinue` off), so theirs never sees one: see express-cors-shadows-router.
 */
import type { Node } from 'web-tree-sitter';
import type { SourceReader } from '../../base/source-reader';
import { type JsEvaluator, spanOf, unwrap } from '../../lang/javascript/evaluate';
import { defaultImportNames } from '../../lang/javascript/modules';
import {
  firstArgument,
  importOf,
  type ModuleBinding,
  withImported,
  withModule,
} from '../../lang/javascript/options-object';
import { projectRootOf } from '../../base/project-root';
import { readCorsOptions } from '../../lang/javascript/cors-package/options';
import type { Span } from '../../policy/types';
import { type AppCall, appCalls, corsCall } from './app-calls';

/** A router with its own `cors()`, mounted by `mount` (a `use` call of this module). */
export interface CorsRouter {
  /** The mounting `use` call, in this module, and the app or router it is called on. */
  mount: Span;
  receiver: string;
  /** The router's module. */
  file: string;
  /** The path it is mounted at, when one literal path (`/` otherwise). */
  path: string;
  /** Its own `cors(...)` call, in its module. */
  cors: Span;
  /** Whether that `cors()` lets every origin in (`*`, `true`, an echo of any Origin). */
  allowsAll: boolean;
  /** The exact origins it lists. */
  origins: string[];
}

/** What a router's module says: its own first `cors()`, and the routers it mounts in turn. */
interface RouterModule {
  own?: Pick<CorsRouter, 'cors' | 'allowsAll' | 'origins'>;
  nested: { binding: Pick<ModuleBinding, 'spec' | 'exported'>; path: string }[];
}

/** A router module worth parsing: one that mounts `cors()` or other routers. */
const ROUTER_TEXT = /\bcors\b|\.use\s*\(/;
/** Router modules followed below the one the app mounts (`routes/index.js` → `routes/hooks.js`). */
const NESTING = 2;
/**
 * Router modules parsed per read of an app module: every edit of the app reads them again, so an
 * app mounting dozens of routers costs a bounded number of parses, not one per router.
 */
const MAX_OPENED = 8;
/** Router modules read, by file and text: an edit of the app module re-reads none of them. */
const READ = new Map<string, { text: string; result: RouterModule | undefined }>();
const MAX_CACHED = 512;
/** Router modules over this size are not parsed: one edit of the app must not parse megabytes. */
const MAX_ROUTER_CHARS = 256 * 1024;

/** `require('./routes/hooks')` written in place of a name: the module it loads, whole. */
function requiredModule(node: Node): Pick<ModuleBinding, 'spec' | 'exported'> | undefined {
  if (node.type !== 'call_expression' || node.childForFieldName('function')?.text !== 'require')
    return undefined;
  const arg = node.childForFieldName('arguments')?.namedChildren[0];
  const spec = arg?.type === 'string' ? arg.text.slice(1, -1) : undefined;
  return spec && /^(?:\.|[@~]\/)/.test(spec) ? { spec, exported: 'default' } : undefined;
}

/** The first `cors()` among `calls` of the router `name`, mounted or given to one of its routes. */
function ownCors(
  js: JsEvaluator,
  calls: AppCall[],
  corsNames: Set<string>,
  name: string,
): RouterModule['own'] {
  for (const call of calls) {
    if (call.receiver !== name) continue;
    for (const handler of call.handlers) {
      const cors = corsCall(handler, corsNames, js);
      if (!cors) continue;
      const at = spanOf(js.file, cors);
      const fields = readCorsOptions(js, firstArgument(cors), at);
      if (!fields) return undefined;
      const { origins } = fields.policy;
      return {
        cors: at,
        allowsAll: origins.allowAll || !!origins.reflectAny,
        origins: origins.exact.map((o) => o.value),
      };
    }
  }
  return undefined;
}

/** The exported router of a module (`node`), read: its `cors()` and the routers it mounts. */
function readRouter(js: JsEvaluator, node: Node, aliased: boolean): RouterModule | undefined {
  const name = routerName(node);
  if (!name) return undefined;
  const root = node.tree.rootNode;
  const calls = appCalls(root, root.text, js).filter((c) => c.receiver === name);
  const nested = calls
    .filter((c) => c.method === 'use')
    .flatMap((call) =>
      call.handlers.flatMap((handler) => {
        const inner = unwrap(handler);
        const binding =
          requiredModule(inner) ??
          (inner.type === 'identifier' ? importOf(root, inner.text, aliased) : undefined);
        return binding ? [{ binding, path: literalPath(call) }] : [];
      }),
    );
  return { own: ownCors(js, calls, defaultImportNames(root, 'cors'), name), nested };
}

/** The name an exported router is bound to: `export default hooks`, `const hooks = Router()`. */
function routerName(node: Node): string | undefined {
  const inner = unwrap(node);
  if (inner.type === 'identifier') return inner.text;
  const declarator = inner.parent?.type === 'variable_declarator' ? inner.parent : undefined;
  return declarator?.childForFieldName('name')?.text;
}

const joined = (outer: string, inner: string) =>
  `${outer.replace(/\/+$/, '')}/${inner.replace(/^\/+/, '')}`.replace(/\/+$/, '') || '/';

const literalPath = (call: AppCall) => (call.path.kind === 'string' ? call.path.value : '/');

/**
 * The routers with their own `cors()` that this module's `use` calls mount: imported ones (by a
 * relative or `@/` path, or `require('./routes/x')` in place; and the routers those mount in
 * turn), and a local router (`const api = express.Router()`) with what it mounts.
 */
export async function corsRouters(
  js: JsEvaluator,
  root: Node,
  calls: AppCall[],
  reader: SourceReader,
): Promise<CorsRouter[]> {
  if (READ.size > MAX_CACHED) READ.clear();
  const options = {
    mentions: ROUTER_TEXT,
    aliasRoot: projectRootOf(js.file, reader.scopes),
    cache: READ,
    maxChars: MAX_ROUTER_CHARS,
  };
  let parsed = 0;
  const readOne = (other: JsEvaluator, node: Node) => {
    parsed++;
    return readRouter(other, node, true);
  };
  const receivers = new Set(calls.map((c) => c.receiver));
  const found: CorsRouter[] = [];
  const add = (mount: AppCall, file: string, path: string, own: RouterModule['own']) => {
    if (own) found.push({ mount: mount.span, receiver: mount.receiver, file, path, ...own });
  };
  const follow = async (
    mount: AppCall,
    opened: { file: string; result: RouterModule | undefined } | undefined,
    path: string,
    depth: number,
  ) => {
    if (!opened?.result) return;
    add(mount, opened.file, path, opened.result.own);
    if (depth >= NESTING) return;
    for (const next of opened.result.nested)
      if (parsed < MAX_OPENED)
        await follow(
          mount,
          await withModule(opened.file, next.binding, reader, readOne, options),
          joined(path, next.path),
          depth + 1,
        );
  };
  const visit = async (call: AppCall, mount: AppCall, prefix: string, local: boolean) => {
    for (const handler of call.handlers) {
      const inner = unwrap(handler);
      const path = joined(prefix, literalPath(call));
      const required = requiredModule(inner);
      if (required && parsed < MAX_OPENED) {
        await follow(mount, await withModule(js.file, required, reader, readOne, options), path, 0);
        continue;
      }
      if (inner.type !== 'identifier') continue;
      if (receivers.has(inner.text) && !local) {
        add(mount, js.file, path, ownCors(js, calls, defaultImportNames(root, 'cors'), inner.text));
        for (const nested of calls.filter((c) => c.receiver === inner.text && c.method === 'use'))
          await visit(nested, mount, path, true);
        continue;
      }
      if (parsed >= MAX_OPENED) return;
      const opened = await withImported(js.file, root, inner.text, reader, readOne, options);
      await follow(mount, opened, path, 0);
    }
  };
  for (const call of calls.filter((c) => c.method === 'use')) await visit(call, call, '/', false);
  return found;
}
