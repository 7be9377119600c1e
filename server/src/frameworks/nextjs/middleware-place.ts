/**
 * Where Next.js loads a middleware from, as next/dist/build/index.js (Next 16.4) finds it: in the
 * folder above the `app` or `pages` folder (`rootDir`: the project root, or `src/` when the app
 * lives in `src/app` or `src/pages`; `./app` wins over `./src/app`), the file `middleware.<ext>`
 * or, from Next 16, `proxy.<ext>` directly in it. Next 12.2 to 15 read `middleware.<ext>` at the
 * same place. Any other file that exports a `middleware()` never runs, unless that file imports
 * it. Checked by hand against the real Next 16.4.6 (`next build --webpack`, `next start`) on
 * 2026-12-04: in an app with `src/app`, `src/app/middleware/cors.js`, `src/lib/middleware.js` and
 * a root `middleware.js` added none of their headers to a route's answer (and the build listed no
 * middleware), while the same function in `src/middleware.js` did. The truth suite
 * (test/truth/nextjs.test.ts) covers a loaded root `middleware.js` beside a root `app/`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { projectOf } from '../../base/project-root';
import type { SourceReader } from '../../base/source-reader';

/** The middleware file names Next loads (the page extensions, and the module forms the bundler reads). */
const LOADED_NAME = /^(?:middleware|proxy)\.[mc]?[jt]sx?$/;
const EXTENSIONS = ['ts', 'js', 'tsx', 'jsx', 'mts', 'mjs', 'cts', 'cjs'];

/** Whether a folder holds an `app` or `pages` folder. */
const holdsApp = (dir: string): boolean =>
  ['app', 'pages'].some((f) => existsSync(path.join(dir, f)));

/**
 * The folder Next loads the middleware of `file`'s app from: the parent of the `app` or `pages`
 * folder the file lies in, else, going upward inside the file's project, the first folder that
 * holds one (or whose `src/` does: then `src/`). Undefined when neither says (no Next layout to
 * judge by).
 */
export function nextRootDir(file: string): string | undefined {
  const project = projectOf(file);
  let child: string | undefined;
  for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
    if (child === 'app' || child === 'pages') return dir;
    // Disk is asked only inside a marked project: an unmarked one's folders are anybody's.
    if (project.marked && holdsApp(dir)) return dir;
    if (project.marked && holdsApp(path.join(dir, 'src'))) return path.join(dir, 'src');
    if ((project.marked && dir === project.root) || path.dirname(dir) === dir) return undefined;
    child = path.basename(dir);
  }
}

/** The module specifiers a file imports, re-exports or requires. */
function specifiers(text: string): string[] {
  const found = text.matchAll(
    /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)(['"])([^'"\n]+)\1/g,
  );
  return [...found].map((m) => m[2]);
}

/** Whether `spec`, imported by `importer`, names `file` (relative, or `@/`/`~/` from the app's root). */
function names(spec: string, importer: string, file: string, rootDir: string): boolean {
  const bases = spec.startsWith('.')
    ? [path.resolve(path.dirname(importer), spec)]
    : /^[@~]\//.test(spec)
      ? [rootDir, path.dirname(rootDir)].map((dir) => path.join(dir, spec.slice(2)))
      : [];
  const target = path.resolve(file);
  const stem = target.replace(/\.[mc]?[jt]sx?$/, '');
  const folder = /^index\./.test(path.basename(target)) ? path.dirname(target) : undefined;
  return bases.some((b) => {
    const plain = b.replace(/\.[mc]?[jt]sx?$/, '');
    return b === target || plain === stem || b === folder;
  });
}

/**
 * Where a file that exports a middleware should live to run, when Next never loads it (it is
 * not the loaded file at `rootDir`, and no loaded file there imports it); undefined when it
 * runs or the layout does not say.
 */
export function unloadedMiddleware(
  file: string,
  reader: SourceReader,
): { rootDir: string } | undefined {
  const rootDir = nextRootDir(file);
  if (!rootDir) return undefined;
  if (path.dirname(path.resolve(file)) === rootDir && LOADED_NAME.test(path.basename(file)))
    return undefined;
  for (const name of ['middleware', 'proxy'])
    for (const ext of EXTENSIONS) {
      const loaded = path.join(rootDir, `${name}.${ext}`);
      const text = reader.read(loaded);
      if (text !== undefined && specifiers(text).some((s) => names(s, loaded, file, rootDir)))
        return undefined;
    }
  return { rootDir };
}
