import type { SourceTree } from '../parsing/source-tree';
import type { Policy } from '../policy/types';
import { extractDjango } from './django';
import { extractStarlette } from './starlette';
import { extractExpress } from './express';
import { extractFlaskCors } from './flask-cors';
import { extractPythonHandset } from './python-handset';
import { extractNextjs } from './nextjs';
import { extractNodeHandset } from './node-handset';
import { extractRackCors } from './rack-cors';
import { extractNginx } from './nginx';
import type { SourceReader } from './source-reader';

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
