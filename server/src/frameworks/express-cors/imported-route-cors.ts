/**
 * Route middleware another module builds with `cors(...)`: `app.get('/me', auth.priv, handler)`
 * where `auth = require('./auth')` exports `priv: [authenticate, cors(check)]`, directly or
 * through re-exports (`priv: resourceServer.priv`). Such a route sends the CORS headers on its
 * own answers (immers, held-out batch 32: `app.options('*', cors())` was read as the only CORS
 * of routes whose imported middleware lists run `cors(dynamicCorsFromToken)`).
 */
import type { Node } from 'web-tree-sitter';
import type { SourceReader } from '../../base/source-reader';
import { JsEvaluator, unwrap } from '../../lang/javascript/evaluate';
import { defaultImportNames } from '../../lang/javascript/modules';
import {
  exportedNode,
  importOf,
  type ModuleBinding,
  readModule,
} from '../../lang/javascript/options-object';
import { parseText } from '../../parsing/parser';

/** Modules followed from the route's file: a re-export counts as one. */
const MAX_HOPS = 3;
/**
 * Modules parsed per read of the route's file: every edit reads them again unless unchanged
 * (READ), so an app importing dozens of middleware modules costs a bounded number of parses.
 */
const MAX_PARSED = 8;
/** Modules over this size are not parsed (a bundle is not where middleware lists are written). */
const MAX_CHARS = 256 * 1024;

type Hop = Pick<ModuleBinding, 'spec' | 'exported'>;
type Verdict = 'cors' | Hop | undefined;

/** Each module's verdicts by exported name, kept while its text is unchanged. */
const READ = new Map<string, { text: string; verdicts: Map<string, Verdict> }>();
const MAX_CACHED = 512;

/** The module binding an imported handler names (`auth.priv`, or `priv` from `{ priv } = require(...)`). */
function hopOf(root: Node, node: Node): Hop | undefined {
  const inner = unwrap(node);
  if (inner.type === 'identifier') return importOf(root, inner.text);
  if (inner.type !== 'member_expression') return undefined;
  const object = inner.childForFieldName('object');
  const property = inner.childForFieldName('property')?.text;
  if (object?.type !== 'identifier' || !property) return undefined;
  const binding = importOf(root, object.text);
  return binding?.exported === 'default' ? { spec: binding.spec, exported: property } : undefined;
}

/** What an exported value is: middleware running `cors(...)`, another module's export, or neither. */
function classify(js: JsEvaluator, root: Node, exported: string): Verdict {
  const node = exportedNode(js, root, exported);
  if (!node) return undefined;
  const resolved = js.resolveNode(node);
  const items = resolved.type === 'array' ? resolved.namedChildren : [resolved];
  const corsNames = defaultImportNames(root, 'cors');
  let next: Hop | undefined;
  for (const item of items) {
    if (!item) continue;
    const value = js.resolveNode(item);
    const callee = value.type === 'call_expression' ? value.childForFieldName('function') : null;
    if (callee && corsNames.has(callee.text)) return 'cors';
    next ??= hopOf(root, item);
  }
  return next;
}

/**
 * The texts of this file's route handler arguments that are imported middleware running
 * `cors(...)`. Only names bound to relative modules are followed, each text once.
 */
export async function importedCorsHandlers(
  file: string,
  root: Node,
  handlers: Node[],
  reader: SourceReader,
): Promise<Set<string>> {
  if (READ.size > MAX_CACHED) READ.clear();
  const found = new Set<string>();
  const looked = new Set<string>();
  const opened = new Map<string, { js: JsEvaluator; root: Node; tree: { delete(): void } }>();
  let parsed = 0;
  /** The verdict on `hop` as seen from `from`, and the module file that gave it. */
  const verdict = async (from: string, hop: Hop) => {
    const read = readModule(from, hop.spec, reader);
    if (read) {
      const { file: candidate, grammar, text } = read;
      if (text.length > MAX_CHARS) return undefined;
      let entry = READ.get(candidate);
      if (entry?.text !== text) READ.set(candidate, (entry = { text, verdicts: new Map() }));
      if (entry.verdicts.has(hop.exported))
        return { file: candidate, verdict: entry.verdicts.get(hop.exported) };
      let module = opened.get(candidate);
      if (!module) {
        if (parsed >= MAX_PARSED) return undefined;
        parsed++;
        const tree = await parseText(grammar, text);
        module = { js: new JsEvaluator(candidate, tree.root), root: tree.root, tree };
        opened.set(candidate, module);
      }
      const result = classify(module.js, module.root, hop.exported);
      entry.verdicts.set(hop.exported, result);
      return { file: candidate, verdict: result };
    }
    return undefined;
  };
  try {
    for (const handler of handlers) {
      // Only a name can be imported: a handler's own code (maybe thousands of nested lines) is
      // never turned into text here.
      const inner = unwrap(handler);
      if (inner.type !== 'identifier' && inner.type !== 'member_expression') continue;
      const text = inner.text;
      if (looked.has(text)) continue;
      looked.add(text);
      let hop = hopOf(root, handler);
      for (let from = file, depth = 0; hop && depth < MAX_HOPS; depth++) {
        const read = await verdict(from, hop);
        if (read?.verdict === 'cors') found.add(text);
        hop = read && read.verdict !== 'cors' ? read.verdict : undefined;
        from = read?.file ?? from;
      }
    }
  } finally {
    for (const module of opened.values()) module.tree.delete();
  }
  return found;
}
