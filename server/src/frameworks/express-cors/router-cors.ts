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
import { firstArgument, withImported } from '../../lang/javascript/options-object';
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

/** The first `cors()` a module's router `name` mounts or gives one of its routes. */
function ownCors(
  js: JsEvaluator,
  node: Node,
  name: string,
): Pick<CorsRouter, 'cors' | 'allowsAll' | 'origins'> | undefined {
  const root = node.tree.rootNode;
  const corsNames = defaultImportNames(root, 'cors');
  if (!corsNames.size) return undefined;
  for (const call of appCalls(root, root.text, js)) {
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
 * The routers with their own `cors()` that this module's `use` calls mount: imported ones, a
 * local router (`const api = express.Router()`), and the imported ones it mounts in turn.
 */
export async function corsRouters(
  js: JsEvaluator,
  root: Node,
  calls: AppCall[],
  reader: SourceReader,
): Promise<CorsRouter[]> {
  const receivers = new Set(calls.map((c) => c.receiver));
  const found: CorsRouter[] = [];
  const visit = async (call: AppCall, mount: AppCall, prefix: string, depth: number) => {
    for (const handler of call.handlers) {
      const inner = unwrap(handler);
      if (inner.type !== 'identifier') continue;
      const path = joined(prefix, literalPath(call));
      if (receivers.has(inner.text) && depth === 0) {
        const own = ownCors(js, root, inner.text);
        if (own)
          found.push({ mount: mount.span, receiver: mount.receiver, file: js.file, path, ...own });
        for (const nested of calls.filter((c) => c.receiver === inner.text && c.method === 'use'))
          await visit(nested, mount, path, depth + 1);
        continue;
      }
      const imported = await withImported(
        js.file,
        root,
        inner.text,
        reader,
        (other, node) => {
          const name = routerName(node);
          return name ? ownCors(other, node, name) : undefined;
        },
        /\bcors\b/,
      );
      if (imported?.result)
        found.push({
          mount: mount.span,
          receiver: mount.receiver,
          file: imported.file,
          path,
          ...imported.result,
        });
    }
  };
  for (const call of calls.filter((c) => c.method === 'use')) await visit(call, call, '/', 0);
  return found;
}
