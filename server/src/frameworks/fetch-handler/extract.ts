/**
 * The fetch-handler extractor: one policy per fetch handler a module hands to its platform
 * (`entries.ts`), from the responses it returns (`lang/javascript/web-response.ts`, helpers
 * imported from the project followed).
 */
import path from 'node:path';
import type { SourceReader } from '../../base/source-reader';
import type { SourceTree } from '../../parsing/source-tree';
import type { Policy } from '../../policy/types';
import { functionHead, JsEvaluator } from '../../lang/javascript/evaluate';
import { handSetPolicy } from '../../lang/javascript/response-policy';
import { withImportedHelpers } from '../../lang/javascript/imported-helpers';
import { HandlerReader } from '../../lang/javascript/web-response';
import { answersOf, corsPath } from './answers';
import { fetchEntries } from './entries';
import type { FetchHandlerFacts } from './facts';

/** The words that can start a fetch handler's entry (the cheap test before parsing for one). */
const ENTRY_WORDS = /\bfetch\b|\bserve\b/;

/** The words of a function up to its body (`async fetch(request, env)`): where findings about it go. */
export async function extractFetchHandler(
  file: string,
  text: string,
  tree: SourceTree,
  reader: SourceReader,
): Promise<Policy[]> {
  if (!ENTRY_WORDS.test(text)) return [];
  const js = new JsEvaluator(file, tree.root);
  const entries = fetchEntries(js, tree.root);
  if (entries.length === 0) return [];
  const { value: reads, files } = await withImportedHelpers(
    file,
    tree.root,
    reader,
    path.dirname(file),
    (helpers) => {
      const handlers = new HandlerReader(js, file, helpers, true);
      return entries.map((entry) => ({ entry, result: handlers.read(entry.fn) }));
    },
  );
  const policies: Policy[] = [];
  for (const { entry, result } of reads) {
    const at = functionHead(file, entry.fn);
    const { answers, partial } = answersOf(result, at);
    const facts: FetchHandlerFacts = { runtime: entry.runtime, answers };
    const lines = answers.flatMap((a) => a.routes.flatMap((r) => r.response.headers));
    const policy: Policy = {
      framework: 'fetch-handler',
      file,
      files: [...files, file],
      at,
      ...handSetPolicy(lines, null, partial),
      facts,
    };
    // A missing Vary belongs at the line that picks the origin per request.
    const perRequest = lines.find(
      (h) => h.name.toLowerCase() === 'access-control-allow-origin' && h.value.kind !== 'literal',
    );
    if (perRequest) policy.varyAt = perRequest.span;
    const samplePath = corsPath(answers);
    if (samplePath) policy.samplePath = samplePath;
    if (policy.configured) policies.push(policy);
  }
  return policies;
}
