import type { Node } from 'web-tree-sitter';
import type { SourceTree } from '../../parsing/source-tree';
import type { NextHandler } from './facts';
import { corsKey } from '../../lang/javascript/response-shape';
import { JsEvaluator, spanOf, unwrap } from '../../lang/javascript/evaluate';
import { HandlerReader, type ImportedHelper } from '../../lang/javascript/web-response';

/** The methods an App Router route module may export. */
const METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'DELETE', 'PATCH']);

/** Exported functions of a module by name: `export function GET`, `export const GET = async () => ...`. */
export function exportedFunctions(root: Node): Map<string, Node> {
  const out = new Map<string, Node>();
  for (const statement of root.namedChildren) {
    if (statement?.type !== 'export_statement') continue;
    const decl = statement.childForFieldName('declaration');
    if (decl?.type === 'function_declaration') {
      const name = decl.childForFieldName('name')?.text;
      if (name) out.set(name, decl);
    } else if (decl?.type === 'lexical_declaration' || decl?.type === 'variable_declaration') {
      for (const d of decl.namedChildren) {
        const name = d?.childForFieldName('name');
        const value = d?.childForFieldName('value');
        if (
          name?.type === 'identifier' &&
          value &&
          /function|arrow_function/.test(unwrap(value).type)
        )
          out.set(name.text, unwrap(value));
      }
    } else {
      const value = statement.childForFieldName('value');
      if (
        value &&
        /function/.test(unwrap(value).type) &&
        statement.text.startsWith('export default')
      )
        out.set('default', unwrap(value));
    }
  }
  return out;
}

/** The route handlers a route module exports, each with the response it builds. */
export function readRoute(
  file: string,
  tree: SourceTree,
  imported?: ReadonlyMap<string, ImportedHelper>,
): { handlers: NextHandler[]; partial: boolean } {
  const js = new JsEvaluator(file, tree.root);
  const reader = new HandlerReader(js, file, imported);
  const handlers: NextHandler[] = [];
  let partial = false;
  for (const [name, fn] of exportedFunctions(tree.root)) {
    if (!METHODS.has(name)) continue;
    const result = reader.read(fn);
    // The last response returned is the one a passing request gets (early returns are refusals).
    const answers = result.returns.filter((r) => !r.refusal);
    const main = answers[answers.length - 1];
    const refused = result.returns.find((r) => r.refusal);
    // Early returns without CORS headers (a 400, a 404) do not change what the checks judge.
    const differs = answers.some(
      (r) => corsKey(r.shape) !== '' && corsKey(r.shape) !== (main ? corsKey(main.shape) : ''),
    );
    partial ||= result.partial || !main || differs || (!!refused && corsKey(refused.shape) !== '');
    const response = main?.shape ?? { status: 200, headers: [], body: 'unknown' };
    if (refused?.refusal)
      response.refusal = { allowlist: refused.refusal.allowlist, response: refused.shape };
    handlers.push({ method: name, span: spanOf(file, fn), response });
  }
  return { handlers, partial };
}
