/**
 * The languages CORS Lens parses, one entry each in `languages.json`: which files, which grammar
 * wasm (and the npm package that ships it; null for our own grammar in `grammars/`), the VS Code
 * language ids, and the toolchain that checks a fixed file. The bundler, the client's document
 * selector, `package.json`'s activation events (tested) and the parser all read this one table.
 */
import table from './languages.json';

/** Languages we parse, by grammar. */
export type GrammarId =
  'python' | 'javascript' | 'typescript' | 'tsx' | 'ruby' | 'nginx' | 'php' | 'yaml';

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
  /**
   * Files named like nothing in particular (`sites-available/api`, `default.conf.tpl`, a vhost
   * named after its domain, `api.example.ru`) that are this language when their text says so:
   * a path matching one of `files` whose text matches every pattern of `text` (multiline).
   */
  sniff?: { files: string[]; text: string[] };
}

export const languages = table as LanguageDescriptor[];

const matchers = languages.map((language) => ({
  id: language.id,
  files: language.files.map((p) => new RegExp(p, 'i')),
  exclude: (language.exclude ?? []).map((p) => new RegExp(p, 'i')),
  sniffFiles: (language.sniff?.files ?? []).map((p) => new RegExp(p, 'i')),
  sniffText: (language.sniff?.text ?? []).map((p) => new RegExp(p, 'm')),
}));

/** The grammar that parses a file, by its path; undefined for languages not analysed yet. */
export function grammarFor(file: string): GrammarId | undefined {
  return matchers.find(
    (m) => m.files.some((p) => p.test(file)) && !m.exclude.some((p) => p.test(file)),
  )?.id;
}

/** Whether a file's language may show only in its text (the walk keeps it; `grammarForText` decides). */
export const maySniff = (file: string): boolean =>
  matchers.some((m) => m.sniffFiles.some((p) => p.test(file)));

/**
 * The grammar of a file whose text is at hand: by its path, unless the text says it is a
 * language that hides behind other names (nginx in `api.example.ru` or `site.tpl`).
 */
export function grammarForText(file: string, text: string): GrammarId | undefined {
  const sniffed = matchers.find(
    (m) => m.sniffFiles.some((p) => p.test(file)) && m.sniffText.every((p) => p.test(text)),
  )?.id;
  const byPath = grammarFor(file);
  // A rackup file is Ruby; a file named after a `.ru` domain with nginx in it is not.
  if (byPath === 'ruby' && sniffed) return sniffed;
  return byPath ?? sniffed;
}
