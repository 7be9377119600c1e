/**
 * A module's subclasses of CORSMiddleware (`class AppCORS(CORSMiddleware)`): one that only fixes
 * options in its `__init__` (`super().__init__(app, allow_origins=[...], **kwargs)`) answers as
 * CORSMiddleware with those options; one that overrides what it answers (`is_allowed_origin`,
 * `__call__`, `preflight_response`, ...) is not modelled (the not-modelled note names it).
 */
import type { Node } from 'web-tree-sitter';
import type { SourceTree } from '../../parsing/source-tree';
import { topLevelClasses } from '../../lang/python/classes';
import { callArguments } from '../../lang/python/module-values';
import { namedAs } from './imports';

/** What a subclass's `__init__` hands to CORSMiddleware's. */
export interface SubclassInit {
  /** The `super().__init__(...)` call. */
  call: Node;
  /** Options after `app`, by position. */
  positional: Node[];
  keywords: Map<string, Node>;
  /** `**options` of its own (not the ones it passes on). */
  splats: Node[];
  /** It passes the caller's keywords on (`**kwargs`, a parameter of its own). */
  passesKeywords: boolean;
}

/** A subclass modelled as CORSMiddleware: its `__init__`, when it has one. */
export interface CorsSubclass {
  init?: SubclassInit;
}

/** The methods of a class body, decorated or not. */
function methodsOf(cls: Node): Node[] {
  return (cls.childForFieldName('body')?.namedChildren ?? []).flatMap((node) => {
    const fn = node?.type === 'decorated_definition' ? node.childForFieldName('definition') : node;
    return fn?.type === 'function_definition' ? [fn] : [];
  });
}

/** `super().__init__(...)` or `Base.__init__(self, ...)` as the statement `statement` is. */
function superInit(statement: Node, bases: Set<string>): Node | undefined {
  const call = statement.type === 'expression_statement' ? statement.namedChildren[0] : null;
  const fn = call?.type === 'call' ? call.childForFieldName('function') : null;
  if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== '__init__')
    return undefined;
  const target = fn.childForFieldName('object');
  return target?.text.replace(/\s+/g, '') === 'super()' || namedAs(target, bases)
    ? call!
    : undefined;
}

/**
 * The `__init__` of a subclass, when its body only calls the base's with options and keeps
 * values on `self`; undefined for any other body (it may compute or change the options).
 */
function initOf(fn: Node, bases: Set<string>): SubclassInit | undefined {
  let found: SubclassInit | undefined;
  const body = fn.childForFieldName('body')?.namedChildren ?? [];
  const kwargs = fn
    .childForFieldName('parameters')
    ?.namedChildren.find((p) => p?.type === 'dictionary_splat_pattern')?.namedChildren[0]?.text;
  for (const [i, statement] of body.entries()) {
    if (!statement || statement.type === 'comment') continue;
    const call = superInit(statement, bases);
    if (call && !found) {
      const { positional, keywords, splats } = callArguments(call);
      const appByName = keywords.delete('app');
      const own = (s: Node) =>
        !(s.type === 'dictionary_splat' && s.namedChildren[0]?.text === kwargs);
      const passed = splats.filter((s) => !own(s));
      // `Base.__init__(self, app, ...)` names `self` first; `super().__init__(app, ...)` does not
      // (nor `app` when it is passed as `app=app`).
      const skip =
        (call.childForFieldName('function')?.childForFieldName('object')?.type === 'call' ? 1 : 2) -
        (appByName ? 1 : 0);
      found = {
        call,
        positional: positional.slice(skip),
        keywords,
        // `*args` passes the caller's positional options: none reach it through add_middleware.
        splats: splats.filter((s) => own(s) && s.type !== 'list_splat'),
        passesKeywords: passed.length > 0,
      };
      continue;
    }
    const docstring =
      i === 0 &&
      statement.type === 'expression_statement' &&
      statement.namedChildren[0]?.type === 'string';
    const assignment =
      statement.type === 'expression_statement' ? statement.namedChildren[0] : null;
    const onSelf =
      assignment?.type === 'assignment' &&
      /^self\.\w+$/.test(assignment.childForFieldName('left')?.text ?? '');
    if (!docstring && !onSelf) return undefined;
  }
  return found;
}

/**
 * The module's top-level subclasses of the CORSMiddleware `names` that only fix its options, by
 * class name.
 */
export function corsSubclasses(tree: SourceTree, names: Set<string>): Map<string, CorsSubclass> {
  const modelled = new Map<string, CorsSubclass>();
  for (const [name, cls] of topLevelClasses(tree)) {
    const bases = cls.childForFieldName('superclasses')?.namedChildren ?? [];
    if (bases.length !== 1 || !namedAs(bases[0], names)) continue;
    const methods = methodsOf(cls);
    const initFn = methods.find((fn) => fn.childForFieldName('name')?.text === '__init__');
    if (methods.some((fn) => fn !== initFn)) continue;
    const init = initFn && initOf(initFn, names);
    if (!initFn || init) modelled.set(name, { init });
  }
  return modelled;
}
