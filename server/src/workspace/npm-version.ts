/**
 * The major version of an npm package a file's project runs, for what differs between majors
 * (Express 4's `'*'` path matches every path, Express 5's throws at start-up; @fastify/cors before
 * 11 allows every usual method by default, 11 only `GET,HEAD,POST`). The nearest `package.json`
 * above the file says which range it asks for (`"express": "^4.18.2"` → 4, `"5.x"` → 5,
 * `"latest"`, a URL or no entry → unknown); the lockfile at or above that folder says what was
 * installed, and wins: `package-lock.json` /
 * `npm-shrinkwrap.json` (v1 `dependencies.express`, v2/v3 `packages["node_modules/express"]`, a
 * workspace's own `packages["<dir>/node_modules/express"]` first), `yarn.lock` (classic and Berry)
 * and `pnpm-lock.yaml` (v5 to v9). A lockfile that resolves the package to several majors answers
 * with the entries for the package.json's range; when that does not settle it, the range does.
 * Files the reader does not give (missing, over its size limit) count as absent.
 */
import path from 'node:path';
import { globMatch } from '../base/glob';
import { perText } from '../base/per-text';

/** What a project says of a package's major. */
export interface PackageVersion {
  /** The major (4, 5); undefined when neither the lockfile nor package.json names one. */
  major?: number;
  /** The file that said so (the lockfile, else package.json), for the message. */
  file?: string;
  /** What it said: the resolved version (`4.21.2`) or the range (`^4.18.2`). */
  says?: string;
}

/** A file's text, or undefined (or '') when it is missing. */
export type ReadText = (file: string) => string | undefined;

