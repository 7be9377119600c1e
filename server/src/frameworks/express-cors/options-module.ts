/**
 * A config module that exports `cors` options without importing `cors` (`config/corsOptions.js`:
 * `module.exports = { corsOptions }`, `export const corsOptions = {...}`): the allowlist lives
 * here, so its mistakes are reported here, whichever module mounts it.
 */
import type { Node } from 'web-tree-sitter';
import { type JsEvaluator, jsStringValue } from '../../lang/javascript/evaluate';
import { exportsOf } from '../../lang/javascript/exports';
import { isFunctionNode } from '../../lang/javascript/options-object';
import { functionReturns } from '../../lang/javascript/returns';

/** The entry of an object literal under `name` (a `key: value` pair or a shorthand), if any. */
function entryOf(object: Node, name: string): Node | undefined {
  return (
    object.namedChildren.find((child) => {
      if (!child) return false;
      if (child.type === 'shorthand_property_identifier') return child.text === name;
      const key = child.childForFieldName(child.type === 'pair' ? 'key' : 'name');
      return !!key && (key.type === 'string' ? jsStringValue(key) : key.text) === name;
    }) ?? undefined
  );
}

/** Whether an object literal has an `origin` key (what makes it `cors` options). */
export const hasOriginKey = (object: Node): boolean => !!entryOf(object, 'origin');

/**
 * `enabled: false`: a framework's CORS config switched off (AdonisJS's `config/cors.ts` returns
 * before it sets any header; ferdium-server, held-out batch 18). The `cors` package has no such key.
 */
const switchedOff = (object: Node): boolean =>
  entryOf(object, 'enabled')?.childForFieldName('value')?.type === 'false';

/** Build-tool configs whose `cors` key configures a dev server, not the app. */
const TOOL_CONFIG =
  /(?:^|[\\/])(?:vite|vitest|webpack|nuxt|next|astro|svelte)\.config\.[cm]?[jt]s$/;

/**
 * The `cors` options objects a module exports under a name that says so (`corsOptions`,
 * `corsConfig`; any name in a module named for CORS), with an `origin` key.
 */
export function exportedCorsOptions(js: JsEvaluator, root: Node): Node[] {
  if (TOOL_CONFIG.test(js.file)) return [];
  const namedForCors = /cors/i.test(js.file.split(/[\\/]/).pop() ?? '');
  const seen = new Set<number>();
  const out: Node[] = [];
  for (const { name, node } of exportsOf(js, root)) {
    if (!namedForCors && !/cors/i.test(name)) continue;
    const object = js.resolveNode(node);
    if (object.type !== 'object' || !hasOriginKey(object) || seen.has(object.startIndex)) continue;
    if (switchedOff(object)) continue;
    seen.add(object.startIndex);
    out.push(object);
  }
  return out;
}

/**
 * `(origin, callback) => { ... callback(...) ... }`: the shape `cors` calls an origin option with.
 * An options delegate has the same shape but is given the request (`(req, callback)`): not one;
 * nor is Koa or Hono middleware (`async (ctx, next) => { ...; await next() }`: somisana, held-out
 * batch 23; Hono's `async (c, next)`, GroveAuth, batch 28): a callback that is awaited is `next`.
 */
function isOriginFunction(fn: Node): boolean {
  const params = fn.childForFieldName('parameters')?.namedChildren.filter((p) => !!p) ?? [];
  const callback = params[1] && (params[1].childForFieldName('pattern') ?? params[1]).text;
  if (params.length !== 2 || !callback) return false;
  if (
    /^(?:req(?:uest)?|ctx|context|c)$/.test(
      (params[0]!.childForFieldName('pattern') ?? params[0]!).text,
    )
  )
    return false;
  const calls = fn
    .descendantsOfType('call_expression')
    .filter((c) => c?.childForFieldName('function')?.text === callback);
  return calls.length > 0 && !calls.some((c) => c?.parent?.type === 'await_expression');
}

/**
 * The `origin` functions a module exports for others' `cors` options (`originValidator`, or a
 * factory of one: `(list) => (origin, callback) => {...}`), under a name or in a module named for
 * CORS or origins.
 */
export function exportedOriginFunctions(js: JsEvaluator, root: Node): Node[] {
  const namedForCors = /cors|origin/i.test(js.file.split(/[\\/]/).pop() ?? '');
  const out: Node[] = [];
  for (const { name, node } of exportsOf(js, root)) {
    if (!namedForCors && !/cors|origin/i.test(name)) continue;
    const fn = js.resolveNode(node);
    if (!isFunctionNode(fn)) continue;
    const inner = isOriginFunction(fn)
      ? fn
      : functionReturns(fn)?.find((r) => isFunctionNode(r) && isOriginFunction(r));
    if (inner && !out.some((o) => o.startIndex === inner.startIndex)) out.push(inner);
  }
  return out;
}
