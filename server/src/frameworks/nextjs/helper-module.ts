/**
 * A module of a Next.js app that route handlers take their CORS headers from (`lib/cors.ts`
 * exporting a `corsHeaders` constant, `getCorsHeaders(req)`, or `corsResponse()`/`corsOptions()`
 * building the responses): the origins are written here, so here is where they are checked. The
 * routes that use it get the same headers through their own policy (extract.ts follows imports).
 */
import path from 'node:path';
import type { Node } from 'web-tree-sitter';
import type { SourceReader } from '../../base/source-reader';
import type { WebHeader } from '../../lang/javascript/response-shape';
import type { Span } from '../../policy/types';
import { type JsEvaluator, spanOf } from '../../lang/javascript/evaluate';
import { exportsOf } from '../../lang/javascript/exports';
import { PAGES_FUNCTION } from '../../lang/javascript/serverless-entry';
import { HandlerReader } from '../../lang/javascript/web-response';

/** Server frameworks whose own extractors read their helper modules (not a Next.js app). */
const OTHER_SERVERS = ['express', 'koa', 'fastify', 'hono', '@nestjs/core', '@hapi/hapi'];

/** The dependencies of the nearest package.json above `file`; undefined when there is none. */
function dependencies(file: string, reader: SourceReader): Set<string> | undefined {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const text = reader.read(path.join(dir, 'package.json'));
    if (text !== undefined) {
      try {
        const pkg = JSON.parse(text) as Record<string, Record<string, string> | undefined>;
        return new Set(
          ['dependencies', 'devDependencies'].flatMap((k) => Object.keys(pkg[k] ?? {})),
        );
      } catch {
        return new Set();
      }
    }
    if (dir === path.dirname(dir)) return undefined;
  }
}

/**
 * Whether the module belongs to a Next.js app: it imports `next/server`, or its project depends
 * on `next`; with no package.json above it, unless it reads the request the Node way.
 */
function inNextApp(file: string, text: string, reader: SourceReader): boolean {
  if (/['"]next\/server['"]/.test(text)) return true;
  // A Cloudflare Pages Function (`export const onRequestOptions: PagesFunction`) answers the
  // methods its export names, before the site's static files: not a helper every route takes
  // (creekmore.io's OPTIONS-only `functions/_middleware.ts`, held-out batch 33).
  if (PAGES_FUNCTION.test(text)) return false;
  const deps = dependencies(file, reader);
  if (deps) return deps.has('next') || !OTHER_SERVERS.some((d) => deps.has(d));
  return !/\b(?:res|response)\.(?:setHeader|header|set)\(/.test(text);
}

/** What the helper module hands out: the CORS headers of its first export that has them. */
export interface HelperHeaders {
  headers: WebHeader[];
  span: Span;
  partial: boolean;
}

/** The CORS headers a helper module exports (a constant, or what an exported function returns). */
export function readHelperModule(
  js: JsEvaluator,
  root: Node,
  text: string,
  reader: SourceReader,
): HelperHeaders | undefined {
  if (!/access-control-allow-origin/i.test(text) || !inNextApp(js.file, text, reader))
    return undefined;
  for (const { node } of exportsOf(js, root)) {
    const value = js.resolveNode(node);
    const read = new HandlerReader(js, js.file).valueOf(value, [{ kind: 'request' }]);
    const held = read.held;
    // `NextResponse.next()` is a middleware's answer: one outside middleware.ts never runs.
    const headers =
      held.kind === 'headers'
        ? held.headers
        : held.kind === 'response' && !held.next
          ? held.shape.headers
          : [];
    if (headers.some((h) => h.name.toLowerCase() === 'access-control-allow-origin'))
      return { headers, span: spanOf(js.file, value), partial: read.partial };
  }
  return undefined;
}
