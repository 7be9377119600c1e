import type { Node } from 'web-tree-sitter';
import { callArguments } from '../../lang/python/module-values';
import { namedAs, type StarletteNames } from './imports';
import type { SourceTree } from '../../parsing/source-tree';
import { nodesFoundByText } from '../../parsing/found-by-text';
import { dottedNamesPattern } from '../../lang/python/name-pattern';
import { compact } from '../../lang/python/evaluate';
import { corsSubclasses, type CorsSubclass } from './subclasses';

/** One place where CORSMiddleware is configured, with the arguments that reach its `__init__`. */
export interface CorsSetup {
  /** The call that holds the options: `add_middleware(...)`, `Middleware(...)`, `CORSMiddleware(...)`. */
  call: Node;
  /** Positional arguments after `app` (only the direct `CORSMiddleware(app, ...)` form has them). */
  positional: Node[];
  keywords: Map<string, Node>;
  /** `**options` arguments, whose keys may set any option. */
  splats: Node[];
  /** A subclass's `super().__init__(...)` whose options join the call's. */
  via?: Node;
}

/** The options that reach CORSMiddleware through a subclass of it: its `__init__`'s, then the caller's it passes on. */
function throughSubclass(setup: CorsSetup, subclass: CorsSubclass): CorsSetup {
  const init = subclass.init;
  if (!init) return setup;
  const keywords = new Map(init.keywords);
  if (init.passesKeywords)
    for (const [name, node] of setup.keywords) if (!keywords.has(name)) keywords.set(name, node);
  return {
    call: setup.call,
    positional: init.positional,
    keywords,
    splats: [...init.splats, ...(init.passesKeywords ? setup.splats : [])],
    via: init.call,
  };
}

/**
 * Every CORSMiddleware setup in the tree: `app.add_middleware(CORSMiddleware, ...)`,
 * `Middleware(CORSMiddleware, ...)` (in `FastAPI(middleware=[...])`, `Starlette(...)` or a list
 * built beforehand) and the direct wrap `CORSMiddleware(app, ...)`.
 */
export function findCorsSetups(tree: SourceTree, text: string, names: StarletteNames): CorsSetup[] {
  const setups: CorsSetup[] = [];
  const subclasses = corsSubclasses(tree, names.cors);
  const classes = new Set([...names.cors, ...subclasses.keys()]);
  const take = (cls: Node | undefined, setup: CorsSetup) => {
    const subclass = cls && subclasses.get(compact(cls));
    if (subclass) setups.push(throughSubclass(setup, subclass));
    else if (namedAs(cls, names.cors)) setups.push(setup);
  };
  // Found by text: `.add_middleware(`, and calls of the names bound to the two classes.
  const pattern = new RegExp(
    String.raw`(?:\.\s*add_middleware|(?<![\w.])${dottedNamesPattern([...classes, ...names.middleware])})\s*\(`,
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
      take(cls, { call, positional: [], keywords, splats });
    } else if (namedAs(fn, classes)) {
      // CORSMiddleware(app, allow_origins, ...): the first positional is the wrapped app.
      take(fn!, { call, positional: positional.slice(1), keywords, splats });
    }
  }
  return setups;
}
