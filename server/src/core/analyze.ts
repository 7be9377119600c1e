import type { Tree } from 'web-tree-sitter';
import { checks } from '../checks';
import { docsUrl, type Finding } from '../checks/types';
import { extractPolicies } from '../extract';
import type { SourceReader } from '../extract/source-reader';
import type { Policy } from '../policy/types';
import { globMatch } from './glob';
import { grammarFor } from './grammar';
import type { WorkspaceFacts } from '../workspace/types';
import type { CorsLensSettings } from './settings';

export interface Analysis {
  /** The policies the file configures (none when it configures no CORS). */
  policies: Policy[];
  findings: Finding[];
}

/**
 * Runs every enabled check on one file. `tree` is the file's current tree (the LSP keeps it
 * incrementally); `reader` gives the text of other files the settings import (open documents
 * first, then disk).
 */
export async function analyzeTree(
  file: string,
  text: string,
  tree: Tree,
  reader: SourceReader,
  settings: CorsLensSettings,
  workspace?: WorkspaceFacts,
): Promise<Analysis> {
  if (!settings.enable) return { policies: [], findings: [] };
  const grammar = grammarFor(file);
  const policies = grammar ? await extractPolicies(grammar, file, text, tree, reader) : [];
  const production =
    settings.productionPatterns.some((p) => globMatch(p, file)) && !settings.devPatterns.some((p) => globMatch(p, file));
  const context = {
    allowedOrigins: settings.allowedOrigins,
    production,
    text: (f: string) => (f === file ? text : reader.read(f) ?? ''),
    workspace,
  };
  const findings: Finding[] = [];
  for (const check of checks) {
    const override = settings.severity[check.id];
    if (override === 'off') continue;
    for (const report of policies.flatMap((policy) => check.run(policy, context))) {
      // Findings in imported files are reported where they are, by the analysis of that file.
      if (report.span.file !== file) continue;
      findings.push({ check: check.id, docs: docsUrl(check.id), ...report, severity: override ?? report.severity ?? check.severity });
    }
  }
  findings.sort((a, b) => a.span.start - b.span.start || a.check.localeCompare(b.check));
  return { policies, findings };
}
