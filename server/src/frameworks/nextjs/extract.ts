/**
 * The Next.js extractor: one policy per route file (`app/**\/route.ts`, with the middleware and
 * `next.config` headers that apply to its path), per middleware/proxy file and per `next.config`
 * `headers()` entry that sets Access-Control-* headers.
 */
import { regexMatches } from '../../base/regex';
import path from 'node:path';
import type { SourceTree } from '../../parsing/source-tree';
import { grammarFor } from '../../parsing/languages';
import { parseText } from '../../parsing/parser';
import type { NextConfigEntry, NextjsFacts, NextMiddleware } from './facts';
import type { Policy } from '../../policy/types';
import type { SourceReader } from '../../base/source-reader';
import { isNextConfigFile, readConfig } from './config';
import { isMiddlewareFile, readMiddleware } from './middleware';
import { unloadedMiddleware } from './middleware-place';
import { exportedFunctions, readRoute } from './route';
import { routePathOf } from './paths';
import { routeRegex } from '../../lang/javascript/next-routes';
import { neutralPolicy } from './build-policy';
import { readHelperModule } from './helper-module';
import { NEXT_HTTP_METHODS } from './model';
import { functionHead, JsEvaluator } from '../../lang/javascript/evaluate';
import { withImportedHelpers } from '../../lang/javascript/imported-helpers';

const EXTENSIONS = ['ts', 'js', 'mjs', 'mts', 'cjs'];

/**
 * What `sibling` read of a file, kept while its text is the same (see `sibling`); a file is one
 * kind of sibling by its name (a config or a middleware), so its path is the key.
 */
const siblingReads = new Map<string, { text: string; read: unknown }>();
/** How many sibling files' reads are kept (a workspace has a few configs and middlewares). */
const MAX_SIBLING_READS = 64;

/**
 * Reads the first sibling file (config, middleware) that `accept`s, through `reader`, with
 * `read`; undefined when none. Every route of an app reads the same config and middleware: the
 * read is kept while the file's text is the same (one parse, not one per route: simstudioai/sim's
 * 1,163 routes parsed its 23 KB next.config.ts 1,163 times a run). `read` must return plain data.
 */
async function sibling<T>(
  reader: SourceReader,
  candidates: string[],
  read: (file: string, tree: SourceTree) => T,
  accept: (file: string) => boolean = () => true,
): Promise<{ file: string; read: T } | undefined> {
  for (const file of candidates) {
    const text = reader.read(file);
    const grammar = text === undefined ? undefined : grammarFor(file);
    if (text === undefined || !grammar || !accept(file)) continue;
    const kept = siblingReads.get(file);
    if (kept?.text === text) return { file, read: kept.read as T };
    const tree = await parseText(grammar, text);
    try {
      const value = read(file, tree);
      if (siblingReads.size >= MAX_SIBLING_READS) siblingReads.clear();
      siblingReads.set(file, { text, read: value });
      return { file, read: value };
    } finally {
      tree.delete();
    }
  }
  return undefined;
}

const covers = (regexes: string[], routePath: string) =>
  // A route with dynamic segments is checked through a sample path of it.
  regexes.length === 0 ||
  regexes.some((r) =>
    regexMatches(r, 'js', '', routePath.replace(/\[\[?\.{0,3}[^\]]+\]\]?/g, 'x')),
  );

async function extractRoute(
  file: string,
  tree: SourceTree,
  reader: SourceReader,
  route: { root: string; path: string },
): Promise<Policy[]> {
  const { value: own, files } = await withImportedHelpers(
    file,
    tree.root,
    reader,
    route.root,
    (helpers) => readRoute(file, tree, helpers),
  );
  let partial = own.partial;
  let config: NextConfigEntry[] = [];
  const configRead = await sibling(
    reader,
    EXTENSIONS.map((e) => path.join(route.root, `next.config.${e}`)),
    readConfig,
  );
  if (configRead) {
    config = configRead.read.entries.filter((e) => covers([e.regex], route.path));
    partial ||= configRead.read.partial;
  }
  let middleware: NextMiddleware | undefined;
  const middlewareRead = await sibling(
    reader,
    ['', 'src/'].flatMap((dir) =>
      ['middleware', 'proxy'].flatMap((name) =>
        EXTENSIONS.map((e) => path.join(route.root, `${dir}${name}.${e}`)),
      ),
    ),
    readMiddleware,
    // A root `middleware.ts` beside `src/app` is not the one Next loads.
    (f) => !unloadedMiddleware(f, reader),
  );
  const found = middlewareRead?.read.middleware;
  if (found && covers(found.matchers, route.path)) {
    middleware = found;
    partial ||= middlewareRead.read.partial;
  }
  if (configRead) files.push(configRead.file);
  if (middlewareRead) files.push(middlewareRead.file);
  files.push(file);
  const facts: NextjsFacts = {
    kind: 'route',
    routePath: route.path,
    handlers: own.handlers,
    middleware,
    config,
  };
  const at = { file, start: 0, end: 0 };
  const policy = neutralPolicy(
    file,
    files,
    facts,
    routeRegex(route.path),
    partial,
    own.handlers[0]?.span ?? at,
  );
  return policy.configured ? [policy] : [];
}

