import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../../server/src/checks/types';
import { analyzeTree } from '../../server/src/analysis/analyze';
import { DiskReader } from '../../server/src/base/disk-reader';
import { defaultSettings, type CorsLensSettings } from '../../server/src/analysis/settings';
import { parseText } from '../../server/src/parsing/parser';

/**
 * What the core (run in-process, from source) finds in a text: the server must publish exactly
 * these, so the protocol tests need not copy the checks' wording (the check tests own that).
 */
export async function coreFindings(
  file: string,
  text: string,
  settings: Partial<CorsLensSettings> = {},
): Promise<Finding[]> {
  const tree = await parseText('python', text);
  try {
    return (
      await analyzeTree(file, text, tree, new DiskReader(), { ...defaultSettings, ...settings })
    ).findings;
  } finally {
    tree.delete();
  }
}

/** The diagnostic fields a finding must become: code, message and a UTF-16 range. */
export function expectedDiagnostic(finding: Finding, text: string) {
  const doc = TextDocument.create('file:///expected', 'python', 0, text);
  return {
    code: finding.check,
    message: finding.message,
    range: { start: doc.positionAt(finding.span.start), end: doc.positionAt(finding.span.end) },
  };
}
