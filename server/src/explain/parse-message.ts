/**
 * Reads the CORS failures out of text pasted from a browser's console: Chromium's sentences (the
 * ones `fetch/messages.ts` writes, plus Private Network Access), Firefox's "Cross-Origin Request
 * Blocked ... (Reason: ...)" and Safari's "Origin X is not allowed by ..." with its separate
 * "Fetch API cannot load URL" line. Console copies wrap lines, prefix `:1` or `app.js:12`, add
 * `GET http://... net::ERR_FAILED 200 (OK)` lines and stack frames: whitespace is collapsed and
 * anything that is not one of these sentences is skipped.
 */
import type { BrowserName, FailureRule, ParsedMessage } from './types';

/** One detail sentence a browser may print, and what it means. */
interface Detail {
  pattern: RegExp;
  rule: FailureRule;
  stage?: 'preflight' | 'actual';
  credentials?: boolean;
  /** Which capture group is the operand, and what it is. */
  operand?: 'header' | 'method' | 'value' | 'addressSpace' | 'origin';
}

/** Chromium's detail sentences (after "has been blocked by CORS policy: "), each anchored at its start. */
const CHROMIUM: Detail[] = [
  {
    pattern: /^No 'Access-Control-Allow-Origin' header is present on the requested resource\./,
    rule: 'MissingAllowOriginHeader',
  },
  {
    pattern:
      /^The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '\*' when the request's credentials mode is 'include'\./,
    rule: 'WildcardOriginNotAllowed',
    credentials: true,
  },
  {
    pattern:
      /^The 'Access-Control-Allow-Origin' header contains multiple values '(.*?)', but only one is allowed\./,
    rule: 'MultipleAllowOriginValues',
    operand: 'value',
  },
  {
    pattern: /^The 'Access-Control-Allow-Origin' header contains the invalid value '(.*?)'\./,
    rule: 'InvalidAllowOriginValue',
    operand: 'value',
  },
  {
    pattern:
      /^The 'Access-Control-Allow-Origin' header has a value '(.*?)' that is not equal to the supplied origin\./,
    rule: 'AllowOriginMismatch',
    operand: 'value',
  },
  {
    pattern:
      /^The value of the 'Access-Control-Allow-Credentials' header in the response is '(.*?)' which must be 'true' when the request's credentials mode is 'include'\./,
    rule: 'InvalidAllowCredentials',
    credentials: true,
    operand: 'value',
  },
  {
    pattern: /^It does not have HTTP ok status\./,
    rule: 'PreflightInvalidStatus',
    stage: 'preflight',
  },
  {
    pattern: /^Redirect is not allowed for a preflight request\./,
    rule: 'PreflightDisallowedRedirect',
    stage: 'preflight',
  },
  {
    pattern:
      /^Cannot parse Access-Control-Allow-Methods response header field in preflight response\./,
    rule: 'InvalidAllowMethodsPreflightResponse',
    stage: 'preflight',
  },
  {
    pattern:
      /^Cannot parse Access-Control-Allow-Headers response header field in preflight response\./,
    rule: 'InvalidAllowHeadersPreflightResponse',
    stage: 'preflight',
  },
  {
    pattern: /^Method (\S+) is not allowed by Access-Control-Allow-Methods in preflight response\./,
    rule: 'MethodDisallowedByPreflightResponse',
    stage: 'preflight',
    operand: 'method',
  },
  {
    pattern:
      /^Request header field (\S+) is not allowed by Access-Control-Allow-Headers in preflight response\./,
    rule: 'HeaderDisallowedByPreflightResponse',
    stage: 'preflight',
    operand: 'header',
  },
  // Private (now Local) Network Access: every form names the target's address space.
  {
    pattern: /^[^.]*?(?:address space [`'"]?(\w+)|[`'"](\w+)[`'"] address space)[^.]*\./,
    rule: 'PrivateNetworkAccess',
    stage: 'preflight',
    operand: 'addressSpace',
  },
  {
    pattern: /^[^.]*?Access-Control-Allow-Private-Network[^.]*\./,
    rule: 'PrivateNetworkAccess',
    stage: 'preflight',
  },
];

/** Firefox's reasons (MDN's CORS error pages name each: CORSMissingAllowOrigin, ...). */
const FIREFOX: Detail[] = [
  {
    pattern: /^CORS header 'Access-Control-Allow-Origin' missing$/i,
    rule: 'MissingAllowOriginHeader',
  },
  {
    pattern: /^CORS header 'Access-Control-Allow-Origin' does not match '(.*)'$/i,
    rule: 'AllowOriginMismatch',
    operand: 'value',
  },
  {
    pattern:
      /^Credential is not supported if the CORS header 'Access-Control-Allow-Origin' is '\*'$/i,
    rule: 'WildcardOriginNotAllowed',
    credentials: true,
  },
  {
    pattern: /^Multiple CORS header 'Access-Control-Allow-Origin' not allowed$/i,
    rule: 'MultipleAllowOriginValues',
  },
  {
    pattern: /^expected 'true' in CORS header 'Access-Control-Allow-Credentials'$/i,
    rule: 'InvalidAllowCredentials',
    credentials: true,
  },
  {
    pattern: /^Did not find method in CORS header 'Access-Control-Allow-Methods'$/i,
    rule: 'MethodDisallowedByPreflightResponse',
    stage: 'preflight',
  },
  {
    pattern:
      /^missing token '(.*)' in CORS header 'Access-Control-Allow-Headers' from CORS preflight channel$/i,
    rule: 'HeaderDisallowedByPreflightResponse',
    stage: 'preflight',
    operand: 'header',
  },
  {
    pattern: /^invalid token '(.*)' in CORS header 'Access-Control-Allow-Methods'$/i,
    rule: 'InvalidAllowMethodsPreflightResponse',
    stage: 'preflight',
    operand: 'value',
  },
  {
    pattern: /^invalid token '(.*)' in CORS header 'Access-Control-Allow-Headers'$/i,
    rule: 'InvalidAllowHeadersPreflightResponse',
    stage: 'preflight',
    operand: 'value',
  },
  {
    pattern: /^CORS preflight response did not succeed$/i,
    rule: 'PreflightInvalidStatus',
    stage: 'preflight',
  },
  {
    pattern: /^CORS request external redirect not allowed$/i,
    rule: 'PreflightDisallowedRedirect',
    stage: 'preflight',
  },
  { pattern: /^CORS request did not succeed$/i, rule: 'RequestDidNotSucceed' },
];

/** Safari's sentences; its URL is on a separate "Fetch API cannot load" line. */
const SAFARI: Detail[] = [
  // Safari says this for a missing, a different and an invalid Access-Control-Allow-Origin alike.
  {
    pattern: /Origin (\S+) is not allowed by Access-Control-Allow-Origin\./,
    rule: 'AllowOriginMismatch',
    operand: 'origin',
  },
  {
    pattern: /Preflight response is not successful\./,
    rule: 'PreflightInvalidStatus',
    stage: 'preflight',
  },
  {
    pattern: /Request header field (\S+) is not allowed by Access-Control-Allow-Headers\./,
    rule: 'HeaderDisallowedByPreflightResponse',
    stage: 'preflight',
    operand: 'header',
  },
  {
    pattern: /Method (\S+) is not allowed by Access-Control-Allow-Methods\./,
    rule: 'MethodDisallowedByPreflightResponse',
    stage: 'preflight',
    operand: 'method',
  },
  {
    pattern: /Credentials flag is true, but Access-Control-Allow-Credentials is not "true"\./,
    rule: 'InvalidAllowCredentials',
    credentials: true,
  },
  {
    pattern: /Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true\./,
    rule: 'WildcardOriginNotAllowed',
    credentials: true,
  },
  {
    pattern: /Access-Control-Allow-Origin cannot contain more than one origin\./,
    rule: 'MultipleAllowOriginValues',
  },
];

/** Collapses a console copy to one line: typographic quotes made plain, colour codes and wrapping gone. */
export function normalizeConsoleText(text: string): string {
  return text

    .replace(/\u001b\[[0-9;]*m/g, '')
    .replace(/[‘’‚′]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/\s+/g, ' ');
}

/** A URL as printed, with spaces a wrapped line put into it removed. */
const cleanUrl = (url: string): string => url.replace(/\s+/g, '').replace(/[.,;]+$/, '');

/** Builds the message for one matched detail sentence. */
function fromDetail(
  browser: BrowserName,
  detail: Detail,
  match: RegExpExecArray,
  base: Pick<ParsedMessage, 'url' | 'origin'>,
  text: string,
): ParsedMessage {
  const out: ParsedMessage = { browser, ...base, rule: detail.rule, text };
  if (detail.stage) out.stage = detail.stage;
  if (detail.credentials) out.credentials = true;
  // The Private Network Access sentences name the address space before or after the words.
  const operand = match[1] ?? (detail.operand === 'addressSpace' ? match[2] : undefined);
  if (detail.operand && operand !== undefined) {
    if (detail.operand === 'origin') out.origin = operand;
    else out[detail.operand] = operand;
  }
  return out;
}

/** `GET http://host/path net::ERR_FAILED 200 (OK)`: the method and status of a failed request, by URL. */
function failedRequestLines(text: string): Map<string, { method: string; status?: number }> {
  const out = new Map<string, { method: string; status?: number }>();
  for (const m of text.matchAll(
    /\b(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS|[A-Z]{3,10}) (https?:\/\/\S+) net::ERR_FAILED(?: (\d{3}))?/g,
  )) {
    out.set(urlKey(m[2]), { method: m[1], ...(m[3] ? { status: Number(m[3]) } : {}) });
  }
  return out;
}

/** A URL in the form two printings of it share (`http://h:1` and `http://h:1/`). */
function urlKey(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}

interface Found {
  at: number;
  message: ParsedMessage;
}

function chromium(text: string): Found[] {
  const out: Found[] = [];
  const prefix =
    /Access to (?:fetch|XMLHttpRequest|[\w-]+) at '([^']+)'(?: \(redirected from '[^']+'\))? from origin '([^']+)' has been blocked by CORS policy: /g;
  for (const m of text.matchAll(prefix)) {
    let rest = text.slice(m.index + m[0].length);
    let preflight = false;
    const intro = /^Response to preflight request doesn't pass access control check: /.exec(rest);
    if (intro) {
      preflight = true;
      rest = rest.slice(intro[0].length);
    }
    for (const detail of CHROMIUM) {
      const d = detail.pattern.exec(rest);
      if (!d) continue;
      const message = fromDetail(
        'chromium',
        detail,
        d,
        { url: cleanUrl(m[1]), origin: m[2] },
        m[0] + (intro?.[0] ?? '') + d[0],
      );
      if (preflight) message.stage = 'preflight';
      out.push({ at: m.index, message });
      break;
    }
  }
  return out;
}

