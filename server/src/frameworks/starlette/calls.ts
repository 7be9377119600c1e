import type { Node } from 'web-tree-sitter';
import { callArguments } from '../../lang/python/module-values';
import { namedAs, type StarletteNames } from './imports';
import type { SourceTree } from '../../parsing/source-tree';
import { nodesFoundByText } from '../../parsing/found-by-text';
import { dottedNamesPattern } from '../../lang/python/name-pattern';

/** One place where CORSMiddleware is configured, with the arguments that reach its `__init__`. */
export interface CorsSetup {
  /** The call that holds the options: `add_middleware(...)`, `Middleware(...)`, `CORSMiddleware(...)`. */
  call: Node;
  /** Positional arguments after `app` (only the direct `CORSMiddleware(app, ...)` form has them). */
  positional: Node[];
  keywords: Map<string, Node>;
  /** `**options` arguments, whose keys may set any option. */
  splats: Node[];
}

/**
 * Every CORSMiddleware setup in the tree: `app.add_middleware(CORSMiddleware, ...)`,
 * `Middleware(CORSMiddleware, ...)` (in `FastAPI(middleware=[...])`, `Starlette(...)` or a list
 * built beforehand) and the direct wrap `CORSMiddleware(app, ...)`.
 */
export function findCorsSetups(tree: SourceTree, text: string, names: StarletteNames): CorsSetup[] {
  const setups: CorsSetup[] = [];
  // Found by text: `.add_middleware(`, and calls of the names bound to the two classes.
  const pattern = new RegExp(
    String.raw`(?:\.\s*add_middleware|(?<![\w.])${dottedNamesPattern([...names.cors, ...names.middleware])})\s*\(`,
    'g',
  );
  for (const call of nodesFoundByText(tree, text, pattern, ['call'])) {
    const fn = call.childForFieldName('function');
    const { positional, keywords, splats } = callArguments(call);
    const isAddMiddleware =
      fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'add_middleware';
    const isWrapper = isAddMiddleware || namedAs(fn, names.middleware);
    if (isWrapper) {
      const cls =
        positional[0] ??
        keywords.get(isAddMiddleware ? 'middleware_class' : 'cls')?.childForFieldName('value');
      if (namedAs(cls, names.cors)) setups.push({ call, positional: [], keywords, splats });
    } else if (namedAs(fn, names.cors)) {
      // CORSMiddleware(app, allow_origins, ...): the first positional is the wrapped app.
      setups.push({ call, positional: positional.slice(1), keywords, splats });
    }
  }
  return setups;
}