/** The folder Next.js serves files from as they are. */
const STATIC_FOLDER = /[\\/]public[\\/]/;

/** A Next.js middleware: the file name, and an import of `next/server` (Express apps have middleware.ts too). */
const isNextMiddleware = (file: string, text: string) =>
  isMiddlewareFile(file) && /['"]next\/server['"]/.test(text);

/** A module that imports `next/server` and exports a `middleware` or `proxy` function. */
const exportsMiddleware = (text: string, tree: SourceTree): boolean =>
  /['"]next\/server['"]/.test(text) &&
  ['middleware', 'proxy'].some((name) => exportedFunctions(tree.root).has(name));

/** The words of a function up to its body (`export function middleware(req)`): where a finding about it goes. */
/** The policy of a middleware file; one Next never loads is `inactive` and sends nothing. */
function middlewarePolicies(
  file: string,
  tree: SourceTree,
  unloaded: NextjsFacts['unloaded'],
): Policy[] {
  const read = readMiddleware(file, tree);
  if (!read.middleware) return [];
  const facts: NextjsFacts = {
    kind: 'middleware',
    handlers: [],
    middleware: read.middleware,
    config: [],
    unloaded,
  };
  const urlRegex =
    read.middleware.matchers.length === 1
      ? read.middleware.matchers[0]
      : read.middleware.matchers.length
        ? `(?:${read.middleware.matchers.map((m) => m.replace(/^\^/, '')).join('|')})`
        : null;
  const policy = neutralPolicy(file, [file], facts, urlRegex, read.partial, read.middleware.span);
  if (!policy.configured) return [];
  if (unloaded) {
    const exported = exportedFunctions(tree.root);
    const fn = exported.get('middleware') ?? exported.get('proxy') ?? exported.get('default');
    policy.inactive = {
      span: fn ? functionHead(file, fn) : read.middleware.span,
      label: 'a middleware Next.js never loads',
    };
  }
  return [policy];
}

/**
 * Whether this extractor owns a file (a route handler, a Next middleware, next.config), so that a
 * generic hand-set-headers extractor can leave it alone instead of reporting it twice.
 */
export const isNextjsFile = (file: string, text: string): boolean =>
  !!routePathOf(file) || isNextMiddleware(file, text) || isNextConfigFile(file);

/** The CORS policies a Next.js file sets up by hand. */
export async function extractNextjs(
  file: string,
  text: string,
  tree: SourceTree,
  reader: SourceReader,
): Promise<Policy[]> {
  const route = routePathOf(file);
  if (route) return extractRoute(file, tree, reader, route);
  // A file under `public/` is served as it is, never run: nexa-erp's archived copy of its
  // middleware there (held-out batch 36) was told to move over the real one.
  if (STATIC_FOLDER.test(file)) return [];
  const named = isNextMiddleware(file, text);
  // A `middleware()` anywhere else is Next's only if the loaded file imports it; when the
  // layout says Next never loads it, it is read to say so (and to tell what it meant to send).
  const unloaded =
    named || exportsMiddleware(text, tree) ? unloadedMiddleware(file, reader) : undefined;
  if (named || unloaded) return middlewarePolicies(file, tree, unloaded);
  if (isNextConfigFile(file)) {
    const read = readConfig(file, tree);
    return read.entries
      .filter((e) => e.headers.some((h) => /^access-control-/i.test(h.key)))
      .map((entry) =>
        neutralPolicy(
          file,
          [file],
          { kind: 'config', handlers: [], config: [entry] },
          entry.regex,
          read.partial,
          entry.span,
        ),
      );
  }
  const helper = readHelperModule(new JsEvaluator(file, tree.root), tree.root, text, reader);
  if (!helper) return [];
  // Every route using it answers each method, the preflight included, with these headers.
  const facts: NextjsFacts = {
    kind: 'helper',
    handlers: NEXT_HTTP_METHODS.filter((m) => m !== 'HEAD').map((method) => ({
      method,
      span: helper.span,
      response: {
        status: method === 'OPTIONS' ? 204 : 200,
        headers: helper.headers,
        body: method === 'OPTIONS' ? 'none' : 'json',
      },
    })),
    config: [],
  };
  const policy = neutralPolicy(file, [file], facts, null, helper.partial, helper.span);
  // A missing Vary belongs at the line that picks the origin per request, not the whole helper.
  const perRequest = helper.headers.find(
    (h) => h.name.toLowerCase() === 'access-control-allow-origin' && h.value.kind !== 'literal',
  );
  if (perRequest) policy.varyAt = perRequest.span;
  return policy.configured ? [policy] : [];
}
