import type { SourceTree } from '../parsing/source-tree';
import type { Policy } from '../policy/types';
import { extractDjango } from './django/extract';
import { extractStarlette } from './starlette/extract';
import { extractExpress } from './express-cors/extract';
import { extractFlaskCors } from './flask-cors/extract';
import { extractPythonHandset } from './python-handset/extract';
import { extractNextjs } from './nextjs/extract';
import { extractNodeHandset } from './node-handset/extract';
import { extractRackCors } from './rack-cors/extract';
import { extractNginx } from './nginx/extract';
import type { SourceReader } from '../base/source-reader';

/** One framework's extractor: the CORS policies a file sets up (none when it sets up none). */
export type Extractor = (file: string, text: string, tree: SourceTree, reader: SourceReader) => Promise<Policy[]>;

const single =
  (extract: (file: string, text: string, tree: SourceTree, reader: SourceReader) => Promise<Policy | null>): Extractor =>
  async (...args) => {
    const policy = await extract(...args);
    return policy ? [policy] : [];
  };

/** Extractors by the grammar that parses the file; every one of them runs. */
const extractors: Record<string, Extractor[]> = {
  python: [single(extractDjango), extractStarlette, extractFlaskCors, extractPythonHandset],
  javascript: [extractExpress, extractNextjs, extractNodeHandset],
  typescript: [extractExpress, extractNextjs, extractNodeHandset],
  tsx: [extractExpress, extractNextjs, extractNodeHandset],
  ruby: [extractRackCors],
  nginx: [extractNginx],
};

/** The CORS policies a file configures, from every extractor of its language. */
export async function extractPolicies(grammar: string, file: string, text: string, tree: SourceTree, reader: SourceReader): Promise<Policy[]> {
  const policies: Policy[] = [];
  for (const extract of extractors[grammar] ?? []) policies.push(...(await extract(file, text, tree, reader)));
  return policies;
}
