/**
 * The frontend project a file belongs to: the nearest folder above it with a `package.json` or a
 * `vite.config.*`, its `.env*` values (both load orders) and its Vite dev server. Cached per
 * folder; a change to any of those files drops the cache.
 */
import path from 'node:path';
import { grammarFor } from '../parsing/languages';
import type { SourceReader } from '../base/source-reader';
import { insideProject, projectOf } from '../base/project-root';
import { parseText } from '../parsing/parser';
import { isEnvFile, loadNodeEnv, loadViteEnv, type EnvMap, type FrontendMode } from './env-files';
import { packageDevOrigin } from './frontend-dev-server';
import { readViteConfig, VITE_CONFIG_NAMES, type ViteDevServer } from './vite-config';
import { devProxies, productionOrigins, type DevProxy } from './dev-proxy';

export interface FrontendProject {
  /** The project folder (undefined: none found, so no `.env` applies). */
  root: string | undefined;
  /** Which build the env files and mode constants are read for. */
  mode: FrontendMode;
  viteEnv: EnvMap;
  nodeEnv: EnvMap;
  vite?: ViteDevServer;
  /** What the dev server forwards to other servers (same-origin for the page in development). */
  proxies: DevProxy[];
  /** The origins the production frontend is served from (read in production mode only). */
  productionOrigins: string[];
  /** Its pages' origin in development (Vite's config, else `package.json`'s tool and port). */
  devOrigin?: string;
}

/** How far up from a file the project folder is looked for. */
const MAX_LEVELS = 12;

const none = (mode: FrontendMode): FrontendProject => ({
  root: undefined,
  mode,
  viteEnv: new Map(),
  nodeEnv: new Map(),
  proxies: [],
  productionOrigins: [],
});

/** Whether editing a file changes what the frontend files of its folder resolve to. */
export const isProjectFile = (file: string): boolean =>
  isEnvFile(file) ||
  /^(?:package|vercel)\.json$|^netlify\.toml$|^(?:next|webpack)\.config\.[cm]?[jt]s$/.test(
    path.basename(file),
  ) ||
  VITE_CONFIG_NAMES.includes(path.basename(file));

export class FrontendProjects {
  private readonly byRoot = new Map<string, Promise<FrontendProject>>();
  private readonly rootOf = new Map<string, string | undefined>();

  constructor(private readonly reader: SourceReader) {}

  /** The project of a frontend file, as its dev server (or its production build) sees it. */
  of(file: string, mode: FrontendMode = 'development'): Promise<FrontendProject> {
    // Never above the file's project on disk (its .git, pyproject.toml...): a Python project's
    // file must not pick up a package.json in the home folder. Without a marker on disk (open
    // documents only), the walk is bounded by its levels alone.
    const onDisk = projectOf(file);
    const root = this.findRoot(path.dirname(file), onDisk.marked ? onDisk.root : undefined);
    if (!root) return Promise.resolve(none(mode));
    let project = this.byRoot.get(`${mode}:${root}`);
    if (!project) {
      project = this.load(root, mode);
      this.byRoot.set(`${mode}:${root}`, project);
    }
    return project;
  }

  /** Forgets everything when `file` is a project file (a new package.json can move a root). */
  invalidate(file: string): boolean {
    if (!isProjectFile(file)) return false;
    this.byRoot.clear();
    this.rootOf.clear();
    return true;
  }

  /** The nearest folder with a package.json or vite config, from `dir` up to the file's project `ceiling`. */
  private findRoot(dir: string, ceiling: string | undefined): string | undefined {
    if (this.rootOf.has(dir)) return this.rootOf.get(dir);
    let found: string | undefined;
    let current = dir;
    for (let level = 0; level < MAX_LEVELS && !found; level++) {
      if (
        ceiling !== undefined &&
        current !== ceiling &&
        !insideProject(ceiling, path.join(current, 'package.json'))
      )
        break;
      if (
        ['package.json', ...VITE_CONFIG_NAMES].some(
          (name) => this.reader.read(path.join(current, name)) !== undefined,
        )
      )
        found = current;
      const parent = path.dirname(current);
      if (parent === current || current === ceiling) break;
      current = parent;
    }
    this.rootOf.set(dir, found);
    return found;
  }

  private async load(root: string, mode: FrontendMode): Promise<FrontendProject> {
    const project: FrontendProject = {
      root,
      mode,
      viteEnv: loadViteEnv(root, this.reader, mode),
      nodeEnv: loadNodeEnv(root, this.reader, mode),
      proxies: [],
      productionOrigins: [],
    };
    for (const name of VITE_CONFIG_NAMES) {
      const file = path.join(root, name);
      const text = this.reader.read(file);
      const grammar = grammarFor(file);
      if (text === undefined || !grammar) continue;
      const tree = await parseText(grammar, text);
      try {
        project.vite = readViteConfig(file, tree.root);
      } finally {
        tree.delete();
      }
      break;
    }
    project.proxies = devProxies(root, this.reader, project.vite);
    if (mode === 'production')
      project.productionOrigins = productionOrigins(
        root,
        this.reader,
        new Map([...project.nodeEnv, ...project.viteEnv]),
      );
    const devOrigin =
      project.vite?.origin ??
      packageDevOrigin(this.reader.read(path.join(root, 'package.json')), project.nodeEnv);
    if (devOrigin) project.devOrigin = devOrigin;
    return project;
  }
}
