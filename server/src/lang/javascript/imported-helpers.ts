/**
 * The helpers a fetch-API handler's module imports from the project (`corsHeaders(req)` from
 * `@/lib/cors`, a `corsHeaders` constant), opened so the response reader can follow them.
 */
import type { SourceReader } from '../../base/source-reader';
import type { SourceTree } from '../../parsing/source-tree';
import { JsEvaluator, unwrap } from './evaluate';
import { type OpenedExport, openImported } from './options-object';
import type { ImportedHelper } from './web-response';

/** At most this many imported helpers are read per route: a handler calls one or two. */
const MAX_HELPERS = 6;
/** How far helpers are followed: a handler's helper may take its headers from a third module. */
const MAX_DEPTH = 2;

/** A helper named for what CORS needs (`corsHeaders`, `handleOptions`, `withHeaders`). */
const CORS_NAME = /cors|header|option|preflight|origin/i;

/**
 * The names a module may take CORS headers from another module under: functions it calls
 * (`corsHeaders(req)`, `optionResponse()`) and names it gives as `headers` or spreads.
 */
function helperNames(js: JsEvaluator, root: SourceTree['root']): Set<string> {
  const names = new Set<string>();
  const add = (node: { type: string; text: string } | null | undefined) => {
    if (node?.type === 'identifier' && !js.declaration(node.text)) names.add(node.text);
  };
  for (const call of root.descendantsOfType('call_expression'))
    add(call?.childForFieldName('function'));
  for (const pair of root.descendantsOfType('pair'))
    if (pair?.childForFieldName('key')?.text.replace(/['"]/g, '') === 'headers')
      add(pair.childForFieldName('value'));
  for (const short of root.descendantsOfType('shorthand_property_identifier'))
    if (short?.text === 'headers') add(short);
  for (const spread of root.descendantsOfType('spread_element')) add(spread?.namedChildren[0]);
  return names;
}

/**
 * What a handler's module takes from other modules of the project (`corsHeaders(req)` from `@/lib/cors`, a
 * `corsHeaders` constant a response helper spreads), opened for reading and followed through the
 * helpers' own imports; the caller deletes their trees.
 */
async function importedHelpers(
  file: string,
  root: SourceTree['root'],
  reader: SourceReader,
  appRoot: string,
  out = new Map<string, OpenedExport>(),
  depth = 0,
): Promise<Map<string, OpenedExport>> {
  const js = new JsEvaluator(file, root);
  // Names that say CORS or headers first: a handler calls many helpers (a Supabase function's
  // Stripe, email and crypto helpers before `getCorsHeaders`: Kaliadziuk's stripe-webhook,
  // held-out batch 50, silent once six others were opened).
  const names = [...helperNames(js, root)].sort(
    (a, b) => Number(CORS_NAME.test(b)) - Number(CORS_NAME.test(a)),
  );
  for (const name of names) {
    if (out.size >= MAX_HELPERS) break;
    if (out.has(name)) continue;
    const opened = await openImported(file, root, name, reader, appRoot);
    if (!opened) continue;
    const node = opened.js.resolveNode(opened.node);
    const kind = unwrap(node).type;
    if (!/function|arrow_function|object|call_expression|new_expression/.test(kind)) {
      opened.tree.delete();
      continue;
    }
    out.set(name, { ...opened, node });
    let program = node;
    while (program.parent) program = program.parent;
    if (depth + 1 < MAX_DEPTH)
      await importedHelpers(opened.file, program, reader, appRoot, out, depth + 1);
  }
  return out;
}

/**
 * Runs `read` with the helpers a module imports (see `importedHelpers`), then closes them; also
 * says which files they came from (editing one re-checks the module).
 */
export async function withImportedHelpers<T>(
  file: string,
  root: SourceTree['root'],
  reader: SourceReader,
  appRoot: string,
  read: (helpers: ReadonlyMap<string, ImportedHelper>) => T,
): Promise<{ value: T; files: string[] }> {
  const helpers = await importedHelpers(file, root, reader, appRoot);
  try {
    const value = read(
      new Map([...helpers].map(([name, h]) => [name, { js: h.js, file: h.file, fn: h.node }])),
    );
    return { value, files: [...new Set([...helpers.values()].map((h) => h.file))] };
  } finally {
    for (const helper of helpers.values()) helper.tree.delete();
  }
}
