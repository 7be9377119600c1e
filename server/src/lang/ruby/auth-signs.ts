import {
  AUTHORIZATION,
  COOKIE_HEADER_LISTED,
  type FileAuthSigns,
  type Sign,
  fileAuthSigns,
  withoutHashCommentLines,
} from '../auth-signs';

/**
 * Signs that a Ruby file authenticates by cookie: a cookie read or written (`cookies[...]`,
 * `cookies.signed`, `set_cookie`), a session (`session[...]`, Rack's and Sinatra's session
 * middleware, a session store), Devise or Warden, or a full Rails controller or app, whose cookie
 * session is on by default (only `config.api_only = true` leaves it out). Browsers attach cookies
 * to cross-site requests on their own.
 */
const COOKIE_SIGNS: Sign[] = [
  { sign: 'a cookie', pattern: /cookie/i, unless: new RegExp(COOKIE_HEADER_LISTED, 'iy') },
  {
    sign: 'a session',
    pattern:
      /\bsession\s*\[|\bsession_store\b|\bRack::Session\b|\benable\s+:sessions\b|\bset\s+:sessions\b/,
  },
  { sign: 'Devise or Warden', pattern: /\b(?:devise|warden)\b/i },
  {
    sign: "Rails' cookie session (a controller that is not API-only)",
    pattern: /<\s*ActionController::Base\b|\bprotect_from_forgery\b/,
  },
];

/**
 * Signs that a Ruby file authenticates by a header the page's script adds (a bearer token, an API
 * key): browsers never add those to a cross-site request on their own.
 */
const HEADER_SIGNS: Sign[] = [
  // Not a name in a CORS `headers` list, nor a header this code sends (`'Authorization' => ...`).
  {
    sign: 'an Authorization header',
    pattern: /\bHTTP_AUTHORIZATION\b|\bauthenticate_or_request_with_http_token\b/,
  },
  {
    sign: 'an Authorization header',
    pattern: AUTHORIZATION,
    unless: /authorization['"]\s*(?:=>|\]\s*=(?!=))/iy,
  },
  {
    sign: 'a bearer token',
    pattern: /\bBearer\b|\bdoorkeeper\b/i,
    unless: /Bearer\s*(?:#\{|['"]\s*\+)/iy,
  },
];

/** Reads of a request header by name: `request.headers['X-Api-Key']`, `env['HTTP_X_API_KEY']`. */
const KEY_HEADER_READS =
  /\bheaders\s*\[\s*['"]([\w-]+)['"]\s*\](?!\s*=(?!=))|\benv\s*\[\s*['"](HTTP_\w+)['"]\s*\]/;

/** How a Ruby file shows the way its project authenticates. */
export const rubyAuthSigns = (text: string): FileAuthSigns =>
  fileAuthSigns(withoutHashCommentLines(text), {
    cookies: COOKIE_SIGNS,
    headers: HEADER_SIGNS,
    keyHeaderReads: KEY_HEADER_READS,
  });
