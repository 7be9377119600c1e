/**
 * `cors()` mounted without options while the module has `cors` options at hand that it never
 * passes: declared here (`const corsOptions = { origin: [...] }`) or exported by a module it
 * imports (`const config = require('./config')` whose `corsOptions` it never reads). The
 * allowlist was written and forgotten, so every origin is allowed by mistake, not by choice.
 */
import path from 'node:path';
import { matchesWithinBudget } from '../../base/budget';
import type { Node } from 'web-tree-sitter';
import type { SourceReader } from '../../base/source-reader';
import type { Policy } from '../../policy/types';
import { type JsEvaluator, spanOf } from '../../lang/javascript/evaluate';
import { relativeBindings, withImported } from '../../lang/javascript/options-object';
import { objectEntries, topLevelDeclarations } from '../../lang/javascript/exports';
import { hasOriginKey } from './options-module';

/**
 * Whether `name` occurs in `text` as a whole word more than `times` times. It stops at the first
 * occurrence past that: a 2 MB module declares thousands of names, and counting each one's every
 * occurrence made this quadratic. The budget is checked at each occurrence.
 */
function mentionedMoreThan(text: string, name: string, times: number): boolean {
  const word = new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g');
  let seen = 0;
  for (const _ of matchesWithinBudget(text, word)) if (++seen > times) return true;
  return false;
}

/** An object literal with an `origin` key, bound to a name that says CORS. */
const isCorsOptions = (js: JsEvaluator, name: string, node: Node): Node | undefined => {
  if (!/cors/i.test(name)) return undefined;
  const object = js.resolveNode(node);
  return object.type === 'object' && hasOriginKey(object) ? object : undefined;
};

/**
 * The `cors` options the module declares or imports and never uses, when a `cors()` of it has
 * none (undefined when there are none, or every one is used somewhere in the module).
 */
export async function unusedCorsOptions(
  js: JsEvaluator,
  root: Node,
  text: string,
  reader: SourceReader,
): Promise<Policy['unusedOptionsAt']> {
  for (const [name, value] of topLevelDeclarations(root)) {
    const object = isCorsOptions(js, name, value);
    if (object && !mentionedMoreThan(text, name, 1))
      return { span: spanOf(js.file, object), label: name, pass: name };
  }
  for (const local of new Set([...relativeBindings(root)].map((b) => b.local))) {
    // A module bound to a name: its exported options count as used when the module says their name.
    const found = await withImported(js.file, root, local, reader, (other, exported) => {
      const object = isCorsOptions(other, local, exported);
      if (object)
        return mentionedMoreThan(text, local, 1)
          ? undefined
          : { object, name: local, pass: local, other };
      const value = other.resolveNode(exported);
      for (const entry of value.type === 'object' ? objectEntries(other, value) : []) {
        const options = isCorsOptions(other, entry.name, entry.node);
        if (options && !mentionedMoreThan(text, entry.name, 0))
          return { object: options, name: entry.name, pass: `${local}.${entry.name}`, other };
      }
      return undefined;
    });
    const hit = found?.result;
    if (hit)
      return {
        span: spanOf(hit.other.file, hit.object),
        label: `${hit.name} (${path.relative(path.dirname(js.file), hit.other.file)})`,
        pass: hit.pass,
      };
  }
  return undefined;
}
