/**
 * Finds CORS headers written by hand in PHP: `header(...)` in scripts and the functions they
 * call, and `->headers->set(...)`, `->header(...)`, `->withHeader(...)` in middleware, hooks and
 * controllers. One Policy per file: its scopes as steps (the model replays them) and the neutral
 * facts they add up to.
 */
import { unincludedScript } from './unincluded-script';
import path from 'node:path';
import type { Node } from 'web-tree-sitter';
import type { SourceTree } from '../../parsing/source-tree';
import type { PhpHandler } from './facts';
import type { Policy } from '../../policy/types';
import { calledName, PhpEvaluator, spanOf } from '../../lang/php/evaluate';
import { ScopeReader } from './handler';
import { headersOf, neutralPolicy, originQuery } from './neutral';
import { scriptPathFilter } from './script-path';
import { unregisteredMiddleware } from './laravel-registration';
import type { SourceReader } from '../../base/source-reader';

const SCOPES = [
  'function_definition',
  'method_declaration',
  'anonymous_function',
  'arrow_function',
];

const writesCors = (handler: PhpHandler) =>
  headersOf(handler.steps).some(({ header }) => /^access-control-/i.test(header.name));

/**
 * The nodes of `type` outside every function, method and closure, in document order. One walk
 * that skips scopes: asking each node for its `parent` chain costs the depth per step in
 * tree-sitter, cubic on a deeply nested file.
 */
function outsideScopes(root: Node, type: string): Node[] {
  const out: Node[] = [];
  const stack: Node[] = [root];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (node !== root && node.type === type) out.push(node);
    if (node !== root && SCOPES.includes(node.type)) continue;
    const children = node.namedChildren;
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i];
      if (child) stack.push(child);
    }
  }
  return out;
}

/** The hand-set CORS policy of a PHP file, or none when it writes no Access-Control-* header. */
/** A parameter named for the request's method (`$requestMethod`): what the caller hands in. */
const METHOD_PARAMETER = /^\$(?:request_?method|http_?method|req_?method)$/i;

/**
 * The parameters of a function or method named for the request's method: emoncms's router is
 * handed `$_SERVER['REQUEST_METHOD']` by its caller in another file (held-out batch 20), and its
 * `=== 'OPTIONS'` branch is the preflight's.
 */
function methodParameters(scope: Node): string[] {
  const parameters = scope.childForFieldName('parameters')?.namedChildren ?? [];
  return parameters.flatMap((p) => {
    const name = p?.childForFieldName('name')?.text;
    return name && METHOD_PARAMETER.test(name) ? [name] : [];
  });
}

export async function extractPhpHandset(
  file: string,
  text: string,
  tree: SourceTree,
  reader: SourceReader,
): Promise<Policy[]> {
  if (!/access-control-/i.test(text)) return [];
  const root = tree.root;
  const evaluator = new PhpEvaluator(file);
  evaluator.collectConstants(root);
  const functions = new Map<string, Node>();
  for (const fn of outsideScopes(root, 'function_definition'))
    functions.set(fn.childForFieldName('name')?.text.toLowerCase() ?? '', fn);
  // Functions the script calls run where it calls them; the others run on their own (hooks, middleware).
  const called = new Set(
    outsideScopes(root, 'function_call_expression')
      .map(calledName)
      .filter((name) => functions.has(name)),
  );
  const handlers: PhpHandler[] = [];
  const script = new ScopeReader(file, evaluator, functions);
  const top: PhpHandler = {
    kind: 'script',
    steps: script.block(root),
    response: script.response,
    span: spanOf(file, root),
  };
  if (writesCors(top)) handlers.push(top);
  for (const scope of root.descendantsOfType(SCOPES)) {
    if (!scope || scope.hasError) continue;
    if (
      scope.type === 'function_definition' &&
      called.has(scope.childForFieldName('name')?.text.toLowerCase() ?? '')
    )
      continue;
    const reader = new ScopeReader(file, evaluator, functions);
    for (const name of methodParameters(scope)) reader.bindings.methods.add(name);
    const body = scope.childForFieldName('body');
    const handler: PhpHandler = {
      kind: 'function',
      steps: body?.type === 'compound_statement' ? reader.block(body) : [],
      response: reader.response,
      span: spanOf(file, scope),
    };
    if (writesCors(handler)) handlers.push(handler);
  }
  if (!handlers.length) return [];
  const inactive =
    unregisteredMiddleware(file, text, reader) ?? unincludedScript(file, text, reader);
  const urlRegex = scriptPathFilter(file, text, handlers);
  const query = originQuery({ handlers });
  return [
    {
      ...neutralPolicy(file, text, { handlers }),
      urlRegex,
      ...(query ? { samplePath: `/${urlRegex ? path.basename(file) : ''}${query}` } : {}),
      ...(inactive ? { inactive } : {}),
    },
  ];
}
