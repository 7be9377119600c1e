import path from 'node:path';
import { analyzeTree, type Analysis } from '../core/analyze';
import { defaultSettings, type CorsLensSettings } from '../core/settings';
import type { SourceReader } from '../extract/source-reader';
import { parseText } from '../parsing/parser';
import { grammarFor } from '../core/grammar';
import { readSource } from '../core/read-source';
import type { WorkspaceFacts } from '../workspace/types';

/**
 * Text every file that can yield a finding contains: a CORS library or setting, a hand-set
 * `Access-Control-*` header, or a frontend call checked against the workspace's backends. (A
 * settings module that only star-imports its CORS setup reports nothing itself: findings are
 * shown in the file that holds the line.)
 */
const CORS_TOKENS = /cors|access-control|fetch|axios|XMLHttpRequest/i;

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
  // Most files of a repository never mention CORS: no parse needed to know they report nothing.
  if (!CORS_TOKENS.test(source.text)) return { file: absolute, text: source.text, analysis: { policies: [], findings: [] }, syntaxError: false };
  const tree = await parseText(grammar, source.text);
  try {
    const analysis = await analyzeTree(absolute, source.text, tree, reader, settings, workspace);
    return { file: absolute, text: source.text, analysis, syntaxError: tree.rootNode.hasError };
  } finally {
    tree.delete();
  }
}
