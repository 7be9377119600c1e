/**
 * The languages CORS Lens parses, one entry each in `languages.json`: which files, which grammar
 * wasm (and the npm package that ships it; null for our own grammar in `grammars/`), the VS Code
 * language ids, and the toolchain that checks a fixed file. The bundler, the client's document
 * selector, `package.json`'s activation events (tested) and the parser all read this one table.
 */
import table from './languages.json';

/** Languages we parse, by grammar. */
export type GrammarId = 'python' | 'javascript' | 'typescript' | 'tsx' | 'ruby' | 'nginx' | 'php' | 'yaml';

export interface LanguageDescriptor {
  id: GrammarId;
  /** A file is this language when one pattern matches its path and no `exclude` does. */
  files: string[];
  exclude?: string[];
  wasm: string;
  package: string | null;
  vscode: string[];
  /** The command that checks a file of this language (the fix-compiles test runs it). */
  toolchain: string;
}

export const languages = table as LanguageDescriptor[];

const matchers = languages.map((language) => ({
  id: language.id,
  files: language.files.map((p) => new RegExp(p, 'i')),
  exclude: (language.exclude ?? []).map((p) => new RegExp(p, 'i')),
}));

/** The grammar that parses a file, by its path; undefined for languages not analysed yet. */
export function grammarFor(file: string): GrammarId | undefined {
  return matchers.find((m) => m.files.some((p) => p.test(file)) && !m.exclude.some((p) => p.test(file)))?.id;
}
