import { existsSync } from 'node:fs';
import path from 'node:path';
import { Language, Parser, type Tree } from 'web-tree-sitter';

/** Languages we parse, by grammar. */
export type GrammarId = 'python' | 'javascript' | 'typescript' | 'tsx' | 'ruby' | 'nginx';

const wasmFile: Record<GrammarId, string> = {
  python: 'tree-sitter-python.wasm',
  javascript: 'tree-sitter-javascript.wasm',
  typescript: 'tree-sitter-typescript.wasm',
  tsx: 'tree-sitter-tsx.wasm',
  ruby: 'tree-sitter-ruby.wasm',
  nginx: 'tree-sitter-nginx.wasm',
};

/** The npm package that ships a wasm file, where its name differs from the file's. */
const wasmPackage: Record<string, string> = { 'tree-sitter-tsx.wasm': 'tree-sitter-typescript' };

/**
 * Where a wasm file is: next to the bundle in `dist/` (the extension, the CLI), else in the
 * package that ships it (tests run from source).
 */
function locate(file: string): string {
  const bundled = path.join(__dirname, file);
  if (existsSync(bundled)) return bundled;
  // Our own grammar (grammars/nginx) is built in the repository, not shipped by a package.
  const own = path.join(__dirname, '../../../grammars', file.replace(/^tree-sitter-|\.wasm$/g, ''), file);
  if (existsSync(own)) return own;
  const pkg = file === 'web-tree-sitter.wasm' ? 'web-tree-sitter' : (wasmPackage[file] ?? file.replace(/\.wasm$/, ''));
  const entry = pkg === 'web-tree-sitter' ? require.resolve(pkg) : require.resolve(`${pkg}/package.json`);
  return path.join(path.dirname(entry), file);
}

let ready: Promise<Map<GrammarId, Language>> | undefined;

/** Loads the runtime and every grammar once; later calls share the same promise. */
export function loadGrammars(): Promise<Map<GrammarId, Language>> {
  ready ??= (async () => {
    await Parser.init({ locateFile: () => locate('web-tree-sitter.wasm') });
    const languages = new Map<GrammarId, Language>();
    for (const id of Object.keys(wasmFile) as GrammarId[]) {
      languages.set(id, await Language.load(locate(wasmFile[id])));
    }
    return languages;
  })();
  return ready;
}

/** A parser for one grammar; call after `loadGrammars()` resolved. */
export async function createParser(id: GrammarId): Promise<Parser> {
  const languages = await loadGrammars();
  const parser = new Parser();
  parser.setLanguage(languages.get(id)!);
  return parser;
}

/** Parses a whole text once (CLI, tests). The caller deletes the tree. */
export async function parseText(id: GrammarId, text: string): Promise<Tree> {
  const parser = await createParser(id);
  try {
    const tree = parser.parse(text);
    if (!tree) throw new Error(`tree-sitter could not parse the ${id} text`);
    return tree;
  } finally {
    parser.delete();
  }
}
