import { grammarFor } from '../core/grammar';
import { parseText } from '../parsing/parser';
import { collectFrontendCalls } from './frontend-calls';
import type { FrontendCall, WorkspaceFacts } from './types';

/**
 * The workspace's cross-file facts, kept per file: the CLI fills it from the files it walks, the
 * LSP from the open folder and every edited document. Cheap to query; `update` parses one file.
 */
export class WorkspaceIndex {
  private readonly calls = new Map<string, FrontendCall[]>();

  /** Re-reads one file's facts from its current text (files of other languages are ignored). */
  async update(file: string, text: string): Promise<void> {
    const grammar = grammarFor(file);
    if (!grammar || !['javascript', 'typescript', 'tsx'].includes(grammar) || !/\b(?:fetch|axios)\b/.test(text)) {
      this.calls.delete(file);
      return;
    }
    const tree = await parseText(grammar, text);
    try {
      this.calls.set(file, collectFrontendCalls(file, tree));
    } finally {
      tree.delete();
    }
  }

  /** Whether a file holds frontend calls (its edits change other files' cross-file findings). */
  has(file: string): boolean {
    return (this.calls.get(file)?.length ?? 0) > 0;
  }

  remove(file: string): void {
    this.calls.delete(file);
  }

  /** Every file's facts, as checks read them. */
  facts(): WorkspaceFacts {
    return { calls: [...this.calls.values()].flat() };
  }
}
