import type { Finding } from '../checks/types';

/** What identifies a finding across edits: its check, its message and the text it points at. */
const keyOf = (finding: Finding, text: string): string =>
  `${finding.check}\0${finding.message}\0${text.slice(finding.span.start, finding.span.end)}`;

/**
 * Keeps half-typed code from raising false alarms. While the tree has syntax errors (an
 * unterminated list swallows every statement after it) only findings that the last error-free
 * version of the document also had are reported; fresh ones wait until the code parses again.
 */
export class BrokenCodeGuard {
  private readonly clean = new Map<string, Set<string>>();

  filter(uri: string, text: string, findings: Finding[], hasSyntaxError: boolean): Finding[] {
    if (!hasSyntaxError) {
      this.clean.set(uri, new Set(findings.map((f) => keyOf(f, text))));
      return findings;
    }
    const known = this.clean.get(uri);
    return known ? findings.filter((f) => known.has(keyOf(f, text))) : [];
  }

  forget(uri: string): void {
    this.clean.delete(uri);
  }
}
