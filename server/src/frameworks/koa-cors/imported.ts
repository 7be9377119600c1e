/**
 * A hand-written Koa CORS middleware exported by one module (`lib/cors.js`:
 * `module.exports = (ctx, next) => { ctx.set('Access-Control-Allow-Origin', ...) }`) and mounted
 * in another (`app.use(cors)`, `app.use(setCors())`). The mounting module gets the policy with the
 * middleware's own spans, so its findings stay in the module that writes the headers.
 */
import type { Node } from 'web-tree-sitter';
import type { SourceReader } from '../../base/source-reader';
import { type JsEvaluator, spanOf, unwrap } from '../../lang/javascript/evaluate';
import { memberCalls } from '../../lang/javascript/member-calls';
import { withImported } from '../../lang/javascript/options-object';
import type { Span } from '../../policy/types';
import { type KoaHandset, koaHandsets } from './handset';

/** One imported middleware as mounted here: what it sets (plain data) and where it is mounted. */
export interface MountedHandset {
  file: string;
  at: Span;
  handset: Omit<KoaHandset, 'fn'>;
}

/**
 * The CORS middleware other modules export that this Koa module mounts with `X.use(name)` or
 * `X.use(name())`. Only names that say CORS are followed, so routers and other middleware cost
 * no reads.
 */
export async function mountedHandsets(
  js: JsEvaluator,
  root: Node,
  text: string,
  reader: SourceReader,
): Promise<MountedHandset[]> {
  const out: MountedHandset[] = [];
  const seen = new Set<string>();
  for (const call of memberCalls(root, text, ['use'])) {
    const arg = call
      .childForFieldName('arguments')
      ?.namedChildren.find((a) => a?.type !== 'comment');
    if (!arg) continue;
    const inner = unwrap(arg);
    const named = inner.type === 'call_expression' ? inner.childForFieldName('function') : inner;
    if (named?.type !== 'identifier' || !/cors/i.test(named.text) || seen.has(named.text)) continue;
    seen.add(named.text);
    const bound = js.declaration(named.text);
    if (bound && bound.childForFieldName('function')?.text !== 'require') continue;
    const imported = await withImported(js.file, root, named.text, reader, (other, node) => {
      const exported = other.resolveNode(node);
      const found = koaHandsets(other, exported.tree.rootNode, exported.tree.rootNode.text).find(
        (h) => h.fn.startIndex >= exported.startIndex && h.fn.endIndex <= exported.endIndex,
      );
      if (!found) return undefined;
      const { fn: _fn, ...plain } = found;
      return plain;
    });
    if (imported?.result)
      out.push({ file: imported.file, at: spanOf(js.file, call), handset: imported.result });
  }
  return out;
}
