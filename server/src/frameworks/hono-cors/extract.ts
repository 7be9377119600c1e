/**
 * Hono: one policy per `hono/cors` `cors(...)` call, and one per hand-written `(c, next)`
 * middleware that writes `Access-Control-*` headers with `c.header`, each with the path of the
 * `app.use(path, ...)` that mounts it (directly, or around a per-request
 * `(c, next) => cors({...})(c, next)`) and the module's routes. Options are read inline, from a
 * module `const`, or from another module.
 */
import type { Node } from 'web-tree-sitter';
import type { SourceReader } from '../../base/source-reader';
import { JsEvaluator, spanOf, unwrap } from '../../lang/javascript/evaluate';
import { namedImportNames } from '../../lang/javascript/modules';
import { firstArgument, readOptionsArgument } from '../../lang/javascript/options-object';
import { type RoutePath, routeCalls, routePath } from '../../lang/javascript/route-calls';
import type { SourceTree } from '../../parsing/source-tree';
import { summaryFields } from '../../lang/handset-policy';
import type { Policy } from '../../policy/types';
import { honoHandsets } from './handset';
import { readHonoOptions } from './options';

/** The path of the nearest `recv.use(path, ...)` holding the call; `all` when it has none. */
function mountOf(js: JsEvaluator, call: Node): RoutePath {
  for (let node = call.parent; node; node = node.parent) {
    if (node.type !== 'call_expression') continue;
    const fn = node.childForFieldName('function');
    if (fn?.type !== 'member_expression' || fn.childForFieldName('property')?.text !== 'use')
      continue;
    const first = node
      .childForFieldName('arguments')
      ?.namedChildren.find((a) => a && a.type !== 'comment');
    const inner = first && unwrap(first);
    if (
      !inner ||
      ['string', 'template_string'].includes(inner.type) ||
      (inner.type === 'identifier' && js.evaluate(inner).kind === 'str')
    )
      return routePath(js, first ?? undefined);
    return { kind: 'all' };
  }
  return { kind: 'all' };
}

/** A RegExp (matched from the start) of the paths a mount covers; null for every path. */
function urlRegexOf(mount: RoutePath): string | null | 'dynamic' {
  if (mount.kind === 'all') return null;
  if (mount.kind === 'dynamic') return 'dynamic';
  const escape = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  const prefix = mount.value.endsWith('/*') ? mount.value.slice(0, -2) : undefined;
  if (prefix !== undefined) return `${escape(prefix).replace(/:\w+/g, '[^/]+')}(?:/|$)`;
  return `${escape(mount.value).replace(/:\w+/g, '[^/]+').replace(/\*/g, '.*')}$`;
}

/** A path `samplePath` can ask the model about, for a mount path. */
const sampleOf = (mount: RoutePath): string | undefined =>
  mount.kind === 'string'
    ? mount.value.replace(/\/\*$/, '/x').replace(/:\w+/g, 'x').replace(/\*/g, 'x')
    : undefined;

/** A module that imports Hono (`hono`, `hono/...`, a path into the package) and writes CORS headers by hand. */
const HANDSET = /\.header\(\s*['"`]access-control-/i;
const HONO_IMPORT = /['"](?:[^'"\n]*\/)?hono(?:\/[^'"\n]*)?['"]/;

/**
 * `hono/cors` as npm, Deno (`npm:`) and JSR (`@hono/hono/cors`, `jsr:@hono/hono/cors`) name it
 * (a Deno project's `@hono/hono`: held-out batch 29).
 */
const CORS_MODULES = ['hono/cors', 'npm:hono/cors', '@hono/hono/cors', 'jsr:@hono/hono/cors'];

/** The Hono policies of a module: `hono/cors` calls and hand-written middleware. */
export async function extractHono(
  file: string,
  text: string,
  tree: SourceTree,
  reader: SourceReader,
): Promise<Policy[]> {
  const library = text.includes('hono/cors');
  const handset = HANDSET.test(text) && HONO_IMPORT.test(text);
  if (!library && !handset) return [];
  const root = tree.root;
  const names = new Set(
    (library ? CORS_MODULES : []).flatMap((module) => [...namedImportNames(root, module, 'cors')]),
  );
  if (!names.size && !handset) return [];
  const js = new JsEvaluator(file, root);
  const routes = routeCalls(root, text, js).map((r) => ({ methods: r.methods, path: r.path }));
  const policies: Policy[] = [];
  for (const call of names.size ? root.descendantsOfType('call_expression') : []) {
    if (!call || !names.has(call.childForFieldName('function')?.text ?? '')) continue;
    const arg = firstArgument(call);
    const callSpan = spanOf(file, call);
    // `cors(corsOptions)` with the options exported by another module is read there.
    const found = await readOptionsArgument(js, root, reader, arg, (js, entries, object) =>
      readHonoOptions(js, entries, object, callSpan),
    );
    if (!found) continue;
    const { read, files } = found;
    const mount = mountOf(js, call);
    policies.push({
      framework: 'hono-cors',
      file,
      files,
      at: callSpan,
      configured: true,
      ...read.policy,
      urlRegex: urlRegexOf(mount),
      allowPrivateNetwork: false,
      samplePath: sampleOf(mount),
      facts: { ...read.facts, mount, routes: routes.length ? routes : undefined },
    });
  }
  for (const found of handset ? honoHandsets(js, root, text) : []) {
    const mount = mountOf(js, found.fn);
    const { summary } = found;
    policies.push({
      framework: 'hono-cors',
      file,
      files: [file],
      at: spanOf(file, found.fn),
      configured: true,
      handSet: true,
      ...summaryFields(summary),
      urlRegex: urlRegexOf(mount),
      allowPrivateNetwork: false,
      samplePath: sampleOf(mount),
      varyAt: summary.varyAt ?? null,
      unvariedAt: summary.unvariedAt,
      preflightAt: found.preflightAt,
      facts: {
        kind: 'handset',
        steps: found.steps,
        mount,
        routes: routes.length ? routes : undefined,
      },
    });
  }
  return policies;
}
