import path from 'node:path';
import { analyzeTree, type Analysis } from '../core/analyze';
import { defaultSettings, type CorsLensSettings } from '../core/settings';
import type { SourceReader } from '../extract/source-reader';
import { parseText } from '../parsing/parser';
import { grammarFor } from '../core/grammar';
import { readSource } from '../core/read-source';
import type { WorkspaceFacts } from '../workspace/types';

/** One file's analysis, or why it was not analysed. */
export type FileResult =
  | { file: string; text: string; analysis: Analysis; syntaxError: boolean }
  | { file: string; problem: string };

/**
 * Reads, parses and checks one file from disk. `reader` gives the files its settings import (one
 * `DiskReader` per round caches them).
 */
export async function analyzeFile(
  file: string,
  reader: SourceReader,
  settings: CorsLensSettings = defaultSettings,
  workspace?: WorkspaceFacts,
): Promise<FileResult> {
  const absolute = path.resolve(file);
  const grammar = grammarFor(absolute);
  if (!grammar) return { file: absolute, problem: 'not a language CORS Lens analyses yet' };
  const source = readSource(absolute);
  if ('problem' in source) return { file: absolute, problem: source.problem };
  const tree = await parseText(grammar, source.text);
  try {
    const analysis = await analyzeTree(absolute, source.text, tree, reader, settings, workspace);
    return { file: absolute, text: source.text, analysis, syntaxError: tree.rootNode.hasError };
  } finally {
    tree.delete();
  }
}
