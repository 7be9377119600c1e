import { frameworks } from '../frameworks';
import type { GrammarId } from '../parsing/parser';

/**
 * Text every file that can yield a finding contains: a CORS library or setting (`cross_origin`
 * settings name no "cors"), or a hand-set `Access-Control-*` header (by name, or by a library's
 * constant: `hdrs.ACCESS_CONTROL_ALLOW_ORIGIN`). JavaScript and TypeScript also: a frontend call
 * checked against the workspace's backends.
 */
const CORS_TOKENS = /cors|access[-_]control|cross_origin/i;
const FRONTEND_TOKENS = /cors|access[-_]control|fetch|axios|XMLHttpRequest/i;

/**
 * Whether a file can yield a finding at all. Most files of a repository, and most files open in an
 * editor, cannot: they need no parse, no tree kept in memory and no analysis. A file whose setup
 * comes from files it pulls in counts even without a token of its own: a settings module that
 * star-imports another, an nginx file with an `include`, a Next.js route handler (its
 * next.config and middleware add headers to it).
 */
export function mayReport(file: string, grammar: GrammarId, text: string): boolean {
  const tokens =
    grammar === 'javascript' || grammar === 'typescript' || grammar === 'tsx'
      ? FRONTEND_TOKENS
      : CORS_TOKENS;
  return (
    tokens.test(text) ||
    frameworks.some(
      (framework) =>
        framework.grammars.includes(grammar) && !!framework.inheritsSetup?.(file, text),
    )
  );
}
