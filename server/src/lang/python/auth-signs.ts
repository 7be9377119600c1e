import {
  AUTHORIZATION,
  anyAuthSign,
  sameSiteSigns,
  COOKIE_HEADER_LISTED,
  type AuthSign,
  type FileAuthSigns,
  type Sign,
  firstKeyHeader,
  firstSign,
  withoutHashCommentLines,
} from '../auth-signs';

/**
 * Signs that a Python file authenticates by cookie: a session (Starlette's or Django's
 * `SessionMiddleware`, `request.session`, Flask's `session`, Flask-Login), or a cookie read or
 * written (`set_cookie`, `request.cookies`, FastAPI's `Cookie(...)`/`APIKeyCookie`, a setting named
 * after a cookie). Browsers attach cookies to cross-site requests on their own. Not the cookies an
 * outgoing HTTP client passes on (`cookies=None`, `requests.get(url, cookies)`, a cookie jar, an
 * object's own `self.cookies` and the quoted keys of its dict, a camelCase helper such as
 * `_asyncGetJsonHeadersCookies(...)`, as Python frameworks name their cookie APIs in snake_case):
 * those are another server's (Netflix/lemur's Kubernetes plugin, held-out batch 4).
 */
/**
 * Where an outgoing client keeps the cookies of its own login on another site: a cookie file
 * (`cookies_file`, `cookies.json`, a folder joined into its path), and its jar's `load_cookies()`,
 * `save_cookies()`, `get_cookies()`, `.cookies.update(...)` (nader-AI's Twitter client beside a FastAPI app with no
 * auth, held-out batch 54). Tested where the word `cookie` starts.
 */
const CLIENT_COOKIE_STORE = String.raw`cookies?[ _](?:file|path|dir|jar)\w*|cookies?\.(?:json|txt|pkl|pickle)\b|(?<=\b(?:load|save|get|dump|store)[ _/])cookies\b|(?<=\.)cookies\.(?:update|set|get_dict|clear|save|load)\b|(?<=\bjoin\([^\n]{0,200}['"])cookies?['"]`;

const DJANGO_SESSIONS = "Django's sessions, auth or admin (its login is a session cookie)";

