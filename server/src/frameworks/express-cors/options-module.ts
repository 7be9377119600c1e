/**
 * A config module that exports `cors` options without importing `cors` (`config/corsOptions.js`:
 * `module.exports = { corsOptions }`, `export const corsOptions = {...}`): the allowlist lives
 * here, so its mistakes are reported here, whichever module mounts it.
 */
import type { Node } from 'web-tree-sitter';
import { type JsEvaluator, jsStringValue } from '../../lang/javascript/evaluate';
import { exportsOf } from '../../lang/javascript/exports';

/** Whether an object literal has an `origin` key (what makes it `cors` options). */
function hasOriginKey(object: Node): boolean {
  return object.namedChildren.some((child) => {
    if (!child) return false;
    if (child.type === 'shorthand_property_identifier') return child.text === 'origin';
    const key = child.childForFieldName(child.type === 'pair' ? 'key' : 'name');
    return !!key && (key.type === 'string' ? jsStringValue(key) : key.text) === 'origin';
  });
}

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
    seen.add(object.startIndex);
    out.push(object);
  }
  return out;
}
