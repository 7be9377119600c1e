import type { Tree } from 'web-tree-sitter';
import type { Policy } from '../policy/types';
import { extractDjango } from './django';
import type { SourceReader } from './source-reader';

/** The CORS policy a file configures, from whichever framework's extractor recognises it. */
export async function extractPolicy(file: string, text: string, tree: Tree, reader: SourceReader): Promise<Policy | null> {
  if (file.endsWith('.py')) return extractDjango(file, text, tree, reader);
  return null;
}
