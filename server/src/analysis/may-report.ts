import path from 'node:path';
import { frameworks } from '../frameworks';
import type { GrammarId } from '../parsing/parser';

/**
 * Text every file that can yield a finding contains: a CORS library or setting (`cross_origin`
 * settings name no "cors"), or a hand-set `Access-Control-*` header (by name, or by a library's
 * constant: `hdrs.ACCESS_CONTROL_ALLOW_ORIGIN`). JavaScript and TypeScript also: a frontend call
 * checked against the workspace's backends, and apollo-server 2/3's packages, whose
 * `applyMiddleware` mounts `cors()` unasked.
 */
const CORS_TOKENS = /cors|access[-_]control|cross_origin/gi;
const FRONTEND_TOKENS =
  /cors|access[-_]control|fetch|axios|XMLHttpRequest|apollo-server-(?:express|koa|hapi|fastify)/gi;

/**
 * A character of an encoded blob: base64's alphabet and base85's (Python's `b85encode`, git's),
 * which has no whitespace, quote, `.`, `,`, `:`, `[`, `]` or backslash. Minified code has some of
 * these every few characters (`a.b`, `f(x,y)`, `"s"`), so its runs stay short. Line ends are part
 * of a blob too: an encoder wraps its lines (get-pip.py's at 79 characters, PEM's at 64).
 */
const BLOB_CHAR = /[A-Za-z0-9+/=!#$%&()*;<>?@^_`{|}~\r\n-]/;
/** How long a run of blob characters is an encoded blob (a vendored installer's payload). */
export const BLOB_RUN = 256;
/** How long the token's own line in a blob is, at least: wrapped blobs have lines of 60 to 80. */
const BLOB_LINE = 48;

const lineEnd = (c: string | undefined) => c === '\n' || c === '\r';

/**
 * The end of the run of blob characters around `at` when it is an encoded blob (at least
 * `BLOB_RUN` long, the token's line at least `BLOB_LINE`), or -1: a token found in it is chance
 * (get-pip.py's base85 zip holds "cors" somewhere in its 1.3 MB, Gerapy's vendored copy).
 */
export function blobRunEnd(text: string, at: number, length: number): number {
  let start = at;
  while (start > 0 && at - start < BLOB_RUN && BLOB_CHAR.test(text[start - 1])) start--;
  let end = at + length;
  while (end < text.length && BLOB_CHAR.test(text[end])) end++;
  if (end - start < BLOB_RUN) return -1;
  let lineStart = at;
  while (lineStart > start && !lineEnd(text[lineStart - 1])) lineStart--;
  let lineStop = at + length;
  while (lineStop < end && !lineEnd(text[lineStop])) lineStop++;
  if (lineStop - lineStart < BLOB_LINE) return -1;
  return end;
}

/** Whether `tokens` occurs in the text outside an encoded blob. */
function tokenOutsideBlobs(tokens: RegExp, text: string): boolean {
  const search = new RegExp(tokens.source, tokens.flags);
  for (let match = search.exec(text); match; match = search.exec(text)) {
    const end = blobRunEnd(text, match.index, match[0].length);
    if (end < 0) return true;
    // The rest of the blob is skipped: a long one costs one pass.
    search.lastIndex = end;
  }
  return false;
}

/**
 * Whether a file can yield a finding at all. Most files of a repository, and most files open in an
 * editor, cannot: they need no parse, no tree kept in memory and no analysis. A file whose setup
 * comes from files it pulls in counts even without a token of its own: a settings module that
 * star-imports another, an nginx file with an `include`, a Next.js route handler (its
 * next.config and middleware add headers to it), and a module named for CORS.
 */
export function mayReport(file: string, grammar: GrammarId, text: string): boolean {
  const tokens =
    grammar === 'javascript' || grammar === 'typescript' || grammar === 'tsx'
      ? FRONTEND_TOKENS
      : CORS_TOKENS;
  return (
    tokenOutsideBlobs(tokens, text) ||
    // A module named for CORS whose options never say the word (`config/cors.js` exporting
    // `{ origin: (origin, callback) => ..., credentials: true }`).
    /cors/i.test(path.basename(file)) ||
    frameworks.some(
      (framework) =>
        framework.grammars.includes(grammar) && !!framework.inheritsSetup?.(file, text),
    )
  );
}
