import path from 'node:path';
import type { SourceReader } from '../../base/source-reader';
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

/** Folders above a file searched for its Rails app's config/application.rb, at most. */
const RAILS_LEVELS = 8;

/**
 * Whether the Rails app a file belongs to is API-only (`config.api_only = true` in its
 * config/application.rb) and adds no cookie or session middleware back: Devise and Warden then
 * keep no session in a cookie (rcr's Devise beside a JWT read from Authorization, held-out batch
 * 57), so their names are no sign of cookie auth there.
 */
export function railsApiOnly(file: string, reader: SourceReader): boolean {
  for (let dir = path.dirname(file), i = 0; i < RAILS_LEVELS; i++, dir = path.dirname(dir)) {
    const config = reader.read(path.join(dir, 'config', 'application.rb'));
    if (config !== undefined)
      return (
        /^[ \t]*config\.api_only[ \t]*=[ \t]*true\b/m.test(config) &&
        !/ActionDispatch::(?:Cookies|Session::|Flash)/.test(config)
      );
    if (path.dirname(dir) === dir) break;
  }
  return false;
}

/** Words of a session kept in a cookie by Rails' default middleware (Devise, a full controller). */
const SESSION_WORDS = /\b(?:devise|warden|ActionController::Base|protect_from_forgery)\b/gi;

/**
 * A Ruby file's signs; in an API-only Rails app (see `railsApiOnly`) Devise, Warden and a full
 * controller keep no cookie session, so their words are left out (blanked, offsets kept).
 */
export function rubyFileAuthSigns(file: string, text: string, reader: SourceReader): FileAuthSigns {
  const apiOnly = new RegExp(SESSION_WORDS.source, 'i').test(text) && railsApiOnly(file, reader);
  return rubyAuthSigns(
    apiOnly ? text.replace(SESSION_WORDS, (word) => '_'.repeat(word.length)) : text,
  );
}
