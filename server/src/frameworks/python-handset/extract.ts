/**
 * Finds CORS headers written by hand in Python: Flask `after_request`/`before_request` hooks and
 * views, Django views and middleware, FastAPI/Starlette `@app.middleware("http")` and routes.
 * One Policy per file: its handlers as steps (the model replays them) and the neutral facts
 * they add up to (which origins get which headers).
 */
import type { Node } from 'web-tree-sitter';
import type { SourceTree } from '../../parsing/source-tree';
import type { HandsetFramework, HandsetHandler } from './facts';
import type { Policy } from '../../policy/types';
import { stringValue } from '../../lang/python/evaluate';
import { callArguments, readModuleValues } from '../../lang/python/module-values';
import type { SourceReader } from '../../base/source-reader';
import { ruleRegex, samplePath } from '../../lang/python/flask-routes';
import { HandlerReader } from './handler';
import { headersOf, neutralPolicy } from './neutral';

function frameworkOf(text: string): HandsetFramework {
  if (/^\s*(from|import)\s+(fastapi|starlette)\b/m.test(text)) return 'fastapi';
  if (/^\s*(from|import)\s+django\b/m.test(text)) return 'django';
  return 'flask';
}

const ROUTE = /\.(route|get|post|put|patch|delete|options|api_route)$/;

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

/** The hand-set CORS policy of a module, or none when it writes no Access-Control-* header. */
export async function extractPythonHandset(
  file: string,
  text: string,
  tree: SourceTree,
  reader: SourceReader,
): Promise<Policy[]> {
  if (!/access-control-allow-origin/i.test(text)) return [];
  const framework = frameworkOf(text);
  const { evaluator, files } = await readModuleValues(file, text, tree, reader, () => true);
  const handlers: HandsetHandler[] = [];
  for (const fn of tree.descendantsOfType('function_definition')) {
    if (fn.hasError) continue;
    const decorators =
      fn.parent?.type === 'decorated_definition'
        ? fn.parent.namedChildren.filter((c): c is Node => c?.type === 'decorator')
        : [];
    const found = role(decorators, framework);
    const handler = new HandlerReader(file, evaluator).read(
      fn,
      found.stage === 'view' && /get_response|process_response/.test(fn.text)
        ? 'after'
        : found.stage,
      found.route,
    );
    if (headersOf(handler.steps).some(({ header }) => /^access-control-/i.test(header.name)))
      handlers.push(handler);
  }
  if (!handlers.length) return [];
  return [
    neutralPolicy(file, files, (f) => (f === file ? text : (reader.read(f) ?? '')), {
      framework,
      handlers,
    }),
  ];
}
