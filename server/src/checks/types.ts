import type { Policy, Span } from '../policy/types';
import type { WorkspaceFacts } from '../workspace/types';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** Replace [start, end) of `file` (UTF-16 offsets) with `newText`. */
export interface TextEdit {
  file: string;
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
}

/** What a check reports; `check` and `severity` are filled in by the runner. */
export interface Finding {
  check: string;
  severity: Severity;
  message: string;
  span: Span;
  docs: string;
  fix?: Fix;
  /** Other places the finding is about (a frontend call in another file), for LSP relatedInformation. */
  related?: { span: Span; message: string }[];
}

/** What a check sees besides the policy. */
export interface CheckContext {
  /** Origins the user wants fixes to use (`corsLens.allowedOrigins`). */
  allowedOrigins: string[];
  /** The file looks like production settings (by `corsLens.productionPatterns`). */
  production: boolean;
  /** The text of a file the policy came from (for fixes that keep its style). */
  text(file: string): string;
  /** Cross-file facts (frontend calls), when the front end indexed the workspace. */
  workspace?: WorkspaceFacts;
}

export type Report = Omit<Finding, 'check' | 'severity' | 'docs'> & { severity?: Severity };

/** One rule: its metadata and what it finds in a policy. */
export interface Check {
  id: string;
  /** Default severity; a report may raise or lower it (e.g. wildcard with credentials). */
  severity: Severity;
  /** One line for docs and the README. */
  description: string;
  run(policy: Policy, context: CheckContext): Report[];
  /**
   * The check also reports at frontend calls in other files: the analysis of a file with calls
   * runs it against the policies of the workspace's apps and keeps the reports in that file.
   */
  crossFile?: boolean;
}

export const docsUrl = (id: string): string =>
  `https://github.com/cors-lens/cors-lens/blob/main/docs/checks/${id}.md`;
