import { routePathOf } from '../frameworks/nextjs/paths';
import type { GrammarId } from '../parsing/parser';

/**
 * Text every file that can yield a finding contains: a CORS library or setting, or a hand-set
 * `Access-Control-*` header. JavaScript and TypeScript also: a frontend call checked against the
 * workspace's backends.
 */
const CORS_TOKENS = /cors|access-control/i;
const FRONTEND_TOKENS = /cors|access-control|fetch|axios|XMLHttpRequest/i;
/** Settings that inherit their CORS setup: `from .base import *` (a setting overridden here is reported here). */
const STAR_IMPORT = /^[ \t]*from[ \t]+[\w.]+[ \t]+import[ \t]+\*/m;
/** nginx that takes its headers from snippets: a location here may drop them (reported here). */
const INCLUDE = /\binclude\s/;

/**
 * Whether a file can yield a finding at all. Most files of a repository, and most files open in an
 * editor, cannot: they need no parse, no tree kept in memory and no analysis. A file whose setup
 * comes from files it pulls in counts even without a token of its own: a settings module that
 * star-imports another, an nginx file with an `include`, a Next.js route handler (its
 * next.config and middleware add headers to it).
 */
export function mayReport(file: string, grammar: GrammarId, text: string): boolean {
  switch (grammar) {
    case 'javascript':
    case 'typescript':
    case 'tsx':
      return FRONTEND_TOKENS.test(text) || !!routePathOf(file);
    case 'python':
      return CORS_TOKENS.test(text) || STAR_IMPORT.test(text);
    case 'nginx':
      return CORS_TOKENS.test(text) || INCLUDE.test(text);
    default:
      return CORS_TOKENS.test(text);
  }
}