const COOKIE_SIGNS: Sign[] = [
  {
    sign: 'a cookie',
    pattern: /cookie/i,
    unless: new RegExp(
      String.raw`(?<![\w.])cookies?\s*(?:=(?!=)|[,)])|(?<=\bself\.)cookies?\b|(?<=[a-z])Cookies?\w*\s*\(|(?<=['"][\w-]*)(?<!set-)cookie[\w-]*['"]\s*:|cookiejar|${COOKIE_HEADER_LISTED}|${CLIENT_COOKIE_STORE}`,
      'iy',
    ),
  },
  { sign: 'a session middleware', pattern: /SessionMiddleware/ },
  {
    sign: DJANGO_SESSIONS,
    pattern: /\bdjango\.contrib\.(?:sessions|auth|admin)\b/,
  },
  { sign: 'Flask-Login', pattern: /\bflask_login\b|\bLoginManager\b|\blogin_user\s*\(/ },
  { sign: 'Flask-Session', pattern: /\bflask_session\b/ },
  // aiohttp's cookie sessions (`get_session(request)`, `setup(app, EncryptedCookieStorage(...))`).
  { sign: 'aiohttp-session', pattern: /\baiohttp_session\b/ },
  {
    sign: "Flask's session",
    pattern: /^[ \t]*from[ \t]+flask[ \t]+import[ \t]+(?:\([^)]*|[^\n]*)\bsession\b/m,
  },
  { sign: 'a request session', pattern: /\brequest\.session\b|\bsession\s*\[\s*['"]/ },
];

/**
 * Signs that a Python file authenticates by a header the page's script adds (a bearer token, an
 * API key): browsers never add those to a cross-site request on their own.
 */
const HEADER_SIGNS: Sign[] = [
  // Not a name in a CORS allowed-headers list: allowing the header says nothing of how the app
  // authenticates (aim allows Authorization and has no auth at all, held-out batch 11).
  // Not a header this code sends: a key of an outgoing request's headers (`{"Authorization":
  // f"Bearer {token}"}`, `headers["Authorization"] = ...`) or a bearer value it builds is another
  // API's auth (music-service's Spotify client, held-out batch 13).
  {
    sign: 'an Authorization header',
    pattern: AUTHORIZATION,
    unless: /authorization['"]\s*(?::|\]\s*=(?!=))/iy,
  },
  {
    sign: 'a bearer token',
    pattern: /\bBearer\b|\bHTTPBearer\b|\bOAuth2PasswordBearer\b/,
    unless: /Bearer\s*(?:\{|%s|['"]\s*(?:\+|%|\.\s*format\b))/y,
  },
  // Django REST framework's token schemes read `Authorization: Bearer …` / `Token …`.
  {
    sign: 'token authentication (Authorization header)',
    pattern: /\b(?:JWT|JSONWebToken|Token|Knox\w*)Authentication\b|\bsimplejwt\b/,
  },
  { sign: 'an API key header', pattern: /\bAPIKeyHeader\b|\bx-api-key\b/i },
  // Flask-JWT-Extended reads its token from the Authorization header unless JWT_TOKEN_LOCATION
  // says cookies (which the cookie signs see: `set_access_cookies`, `['cookies']`): Aquatron's
  // API (held-out batch 53).
  {
    sign: 'Flask-JWT-Extended tokens (the Authorization header by default)',
    pattern: /\bflask_jwt_extended\b/,
  },
  // A key the caller's script sends, in a header or the query (titiler's `APIKeyQuery`, held-out
  // batch 19): either way no browser adds it on its own.
  // Not a client's own key handed to an SDK (`OpenAI(api_key=...)`, `openai.api_key = ...`):
  // openedai-speech's client scripts (held-out batch 21) authenticate to the server, not it.
  { sign: 'an API key', pattern: /\bAPIKeyQuery\b|\bapi_key\b/i, unless: /api_key\s*=(?!=)/iy },
];

/**
 * A script that drives a browser (Selenium, Playwright, Pyppeteer): its cookies, logins and tokens
 * are the automated browser's on another site, not this server's (MinhLam577's Facebook crawler
 * beside a bearer-token FastAPI app, held-out batches 45 and 46: `document.cookie=` in a string it
 * runs in the page raised a credentialed `*` to an error). A module named after such a library
 * (`from seleniumCrawl import *`) is taken for a wrapper of it.
 */
const DRIVES_A_BROWSER =
  /^[ \t]*(?:from|import)[ \t]+[\w.]*(?:selenium|undetected_chromedriver|playwright|pyppeteer|splinter)/im;

/**
 * The first sign of cookie auth and of header auth in a Python file's text. Read as text, strings
 * included (a false sign of cookies keeps a finding at its full severity, the safe side); lines
 * that are only a comment are not read.
 */
export function pythonAuthSigns(source: string): FileAuthSigns {
  const text = withoutHashCommentLines(source);
  if (DRIVES_A_BROWSER.test(text)) return {};
  const signs: FileAuthSigns = {
    cookie: firstSign(text, COOKIE_SIGNS),
    header: firstSign(text, HEADER_SIGNS),
    keyHeader: firstKeyHeader(text, KEY_HEADER_READS) ?? bearerScheme(text),
    anyAuth: anyAuthSign(text),
    ...sameSiteSigns(text),
  };
  // Django writes its session and CSRF cookies SameSite=Lax unless SESSION_COOKIE_SAMESITE says
  // otherwise (the default since Django 2.1; `global_settings` of the Django here says 'Lax'):
  // ntd-coding-challenge's JWT API with the admin's session (held-out batch 49) is a warning.
  // Said of the settings module that turns sessions on, where SESSION_COOKIE_SAMESITE would be
  // written, never of another module's import (ADL_LRS's forms.py, held-out batch 53).
  const sessions = /['"]django\.contrib\.sessions\b/.exec(text);
  if (
    sessions &&
    /^(?:INSTALLED_APPS|MIDDLEWARE)\b/m.test(text) &&
    !signs.sameSite &&
    !signs.sameSiteNone
  )
    signs.sameSite = {
      sign: "Django's session cookie, SameSite=Lax by default (no SESSION_COOKIE_SAMESITE),",
      start: sessions.index + 1,
      end: sessions.index + sessions[0].length,
      byDefault: true,
    };
  return signs;
}

/**
 * Reads of a request header by name: `headers.get("x")`, `headers["x"]` (not assigned to),
 * FastAPI's `APIKeyHeader(name="x")` and `Header(alias="x")`, Django's `META["HTTP_X"]`.
 */
const KEY_HEADER_READS =
  /\bheaders\s*(?:\.get\(\s*|\[\s*(?=['"][\w-]+['"]\s*\](?!\s*=(?!=))))['"]([\w-]+)['"]|\bAPIKeyHeader\(\s*(?:name\s*=\s*)?['"]([\w-]+)['"]|\bHeader\([^()]*?\balias\s*=\s*['"]([\w-]+)['"]|\bMETA\s*(?:\.get\(|\[)\s*['"](HTTP_\w+)['"]/;

/**
 * FastAPI's and DRF's bearer and token schemes, which read the Authorization header themselves:
 * `HTTPBearer()`, `OAuth2PasswordBearer(...)`, `JWTAuthentication`, `TokenAuthentication`.
 */
function bearerScheme(text: string): AuthSign | undefined {
  const match =
    /\b(?:HTTPBearer|OAuth2PasswordBearer|OAuth2AuthorizationCodeBearer|(?:JWT|JSONWebToken|Token|Knox\w*)Authentication)\b/.exec(
      text,
    );
  return match
    ? {
        sign: 'a bearer token in the Authorization header',
        start: match.index,
        end: match.index + match[0].length,
        header: 'authorization',
      }
    : undefined;
}
