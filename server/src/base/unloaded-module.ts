/**
 * A module of the project that no other file loads: a plugin or middleware module left behind
 * when the app moved its CORS setup elsewhere (dawn-treader's `plugins/setupCors.js`, held-out
 * batch 36: nothing requires it, and the app registers @fastify/cors itself).
 */
import { escapeRegex } from './regex';
import path from 'node:path';
import { nothingElseMentions } from './project-mentions';
import type { SourceReader } from './source-reader';

/** Folders that hold modules other files load (not entry points). */
const LOADED_FOLDER = /[\\/](?:plugins?|middlewares?|lib|utils?|helpers?|config)[\\/][^\\/]+$/;

/** Files that may name a module: code, and the configs that list entry points. */
const MAY_NAME =
  /\.(?:[cm]?[jt]sx?|vue|svelte|astro|ya?ml|toml)$|(?:^|[\\/])(?:package|[\w.-]*config[\w.-]*|nodemon|vercel|serverless)\.json$/;

/** Code that loads modules by listing a folder rather than naming each one. */
const LOADS_BY_FOLDER =
  /\bautoload\b|\breaddir(?:Sync)?\s*\(|\bglob(?:Sync)?\s*\(|\brequire\.context\b|import\.meta\.glob/;

/**
 * Whether `file` is a module in a folder of loaded modules (plugins, middleware, lib, config) that
 * exports a value and that no other file of its project names (by its file name, in an import, a
 * require or a config), while nothing there loads modules by listing folders. False whenever the
 * project cannot be listed whole.
 */
export function unloadedModule(file: string, text: string, reader: SourceReader): boolean {
  const stem = path.basename(file).replace(/\.[cm]?[jt]sx?$/, '');
  if (stem === 'index' || !LOADED_FOLDER.test(file)) return false;
  if (!/\bmodule\.exports\b|\bexports\.|^[ \t]*export\b/m.test(text)) return false;
  const names = namesOf(stem);
  return nothingElseMentions(file, reader, {
    question: 'module',
    mayName: (f) => MAY_NAME.test(f),
    mentions: (written) => names(written) || LOADS_BY_FOLDER.test(written),
  });
}

/**
 * Whether a text names the module `stem` (a file name, so also a package's: `plugins/cors.js`
 * beside the `cors` package): a mention of the word that is not a package's own (`require('cors')`,
 * `from 'cors'`, `@fastify/cors`, a package.json key `"cors":`).
 */
function namesOf(stem: string): (text: string) => boolean {
  const word = escapeRegex(stem);
  const mention = new RegExp(`(?<![\\w$-])${word}(?![\\w$-])`, 'g');
  const packageName = new RegExp(
    String.raw`(?:\brequire\s*\(\s*|\bfrom\s*|\bimport\s*\(\s*)['"\`]${word}['"\`]|@[\w.-]+\/${word}['"\`]|['"]${word}['"]\s*:`,
    'g',
  );
  return (text) => {
    const mentions = [...text.matchAll(mention)].length;
    return mentions > 0 && mentions > [...text.matchAll(packageName)].length;
  };
}
