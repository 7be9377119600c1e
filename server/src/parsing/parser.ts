import { existsSync } from 'node:fs';
import path from 'node:path';
import { Language, Parser } from 'web-tree-sitter';
import { SegmentedParse } from './segmented-parse';
import { languages as languageTable, type GrammarId } from './languages';
import type { SourceTree } from './source-tree';

export type { GrammarId };

const byId = new Map(languageTable.map((language) => [language.id, language]));

/**
 * Where a wasm file is: next to the bundle in `dist/` (the extension, the CLI), else in the
 * package that ships it (tests run from source).
 */
function locate(file: string): string {
  const bundled = path.join(__dirname, file);
  if (existsSync(bundled)) return bundled;
  // Our own grammar (grammars/nginx) is built in the repository, not shipped by a package.
  const own = path.join(
    __dirname,
    '../../../grammars',
    file.replace(/^tree-sitter-|\.wasm$/g, ''),
    file,
  );
  if (existsSync(own)) return own;
  const pkg =
    file === 'web-tree-sitter.wasm'
      ? 'web-tree-sitter'
      : (languageTable.find((l) => l.wasm === file)?.package ?? file.replace(/\.wasm$/, ''));
  const entry =
    pkg === 'web-tree-sitter' ? require.resolve(pkg) : require.resolve(`${pkg}/package.json`);
  return path.join(path.dirname(entry), file);
}

let runtime: Promise<void> | undefined;
const languages = new Map<GrammarId, Promise<Language>>();

/**
 * Loads the runtime once, then one grammar on its first use: a Django-only workspace never
 * compiles the Ruby or TypeScript grammars (megabytes of wasm each), which keeps the server's
 * start and memory small. Later calls share the same promises.
 */
export function loadGrammar(id: GrammarId): Promise<Language> {
  runtime ??= Parser.init({ locateFile: () => locate('web-tree-sitter.wasm') });
  let language = languages.get(id);
  if (!language) {
    language = runtime.then(() => Language.load(locate(byId.get(id)!.wasm)));
    languages.set(id, language);
  }
  return language;
}

/** A parser for one grammar (loads it on first use). */
export async function createParser(id: GrammarId): Promise<Parser> {
  const language = await loadGrammar(id);
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

/** Parses a whole text once (CLI, tests). The caller deletes the tree. */
export async function parseText(id: GrammarId, text: string): Promise<SourceTree> {
  const parser = await createParser(id);
  try {
    return SegmentedParse.parse(parser, id, text).tree;
  } finally {
    parser.delete();
  }
}