/** Lockfiles in the order they are consulted when a folder holds more than one. */
const LOCKFILES = ['package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'yarn.lock'];

/** One resolution of the package in a lockfile: the ranges it answers (when the format says) and the version. */
interface Resolution {
  ranges: string[];
  version: string;
}

/** The major of package `name` in the project holding `file`. */
export function packageVersion(file: string, name: string, read: ReadText): PackageVersion {
  const project = declaringManifest(path.dirname(file), name, read);
  if (!project) return {};
  const range = declaredRange(project.manifest, name);
  const locked = lockedVersion(project.dir, name, range, read);
  if (locked) return locked;
  const major = majorOf(range, name);
  return major === undefined
    ? {}
    : { major, file: path.join(project.dir, 'package.json'), says: range };
}

/**
 * The packages of `names` that the project holding `file` declares (its nearest package.json, or
 * the workspace root's that declares them); undefined when no package.json is above it.
 */
export function declaredPackages(
  file: string,
  names: readonly string[],
  read: ReadText,
): string[] | undefined {
  let manifest = false;
  const found = names.filter((name) => {
    const project = declaringManifest(path.dirname(file), name, read);
    if (project) manifest = true;
    return !!project && declaredRange(project.manifest, name) !== undefined;
  });
  return manifest ? found : undefined;
}

/**
 * The folder of the nearest package.json at or above `dir`, with its parsed text; when it does
 * not declare the package, the workspace root above it that does (a package.json with `workspaces`,
 * or beside a pnpm-workspace.yaml): Node resolves a workspace's packages from the root's.
 */
function declaringManifest(
  dir: string,
  name: string,
  read: ReadText,
): { dir: string; manifest: unknown } | undefined {
  let nearest: { dir: string; manifest: unknown } | undefined;
  for (; ; dir = path.dirname(dir)) {
    const text = read(path.join(dir, 'package.json'));
    if (text) {
      const found = { dir, manifest: parseJson(text) };
      if (!nearest) {
        nearest = found;
        if (declaredRange(found.manifest, name) !== undefined) return found;
      } else if (
        field(found.manifest, 'workspaces') !== undefined ||
        read(path.join(dir, 'pnpm-workspace.yaml')) !== undefined
      )
        return declaredRange(found.manifest, name) !== undefined ? found : nearest;
    }
    if (dir === path.dirname(dir)) return nearest;
  }
}

/** The range a package.json declares for `name` in any of its dependency lists. */
function declaredRange(manifest: unknown, name: string): string | undefined {
  for (const list of [
    'dependencies',
    'devDependencies',
    'peerDependencies',
    'optionalDependencies',
  ]) {
    const range = field(field(manifest, list), name);
    if (typeof range === 'string') return range;
  }
  return undefined;
}

/** The version the nearest lockfile at or above the project resolves, when it settles a major. */
function lockedVersion(
  projectDir: string,
  pkg: string,
  range: string | undefined,
  read: ReadText,
): PackageVersion | undefined {
  for (let dir = projectDir; ; dir = path.dirname(dir)) {
    for (const name of LOCKFILES) {
      const file = path.join(dir, name);
      const text = read(file);
      if (!text) continue;
      const relative = path.relative(dir, projectDir).split(path.sep).join('/');
      const lock = name.endsWith('.json') ? parseJson(text) : undefined;
      // A lockfile above the project is its own only when it lists the project as a workspace.
      if (
        relative &&
        !listsWorkspace(name, text, lock, relative, read(path.join(dir, 'package.json')))
      )
        return undefined;
      const resolutions = name.endsWith('.json')
        ? npmResolutions(lock, relative, pkg)
        : name === 'yarn.lock'
          ? (yarnResolutions(text).get(pkg) ?? [])
          : pnpmResolutions(text, relative, pkg);
      const version = settledVersion(resolutions, range);
      // The nearest lockfile is the one installs use, even when it does not settle the major.
      return version ? { major: majorOf(version, pkg), file, says: version } : undefined;
    }
    if (dir === path.dirname(dir)) return undefined;
  }
}

/**
 * Whether a lockfile in a folder above the project installs it as one of its workspaces: that
 * folder's package.json `workspaces` globs name it, or the lockfile has an entry for it.
 */
function listsWorkspace(
  name: string,
  text: string,
  lock: unknown,
  relative: string,
  rootManifest: string | undefined,
): boolean {
  const declared = rootManifest ? field(parseJson(rootManifest), 'workspaces') : undefined;
  const globs = Array.isArray(declared) ? declared : field(declared, 'packages');
  if (
    Array.isArray(globs) &&
    globs.some((g) => typeof g === 'string' && globMatch(g.replace(/^\.\//, ''), relative))
  )
    return true;
  if (name.endsWith('.json')) return field(field(lock, 'packages'), relative) !== undefined;
  if (name === 'yarn.lock') return text.includes(`@workspace:${relative}"`);
  return importerLines(text.split(/\r?\n/), relative).length > 0;
}

/**
 * The version the resolutions agree on: those answering the package.json's range when the format
 * records ranges, else all of them; undefined when their majors differ or there are none.
 */
function settledVersion(resolutions: Resolution[], range: string | undefined): string | undefined {
  const forRange = resolutions.filter((r) => range !== undefined && r.ranges.includes(range));
  const candidates = forRange.length ? forRange : resolutions;
  const majors = new Set(candidates.map((r) => majorOf(r.version)));
  return majors.size === 1 && !majors.has(undefined) ? candidates[0].version : undefined;
}

/**
 * npm's lockfile: v2/v3 `packages` keyed by install path (the workspace's own
 * `<dir>/node_modules/express` before the hoisted one), v1 the top-level `dependencies` tree.
 */
function npmResolutions(lock: unknown, relative: string, pkg: string): Resolution[] {
  const packages = field(lock, 'packages');
  const keys = relative
    ? [`${relative}/node_modules/${pkg}`, `node_modules/${pkg}`]
    : [`node_modules/${pkg}`];
  for (const key of keys) {
    const version = field(field(packages, key), 'version');
    if (typeof version === 'string') return [{ ranges: [], version }];
  }
  const v1 = field(field(field(lock, 'dependencies'), pkg), 'version');
  return typeof v1 === 'string' ? [{ ranges: [], version: v1 }] : [];
}

/**
 * yarn.lock entries by package: a header of descriptors (`express@^4.18.2, express@^4.17.1:` in
 * classic, `"express@npm:^4.18.2":` in Berry; `@fastify/cors@^8.5.0` scoped) and an indented
 * `version "4.18.2"` or `version: 4.18.2` line. Read once per text, every package at once.
 */
const yarnResolutions = perText((text: string): Map<string, Resolution[]> => {
  const out = new Map<string, Resolution[]>();
  let entry: { pkg: string; ranges: string[] } | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (/^\S/.test(line)) {
      const descriptors = line
        .replace(/:\s*$/, '')
        .split(/,\s*/)
        .map((d) => d.replace(/^"|"$/g, ''));
      // `name@range`: the name ends at the first `@` after its first character (scopes start with one).
      const at = descriptors[0]?.indexOf('@', 1) ?? -1;
      const pkg = at > 0 ? descriptors[0].slice(0, at) : '';
      const own = descriptors.filter((d) => d.startsWith(`${pkg}@`));
      entry = pkg
        ? { pkg, ranges: own.map((d) => d.slice(pkg.length + 1).replace(/^npm:/, '')) }
        : undefined;
      continue;
    }
    const version = entry && /^\s+version:?\s+"?([^"\s]+)"?\s*$/.exec(line)?.[1];
    if (entry && version) {
      out.set(entry.pkg, [...(out.get(entry.pkg) ?? []), { ranges: entry.ranges, version }]);
      entry = undefined;
    }
  }
  return out;
});

/**
 * pnpm-lock.yaml: the importer's entry for the package (`specifier:` + `version:` from v6, a bare
 * `express: 4.18.2` in v5; a scoped name quoted, `'@fastify/cors':`), and, when the importer is
 * not found, every package key of it (`/express/4.18.2:` in v5, `/express@4.18.2:` in v6,
 * `express@4.18.2:` in v9). Peer suffixes (`4.18.2(supports-color@8.1.1)`, `4.18.2_debug@4.3.4`)
 * are dropped.
 */
function pnpmResolutions(text: string, relative: string, pkg: string): Resolution[] {
  const lines = text.split(/\r?\n/);
  const importer = importerLines(lines, relative || '.');
  const fromImporter: Resolution[] = [];
  const name = pkg.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const importerEntry = new RegExp(`^(\\s+)(['"]?)${name}\\2:\\s*(\\S*)\\s*$`);
  const packageKey = new RegExp(`^\\s+['"]?\\/?${name}[@/](\\d[^:'"]*)['"]?:\\s*$`);
  for (let i = 0; i < importer.length; i++) {
    const entry = importerEntry.exec(importer[i]);
    // v5 lists the ranges apart (`specifiers:`); the versions are under the dependency lists.
    if (!entry || parentKey(importer, i) === 'specifiers') continue;
    if (entry[3]) {
      fromImporter.push({ ranges: [], version: cleanPnpmVersion(entry[3]) });
      continue;
    }
    const fields = new Map<string, string>();
    for (let j = i + 1; j < importer.length; j++) {
      const child = /^(\s+)(specifier|version):\s*(\S+)\s*$/.exec(importer[j]);
      if (!child || child[1].length <= entry[1].length) break;
      fields.set(child[2], unquote(child[3]));
    }
    const version = fields.get('version');
    if (version)
      fromImporter.push({
        ranges: [fields.get('specifier') ?? ''],
        version: cleanPnpmVersion(version),
      });
  }
  if (fromImporter.length) return fromImporter;
  const out: Resolution[] = [];
  for (const line of lines) {
    const key = packageKey.exec(line);
    if (key) out.push({ ranges: [], version: cleanPnpmVersion(key[1]) });
  }
  return out;
}

/** The key of the block holding line `i` (the nearest line above it that is indented less). */
function parentKey(lines: string[], i: number): string | undefined {
  const indent = /^\s*/.exec(lines[i])?.[0].length ?? 0;
  for (let j = i - 1; j >= 0; j--) {
    const key = /^(\s*)([^\s:]+):\s*$/.exec(lines[j]);
    if (key && key[1].length < indent) return key[2];
  }
  return undefined;
}

/**
 * The lines that belong to one project: the `importers.<dir>` block of a workspace lockfile, or
 * the top level of a single-project one (v5/v6 write `dependencies:` there, with no importers).
 */
function importerLines(lines: string[], relative: string): string[] {
  const start = lines.findIndex((l) => l === 'importers:');
  if (start < 0) {
    const packages = lines.findIndex((l) => l === 'packages:');
    return relative === '.' ? lines.slice(0, packages < 0 ? lines.length : packages) : [];
  }
  const header = lines.findIndex(
    (l, i) => i > start && /^ {2}\S/.test(l) && unquote(l.trim().replace(/:$/, '')) === relative,
  );
  if (header < 0) return [];
  const end = lines.findIndex((l, i) => i > header && /^( {2})?\S/.test(l));
  return lines.slice(header + 1, end < 0 ? lines.length : end);
}

const cleanPnpmVersion = (version: string): string => unquote(version).replace(/[(_].*$/, '');
const unquote = (text: string): string => text.replace(/^(['"])(.*)\1$/, '$2');

/**
 * The major a version or a range within one major names (`4.21.2`, `^4.18.2`, `~4`, `4.x`,
 * `npm:express@^4`, an alias of package `name`); undefined for `*`, `latest`, URLs and ranges
 * open to several majors (`>=4.17`, which installs the newest major, `4 || 5`).
 */
export function majorOf(version: string | undefined, name?: string): number | undefined {
  if (!version || /\|\||\s-\s|[<>]/.test(version)) return undefined;
  const alias = `npm:${name}@`;
  const bare =
    name && version.trim().startsWith(alias) ? version.trim().slice(alias.length) : version;
  const match = /^\s*[\^~=v]?\s*(\d+)(?:[.x*\s]|$)/.exec(bare);
  return match ? Number(match[1]) : undefined;
}

/** JSON text's value (undefined when it does not parse), parsed once per text: every policy asks. */
const parseJson = perText((text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
});

/** `value[key]` when `value` is an object. */
const field = (value: unknown, key: string): unknown =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
