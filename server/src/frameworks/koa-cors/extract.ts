/**
 * Koa: one policy per `@koa/cors` call (`app.use(cors({...}))`, options inline, from a module
 * `const` or another module), and one per hand-written middleware that sets
 * `Access-Control-*` headers on `ctx`, with the module's `@koa/router` routes.
 */
import type { Node } from 'web-tree-sitter';
import type { SourceReader } from '../../base/source-reader';
import { JsEvaluator, spanOf, unwrap } from '../../lang/javascript/evaluate';
import { defaultImportNames } from '../../lang/javascript/modules';
import { firstArgument, readOptionsArgument } from '../../lang/javascript/options-object';
import { routeCalls } from '../../lang/javascript/route-calls';
import type { SourceTree } from '../../parsing/source-tree';
import { factsOf, type Policy, type Span } from '../../policy/types';
import type { KoaRoute, KoaVariant } from './facts';
import { type KoaHandset, koaHandsets } from './handset';
import { mountedHandsets } from './imported';
import { readKoaOptions } from './options';

/** The package, and the ones read with a difference (see `KoaLibraryFacts.variant`). */
const MODULE = '@koa/cors';
const VARIANTS: readonly KoaVariant[] = ['kcors', 'koa2-cors'];

/** Routes of routers created with `new Router()` (@koa/router, koa-router). */
function routerRoutes(js: JsEvaluator, tree: SourceTree, text: string): KoaRoute[] {
  const isRouter = (name: string) => {
    const bound = js.declaration(name);
    return (
      !!bound &&
      unwrap(bound).type === 'new_expression' &&
      /Router$/.test(unwrap(bound).childForFieldName('constructor')?.text ?? '')
    );
  };
  return routeCalls(tree.root, text, js)
    .filter((r) => isRouter(r.receiver))
    .map((r) => ({ methods: r.methods, path: r.path }));
}

/** Whether every CORS header write of a middleware comes before its first `next()` call. */
function writesBeforeNext(fn: Node): boolean {
  const body = fn.text;
  const next = body.search(/\bnext\s*\(/);
  const writes = [...body.matchAll(/\.set\(\s*['"`]access-control-/gi)].map((m) => m.index);
  return next >= 0 && writes.length > 0 && writes.every((at) => at < next);
}

/** The Koa CORS policies of a module: `@koa/cors` calls and hand-written middleware. */
export async function extractKoa(
  file: string,
  text: string,
  tree: SourceTree,
  reader: SourceReader,
): Promise<Policy[]> {
  const library = text.includes(MODULE) || VARIANTS.some((v) => text.includes(v));
  const koaApp = /['"]koa['"]/.test(text) && /cors/i.test(text);
  if (!library && !koaApp && !/access-control-/i.test(text)) return [];
  const root = tree.root;
  const js = new JsEvaluator(file, root);
  // Routes only matter to a module that sets CORS up, and only @koa/router's.
  let cached: KoaRoute[] | undefined;
  const routesOf = () => (cached ??= /Router/.test(text) ? routerRoutes(js, tree, text) : []);
  const shared = {
    framework: 'koa-cors' as const,
    file,
    configured: true,
    urlRegex: null,
    allowPrivateNetwork: false,
  };
  const policies: Policy[] = [];
  // Each name the module imports a package as, with its variant (undefined: @koa/cors).
  const names = new Map<string, KoaVariant | undefined>();
  for (const variant of library ? [undefined, ...VARIANTS] : [])
    for (const name of defaultImportNames(root, variant ?? MODULE)) names.set(name, variant);
  // `new Cors(options)` too: @koa/cors exports a function, and `new` on it returns the middleware
  // it returns (Karl-jurvanen's Loans-Api, held-out batch 53: "cannot model").
  for (const call of names.size
    ? root.descendantsOfType(['call_expression', 'new_expression'])
    : []) {
    const callee =
      call?.childForFieldName(call.type === 'new_expression' ? 'constructor' : 'function')?.text ??
      '';
    if (!call || !names.has(callee)) continue;
    const arg = firstArgument(call);
    const callSpan = spanOf(file, call);
    const found = await readOptionsArgument(js, root, reader, arg, (js, entries, object) =>
      readKoaOptions(js, entries, object, callSpan, names.get(callee)),
    );
    if (!found) continue;
    const { read, files } = found;
    policies.push({
      ...shared,
      files,
      at: callSpan,
      ...read.policy,
      facts: { ...read.facts, routes: routesOf().length ? routesOf() : undefined },
    });
  }
  // A middleware setting headers by hand, written here or mounted from another module.
  const handsetPolicy = (handset: Omit<KoaHandset, 'fn'>, files: string[], at: Span): Policy => ({
    ...shared,
    files,
    at,
    handSet: true,
    ...handset.policy,
    varyAt: handset.varyAt ?? null,
    preflightAt: handset.preflightAt,
    facts: {
      kind: 'handset',
      steps: handset.steps,
      routes: routesOf().length ? routesOf() : undefined,
    },
  });
  // A library mounted later whose origin is a fixed value sets Access-Control-Allow-Origin
  // again on every request with an Origin: what a middleware wrote before calling `next()` never
  // reaches the browser (rap2-delos' hand-set `*` before `kcors()`, held-out batch 6).
  const overwritten = (fn: Node) =>
    writesBeforeNext(fn) &&
    policies.some((p) => {
      const facts = factsOf(p, 'koa-cors');
      return (
        facts?.kind === 'library' && facts.origin.kind === 'fixed' && p.at!.start > fn.endIndex
      );
    });
  for (const handset of koaHandsets(js, root, text))
    if (!overwritten(handset.fn))
      policies.push(handsetPolicy(handset, [file], spanOf(file, handset.fn)));
  for (const mounted of koaApp ? await mountedHandsets(js, root, text, reader) : [])
    policies.push(handsetPolicy(mounted.handset, [mounted.file, file], mounted.at));
  return policies;
}
