import type { Node } from 'web-tree-sitter';
import { callArguments } from '../../lang/python/module-values';
import { namedAs, type StarletteNames } from './imports';
import type { SourceTree } from '../../parsing/source-tree';

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
export function findCorsSetups(tree: SourceTree, names: StarletteNames): CorsSetup[] {
  const setups: CorsSetup[] = [];
  for (const call of tree.descendantsOfType('call')) {
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
