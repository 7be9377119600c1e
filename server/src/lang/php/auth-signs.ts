import {
  AUTHORIZATION,
  COOKIE_HEADER_LISTED,
  type FileAuthSigns,
  type Sign,
  fileAuthSigns,
} from '../auth-signs';

/**
 * Signs that a PHP file authenticates by cookie: a cookie read or written (`$_COOKIE`,
 * `setcookie()`, Laravel's `->cookie(...)`/`Cookie::queue`), a session (`session_start()`,
 * `$_SESSION`, Laravel's `session(...)`, `Auth::attempt`), or Sanctum's stateful SPA middleware.
 * Not Laravel's `config/session.php` alone: every Laravel app has one, used or not (rankengineapi's
 * JWT API, held-out batch 49).
 */
const COOKIE_SIGNS: Sign[] = [
  {
    sign: 'a cookie',
    pattern:
      /\$_COOKIE\b|\bsetcookie\s*\(|->\s*(?:cookie|withCookie)\s*\(|\bCookie::(?:queue|make|get)\b/i,
    unless: new RegExp(COOKIE_HEADER_LISTED, 'iy'),
  },
  {
    sign: 'a PHP session',
    pattern:
      /\bsession_start\s*\(|\$_SESSION\b|\bsession\s*\(\s*\[|->\s*session\s*\(\s*\)|\bAuth::attempt\s*\(/,
  },
  { sign: "Sanctum's stateful SPA cookies", pattern: /\bEnsureFrontendRequestsAreStateful\b/ },
];

/**
 * Signs that a PHP file authenticates by a header the page's script adds: the Authorization
 * header read (`$_SERVER['HTTP_AUTHORIZATION']`, `$request->bearerToken()`,
 * `->header('Authorization')`), a JWT guard. Not the name in an Access-Control-Allow-Headers list
 * (janitorial's header.php, held-out batch 49).
 */
const HEADER_SIGNS: Sign[] = [
  {
    sign: 'an Authorization header',
    pattern: /\bHTTP_AUTHORIZATION\b|->\s*bearerToken\s*\(|\bJWTAuth\b|\btymon\b|['"]auth:api['"]/i,
  },
  {
    sign: 'an Authorization header',
    pattern: AUTHORIZATION,
    // Not one this code sends (`'Authorization' => ...` in a client's headers, `header('Authorization: ...')`).
    unless: /authorization['"]\s*=>|authorization\s*:/iy,
  },
];

/** Reads of a request header by name: `$_SERVER['HTTP_X_API_KEY']`, `$request->header('X-Api-Key')`. */
const KEY_HEADER_READS =
  /\$_SERVER\s*\[\s*['"](HTTP_\w+)['"]\s*\]|->\s*header\s*\(\s*['"]([\w-]+)['"]\s*\)/;

/** Comment lines (`//`, `#`, and the inside of `/* ... *\/` blocks starting with `*`). */
const withoutCommentLines = (text: string): string =>
  text.replace(
    /^([ \t]*)(?:\/\/|#|\*)[^\n]*/gm,
    (line, indent: string) => indent + ' '.repeat(line.length - indent.length),
  );

/** How a PHP file shows the way its project authenticates. */
export const phpAuthSigns = (text: string): FileAuthSigns =>
  fileAuthSigns(withoutCommentLines(text), {
    cookies: COOKIE_SIGNS,
    headers: HEADER_SIGNS,
    keyHeaderReads: KEY_HEADER_READS,
  });
