import type { Node } from 'web-tree-sitter';
import type { SourceTree } from '../../parsing/source-tree';
import type { StaticValue } from '../../policy/types';
import type { SourceReader } from '../../base/source-reader';
import { PythonEvaluator, type Lookup } from './evaluate';
import { SettingsModuleReader } from './settings-module';
import { libraryConstants } from './library-constants';

/** A module's top-level names, resolved statically, and an evaluator that sees them. */
export interface ModuleValues {
  evaluator: PythonEvaluator;
  /** The top-level names the evaluator sees, for an evaluator that sees more (`app.config`). */
  lookup: Lookup;
  /** Files read (imported modules first, then this one). */
  files: string[];
}

/**
 * Reads a module's top-level assignments (and the sibling modules it imports from) so that
 * expressions in calls resolve constants as the Django settings reader does: `ORIGINS = [...]`,
 * `os.getenv(..., default)`, `from .config import ORIGINS`. Names bound later win, as at call time
 * in an app module that configures CORS after its constants.
 */
export async function readModuleValues(
  file: string,
  text: string,
  tree: SourceTree,
  reader: SourceReader,
  wanted: (name: string) => boolean,
): Promise<ModuleValues> {
  const module = await new SettingsModuleReader(reader, libraryConstants, wanted).read(
    file,
    text,
    tree,
  );
  const lookup = (name: string): StaticValue | undefined => module.settings.get(name)?.value;
  return { evaluator: new PythonEvaluator(file, lookup), lookup, files: module.files };
}

/** The positional and keyword arguments of a call, comments dropped. */
export function callArguments(call: Node): {
  positional: Node[];
  keywords: Map<string, Node>;
  splats: Node[];
} {
  const positional: Node[] = [];
  const keywords = new Map<string, Node>();
  const splats: Node[] = [];
  for (const arg of call.childForFieldName('arguments')?.namedChildren ?? []) {
    if (!arg || arg.type === 'comment') continue;
    if (arg.type === 'keyword_argument')
      keywords.set(arg.childForFieldName('name')?.text ?? '', arg);
    else if (arg.type === 'dictionary_splat' || arg.type === 'list_splat') splats.push(arg);
    else positional.push(arg);
  }
  return { positional, keywords, splats };
}