function firefox(text: string): Found[] {
  const out: Found[] = [];
  const sentence =
    /Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at (.+?)\. \(Reason: (.+?)\)(?:\. Status code: (\d{3}|\(null\)))?/g;
  for (const m of text.matchAll(sentence)) {
    const reason = m[2].trim();
    const detail = FIREFOX.find((d) => d.pattern.test(reason));
    const match = detail?.pattern.exec(reason);
    const message =
      detail && match
        ? fromDetail('firefox', detail, match, { url: cleanUrl(m[1]) }, m[0])
        : ({
            browser: 'firefox',
            url: cleanUrl(m[1]),
            rule: 'Other',
            text: m[0],
          } satisfies ParsedMessage);
    if (m[3] && /^\d+$/.test(m[3])) message.status = Number(m[3]);
    out.push({ at: m.index, message });
  }
  return out;
}

/** What Safari's network log puts before a repeat of the console's detail. */
const FAILED_TO_LOAD = 'Failed to load resource: ';

function safari(text: string): Found[] {
  const loads = [
    ...text.matchAll(
      /(?:Fetch API|XMLHttpRequest) cannot load (\S+?)\.? due to access control checks\./g,
    ),
  ].map((m) => ({ at: m.index, url: cleanUrl(m[1]) }));
  const out: Found[] = [];
  for (const detail of SAFARI) {
    for (const m of text.matchAll(
      new RegExp(detail.pattern.source + /(?: Status code: (\d{3}))?/.source, 'g'),
    )) {
      // Safari prints the URL on its own line after the detail; its "Failed to load resource:"
      // repeat of the detail comes after that line, so it belongs to the URL before it.
      const repeat =
        text.slice(Math.max(0, m.index - FAILED_TO_LOAD.length), m.index) === FAILED_TO_LOAD;
      const next = loads.find((l) => l.at > m.index);
      const previous = loads.filter((l) => l.at < m.index).at(-1);
      const load = repeat ? (previous ?? next) : (next ?? previous);
      const message = fromDetail('safari', detail, m, { url: load?.url ?? '' }, m[0]);
      const status = m[detail.operand ? 2 : 1];
      if (status) message.status = Number(status);
      out.push({ at: m.index, message });
    }
  }
  return out;
}

/** A failure's identity: the same failure printed twice (Chromium logs some twice) is one. */
const identity = (m: ParsedMessage): string =>
  [m.browser, urlKey(m.url), m.origin, m.rule, m.header?.toLowerCase(), m.method, m.value].join(
    '\u0000',
  );

/**
 * Every CORS failure in `text`, in the order printed, each once. Methods and statuses printed on
 * `net::ERR_FAILED` lines are joined to the failure of the same URL.
 */
export function parseMessages(text: string): ParsedMessage[] {
  const flat = normalizeConsoleText(text);
  const failed = failedRequestLines(flat);
  const found = [...chromium(flat), ...firefox(flat), ...safari(flat)].sort((a, b) => a.at - b.at);
  const seen = new Set<string>();
  const out: ParsedMessage[] = [];
  for (const { message } of found) {
    const key = identity(message);
    if (seen.has(key)) continue;
    seen.add(key);
    const line = message.url ? failed.get(urlKey(message.url)) : undefined;
    if (line && !message.method) message.method = line.method;
    if (line?.status !== undefined && message.status === undefined) message.status = line.status;
    out.push(message);
  }
  return out;
}
