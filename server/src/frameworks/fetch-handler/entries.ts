/**
 * Where a module hands its fetch handler to the platform: `export default { fetch(request) {} }`
 * (Cloudflare Workers' module syntax, also `fetch: handle`), `addEventListener('fetch', (event) =>
 * event.respondWith(handle(event.request)))` (the service-worker syntax older Workers use),
 * `Deno.serve(handler)` / `Deno.serve(options, handler)` (and `serve` of Deno's standard library),
 * `Bun.serve({ fetch(req) {} })` (and `serve` imported from `bun`). Only
 * statements at the module's top level are read: that is where the platform's entry is written.
 */
import type { Node } from 'web-tree-sitter';
import { type JsEvaluator, unwrap, argumentsOf } from '../../lang/javascript/evaluate';
import { isFunctionNode } from '../../lang/javascript/options-object';
import type { FetchRuntime } from './facts';

export interface FetchEntry {
  runtime: FetchRuntime;
  /** The handler function (its first parameter is the request). */
  fn: Node;
}

/** A function a value names: written in place, or a module-level function it names. */
function functionOf(js: JsEvaluator, value: Node | null | undefined): Node | undefined {
  if (!value) return undefined;
  const node = unwrap(value);
  if (isFunctionNode(node)) return node;
  if (node.type !== 'identifier') return undefined;
  const bound = js.declaration(node.text);
  return bound && isFunctionNode(unwrap(bound)) ? unwrap(bound) : undefined;
}

/** The value of property `name` of an object literal: a method, a pair's value or a shorthand. */
function propertyOf(js: JsEvaluator, object: Node, name: string): Node | undefined {
  for (const child of object.namedChildren) {
    if (!child) continue;
    if (child.type === 'method_definition' && child.childForFieldName('name')?.text === name)
      return child;
    if (child.type === 'pair' && child.childForFieldName('key')?.text.replace(/['"]/g, '') === name)
      return functionOf(js, child.childForFieldName('value'));
    if (child.type === 'shorthand_property_identifier' && child.text === name)
      return functionOf(js, child);
  }
  return undefined;
}

/** An object literal a value is, or names (`const worker = {...}; export default worker`). */
function objectOf(js: JsEvaluator, value: Node | null | undefined): Node | undefined {
  if (!value) return undefined;
  const node = unwrap(value);
  if (node.type === 'object') return node;
  const bound = node.type === 'identifier' ? js.declaration(node.text) : undefined;
  return bound && unwrap(bound).type === 'object' ? unwrap(bound) : undefined;
}

/** `event.respondWith(handle(event.request))` inside a `fetch` listener: `handle`. */
function respondWithHandler(js: JsEvaluator, listener: Node): Node | undefined {
  for (const call of listener.descendantsOfType('call_expression')) {
    const fn = call?.childForFieldName('function');
    if (
      fn?.type !== 'member_expression' ||
      fn.childForFieldName('property')?.text !== 'respondWith'
    )
      continue;
    const [answer] = argumentsOf(call!);
    const inner = answer && unwrap(answer);
    if (inner?.type === 'call_expression')
      return functionOf(js, inner.childForFieldName('function'));
  }
  return undefined;
}

/**
 * The runtime a bare `serve(...)` hands its handler to, by where the module imports `serve` from:
 * Deno's standard library (`https://deno.land/std@0.168.0/http/server.ts`, `jsr:@std/http`; the
 * Supabase Edge Functions template) or Bun.
 */
function importedServe(root: Node): 'Deno.serve' | 'Bun.serve' | undefined {
  for (const statement of root.namedChildren) {
    if (statement?.type !== 'import_statement') continue;
    const source = statement.childForFieldName('source')?.text.slice(1, -1) ?? '';
    if (!/\bserve\b/.test(statement.text)) continue;
    if (/deno\.land\/std@?[^/]*\/http\/|^(?:jsr|npm):@std\/http\b|^@std\/http\b/.test(source))
      return 'Deno.serve';
    if (source === 'bun') return 'Bun.serve';
  }
  return undefined;
}

/** The entry one top-level call writes, if it is one. */
function callEntry(
  js: JsEvaluator,
  call: Node,
  served: () => string | undefined,
): FetchEntry | undefined {
  const written = call.childForFieldName('function')?.text.replace(/\s+/g, '');
  const callee = written === 'serve' ? served() : written;
  const list = argumentsOf(call);
  if (callee === 'addEventListener' || callee === 'self.addEventListener') {
    const [event, listener] = list;
    const name = event && js.evaluate(event);
    if (name?.kind !== 'str' || name.value !== 'fetch' || !listener) return undefined;
    const fn = isFunctionNode(unwrap(listener))
      ? respondWithHandler(js, unwrap(listener))
      : undefined;
    return fn && { runtime: 'a service worker', fn };
  }
  if (callee === 'Deno.serve') {
    const fn =
      functionOf(js, list[list.length - 1]) ??
      list
        .map((a) => objectOf(js, a))
        .map((o) => o && propertyOf(js, o, 'handler'))
        .find((f) => !!f);
    return fn && { runtime: 'Deno.serve', fn };
  }
  if (callee === 'Bun.serve') {
    const options = objectOf(js, list[0]);
    const fn = options && propertyOf(js, options, 'fetch');
    return fn && { runtime: 'Bun.serve', fn };
  }
  return undefined;
}

/** The fetch handlers a module hands to its platform. */
export function fetchEntries(js: JsEvaluator, root: Node): FetchEntry[] {
  const out: FetchEntry[] = [];
  let serve: { runtime?: string } | undefined;
  const served = () => (serve ??= { runtime: importedServe(root) }).runtime;
  for (const statement of root.namedChildren) {
    if (!statement || statement.hasError) continue;
    if (
      statement.type === 'export_statement' &&
      statement.children.some((c) => c?.type === 'default')
    ) {
      const object = objectOf(js, statement.childForFieldName('value'));
      const fn = object && propertyOf(js, object, 'fetch');
      if (fn) out.push({ runtime: 'Cloudflare Workers', fn });
      continue;
    }
    const expr = statement.type === 'expression_statement' ? statement.namedChildren[0] : null;
    const call = expr && unwrap(expr);
    const entry = call?.type === 'call_expression' ? callEntry(js, call, served) : undefined;
    if (entry) out.push(entry);
  }
  return out;
}
