import type { GrammarId } from '../parsing/parser';

/** The grammar that parses a file, by its extension; undefined for languages not analysed yet. */
export function grammarFor(file: string): GrammarId | undefined {
  return /\.py$/i.test(file) ? 'python' : undefined;
}
