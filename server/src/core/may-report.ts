import type { GrammarId } from '../parsing/parser';

/**
 * Text every file that can yield a finding contains: a CORS library or setting, a hand-set
 * `Access-Control-*` header, or (JavaScript and TypeScript only) a frontend call checked against
 * the workspace's backends. (A settings module that only star-imports its CORS setup reports
 * nothing itself: findings are shown in the file that holds the line.)
 */
const CORS_TOKENS = /cors|access-control/i;
const FRONTEND_TOKENS = /cors|access-control|fetch|axios|XMLHttpRequest/i;

/**
 * Whether a file's text can yield a finding at all. Most files of a repository, and most files
 * open in an editor, cannot: they need no parse, no tree kept in memory and no analysis.
 */
export function mayReport(grammar: GrammarId, text: string): boolean {
  return (grammar === 'javascript' || grammar === 'typescript' || grammar === 'tsx' ? FRONTEND_TOKENS : CORS_TOKENS).test(text);
}
