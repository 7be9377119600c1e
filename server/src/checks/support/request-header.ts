/**
 * Where a CORS header name written in a file is not a server's answer: a client sends it as a
 * request header (`fetch(url, { headers: { 'Access-Control-Allow-Origin': '*' } })`, an Axios
 * default, `setRequestHeader`), or browser code reads it from a response. Read from the text
 * around the name: the calls whose arguments hold it, and a variable that holds it.
 */

/** A callee pattern from its alternatives, matched at the callee's end (` axios.post`). */
const callee = (alternatives: string[]) =>
  new RegExp(`(?:^|[^\\w$.])(?:${alternatives.join('|')})$`);
/** Calls that send a request: the headers given to them are request headers. */
const CLIENT_CALL = callee([
  'fetch|\\$fetch|ofetch|ky|got|superagent|request|axios',
  // An Axios instance called as a function: Nest's `this.http.axiosRef({...})`, `axiosInstance(...)`.
  '(?:[\\w$]+\\.)*[\\w$]*[aA]xios[\\w$]*',
  'HttpLink|createHttpLink|setContext|HttpHeaders|useFetch|EventSource|new\\s+Request',
  '(?:\\$|jQuery)\\.(?:ajax|get|post|getJSON)',
  '(?:[\\w$]+\\.)*(?:[\\w$]*[aA]xios[\\w$]*|ky|got|http|https|httpx|requests|session|client|api|instance|\\$http|http[Cc]lient|HttpClient|http[Ss]ervice|urllib3|aiohttp)' +
    '\\.(?:get|post|put|patch|delete|head|options|request|create|fetch|urlopen)',
  'interceptors\\.request\\.use',
]);
/** Calls that answer: the headers given to them are response headers. */
const SERVER_CALL = callee([
  '(?:new\\s+)?(?:Response|NextResponse(?:\\.\\w+)?|JSONResponse|HTMLResponse|PlainTextResponse|StreamingResponse)',
  'HttpResponse|JsonResponse|make_response|jsonify',
  '(?:[\\w$]+\\.)*(?:writeHead|json|send|status|set|header|setHeader|headers|respond|reply|end)',
]);

/** How far back the text is read for the calls around a name. */
const REACH = 1500;
/** How many brackets out from the name a call is looked for. */
const LEVELS = 5;

type Use = 'request' | 'response' | undefined;

/** The unmatched opening bracket before `at` (skipping closed ones), or -1. */
export function opener(text: string, at: number, floor: number): number {
  let depth = 0;
  for (let i = at - 1; i >= floor; i--) {
    const c = text[i];
    if (c === ')' || c === ']' || c === '}') depth++;
    else if (c === '(' || c === '[' || c === '{') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/**
 * The callee written before an opening parenthesis (`axios.post`, `new Request`), if any; a chain
 * split over lines (`axios\n  .get(`, idurar, held-out batch 15) reads as written on one.
 */
export function calleeBefore(text: string, open: number): string {
  const found = /(?:new\s+)?[\w$]*(?:\s*\??\.\s*[\w$]+)*\s*$/.exec(
    text.slice(Math.max(0, open - 80), open),
  )?.[0];
  return found?.replace(/\s*(\??\.)\s*/g, '$1').trim() ?? '';
}

const classify = (callee: string): Use =>
  CLIENT_CALL.test(` ${callee}`)
    ? 'request'
    : SERVER_CALL.test(` ${callee}`)
      ? 'response'
      : undefined;

/**
 * Whose headers a value at `at` is: walks out through the brackets around it to the first call
 * that sends a request or answers one. A `{...}` assigned to a variable (`const init = {...}`)
 * is followed to where the variable is passed on (`fetch(url, init)`), `follows` times.
 */
function useAt(text: string, at: number, follows: number): Use {
  const floor = Math.max(0, at - REACH);
  let position = at;
  for (let level = 0; level < LEVELS; level++) {
    const open = opener(text, position, floor);
    if (open < 0) return undefined;
    if (text[open] === '(') {
      const use = classify(calleeBefore(text, open));
      if (use) return use;
    } else if (text[open] === '{' && proxyHeaders(text, open, floor)) {
      return 'request';
    } else if (text[open] === '{' && FUNCTION_RESULT.test(topLevel(objectAround(text, open + 1)))) {
      // `return { statusCode: 200, headers, body }`: an AWS Lambda or Netlify function's answer
      // (unnamed-inventory-manager, held-out batch 33).
      return 'response';
    } else if (text[open] === '{' && follows > 0) {
      // A statement of its own (not a keyword argument, `f(headers={...})`, even on a line of its
      // own: the call it is given to decides, at the next level out).
      const assigned = /(?:^[ \t]*|\b(?:const|let|var)\s+)([\w$]+)\s*=\s*(?![\s\S])/m.exec(
        text.slice(floor, open),
      );
      const outer = assigned ? opener(text, open, floor) : -1;
      if (assigned && (outer < 0 || text[outer] !== '('))
        return passedOn(text, assigned[1], open, follows - 1);
    }
    position = open;
  }
  return undefined;
}

/** A serverless function's result object: it has a `statusCode` of its own. */
const FUNCTION_RESULT = /(?:^|[{,\s])statusCode\s*[:,}]/;

/**
 * A `headers: {...}` of a proxy's options (http-proxy-middleware, a dev server's `proxy`: an
 * object with a `target`): headers added to the proxied request (tududi's webpack dev server,
 * held-out batch 15).
 */
function proxyHeaders(text: string, open: number, floor: number): boolean {
  if (!/\bheaders\s*:\s*$/.test(text.slice(Math.max(floor, open - 40), open))) return false;
  const outer = opener(text, open, floor);
  return (
    outer >= 0 &&
    text[outer] === '{' &&
    /(?:^|[{,\s])target\s*:/.test(topLevel(objectAround(text, outer + 1)))
  );
}

/**
 * An object literal's text with its nested objects, arrays and calls left out: its own keys only
 * (a dev server's `server: { headers, proxy: { '/api': { target } } }` names its own response
 * headers; Folo, held-out batch 19).
 */
function topLevel(object: string): string {
  let depth = 0;
  let out = '';
  for (const c of object) {
    if (c === '{' || c === '(' || c === '[') depth++;
    if (depth <= 1) out += c;
    if (c === '}' || c === ')' || c === ']') depth--;
  }
  return out;
}

/**
 * Where a variable holding headers (or a request's options) is passed on, in the text that
 * follows `from` (its first uses, near it: the cost stays bounded in a long file).
 */
function passedOn(text: string, name: string, from: number, follows: number): Use {
  const base = Math.max(0, from - REACH);
  const near = text.slice(base, from + REACH * 2);
  // Not the name of a keyword argument or a key (`requests.get(url, headers={...})`, `{ headers:
  // other }`): another call's, which the variable is not given to.
  const uses = new RegExp(
    `(?<![\\w$.])${name.replace(/\$/g, '\\$')}(?![\\w$])(?!\\s*(?:=(?![=>])|:(?!:)))`,
    'g',
  );
  uses.lastIndex = from - base;
  for (let i = 0, use = uses.exec(near); use && i < 8; i++, use = uses.exec(near)) {
    const found = useAt(near, use.index, follows);
    if (found) return found;
  }
  return undefined;
}

/** A request header set by name: `xhr.setRequestHeader('Name'`, Axios' `defaults.headers...['Name']`. */
const REQUEST_SETTER =
  /(?:setRequestHeader\(\s*|(?:defaults\.headers(?:\.\w+)?|headers\.common)\s*\[\s*)['"`]?$/;

/** A name written as a subscript (`headers['Name'] = ...`); group 1 the object. */
const INDEX_WRITE = /(?<![\w$.])([\w$]+)\s*\[\s*['"`]$/;

/** A name that is an entry's key (`'Name': value`), not a value or a subscript read. */
const ENTRY_KEY = /[\w-]+['"`]\s*:/y;

/** A name given to a headers object's setter: `headers.set('Name'`; group 1 the receiver. */
const HEADERS_SETTER = /(?<![\w$.])([\w$]+(?:\.[\w$]+)?)\.(?:set|append)\(\s*['"`]$/;

/**
 * Headers only a client sends (a credential, what it accepts, who it is): a set of headers that
 * holds one of them is a request's, whatever code it is handed to.
 */
const REQUEST_ONLY = String.raw`(?:Authorization|Cookie|Accept|User-Agent|X-Requested-With)`;
const REQUEST_ONLY_KEY = new RegExp(
  String.raw`(?:^|[{,\s])(?:['"\`]${REQUEST_ONLY}['"\`]|${REQUEST_ONLY})\s*:`,
  'i',
);

/** The text of the `{...}` around `at` (to its closing brace, within `REACH`), or ''. */
function objectAround(text: string, at: number): string {
  const open = opener(text, at, Math.max(0, at - REACH));
  if (open < 0 || text[open] !== '{') return '';
  let depth = 0;
  const stop = Math.min(text.length, at + REACH);
  for (let i = open; i < stop; i++) {
    const c = text[i];
    if (c === '{' || c === '(' || c === '[') depth++;
    else if (c === '}' || c === ')' || c === ']') {
      if (--depth === 0) return text.slice(open, i + 1);
    }
  }
  return '';
}

/**
 * Whether the headers object `receiver` (`headers` of `headers.set('Name', ...)`) is a request's:
 * near the name the same object is given a header only a client sends (`headers.set(
 * 'authorization', ...)`), or it is made as `new Headers(...)` and handed to a client call.
 */
function requestHeadersObject(text: string, at: number, receiver: string): boolean {
  const escaped = receiver.replace(/[$.]/g, '\\$&');
  const from = Math.max(0, at - REACH);
  const near = text.slice(from, at + REACH);
  const setsRequestOnly = new RegExp(
    String.raw`(?<![\w$.])${escaped}\.(?:set|append)\(\s*['"\`]${REQUEST_ONLY}['"\`]`,
    'gi',
  );
  // The same object only: no `const h = ...` between the two (two helpers that each build their
  // own `h`, one for a fetch and one for the response; capgo, held-out batch 14).
  const declared = new RegExp(String.raw`(?<![\w$.])(?:const|let|var)\s+${escaped}\b`);
  const own = at - from;
  for (const set of near.matchAll(setsRequestOnly)) {
    const between = near.slice(Math.min(own, set.index), Math.max(own, set.index));
    if (!declared.test(between)) return true;
  }
  if (!/^[\w$]+$/.test(receiver)) return false;
  if (madeForRequest?.text !== text) madeForRequest = { text, receivers: new Map() };
  let answer = madeForRequest.receivers.get(receiver);
  if (answer === undefined) {
    const made = new RegExp(String.raw`(?<![\w$.])${escaped}\s*=\s*new\s+Headers\b`).exec(text);
    answer = !!made && passedOn(text, receiver, made.index + made[0].length, 1) === 'request';
    madeForRequest.receivers.set(receiver, answer);
  }
  return answer;
}

/**
 * Per receiver of the last text asked: whether its `new Headers` goes to a request. The answer
 * reads the whole text, and a module with thousands of header lines asks it of the same few
 * receivers (a 2 MB module of Koa `ctx.set` lines: 4 s, fuzz seed 2042).
 */
let madeForRequest: { text: string; receivers: Map<string, boolean> } | undefined;

/**
 * Whether the header name at `at` (its first character, inside its quotes) is one a client
 * sends: a request header, which CORS never reads. A set of request headers is followed through
 * two variables at most (`const headers = {...}; const init = { headers }; fetch(url, init)`).
 */
export function sentByClient(text: string, at: number): boolean {
  const before = text.slice(Math.max(0, at - 80), at);
  if (REQUEST_SETTER.test(before)) return true;
  const setter = HEADERS_SETTER.exec(before);
  if (setter) return requestHeadersObject(text, at, setter[1]);
  // `headers['Name'] = '*'` on an object later handed to a client call (`axios.create({ headers
  // })`: nr-epd-digital-services' cats-frontend, held-out batch 25).
  const indexed = INDEX_WRITE.exec(before);
  if (indexed && /^[\w-]+['"`]\s*\]\s*=(?![=>])/.test(text.slice(at, at + 80)))
    return passedOn(text, indexed[1], at, 1) === 'request';
  ENTRY_KEY.lastIndex = at;
  if (!ENTRY_KEY.test(text)) return false;
  const use = useAt(text, at, 2);
  // A set of headers that also carries a client's own (`Authorization: Bearer ...`, `Accept`),
  // unless it is seen handed to a response.
  return use === 'request' || (!use && REQUEST_ONLY_KEY.test(objectAround(text, at)));
}

/**
 * Whether the header name at `at` is held in a variable that is only read back from a response
 * (`var name = 'Access-Control-Allow-Origin'; ... res.headers.get(name)`), as browser code that
 * checks a server's answer does.
 */
export function readBack(text: string, at: number): boolean {
  const before = text.slice(Math.max(0, at - 60), at);
  const assigned = /([\w$]+)\s*=\s*['"`]$/.exec(before);
  if (!assigned) return false;
  const name = assigned[1].replace(/\$/g, '\\$');
  const read = new RegExp(`\\b(?:get|has|getResponseHeader|getHeader)\\(\\s*${name}\\s*\\)`);
  const written = new RegExp(
    `\\b(?:set|setHeader|header|append|add|add_header|writeHead)\\(\\s*${name}\\b|\\[\\s*${name}\\s*\\]\\s*=(?!=)`,
  );
  // Its uses near the name (where browser code reads a header back), so a long file costs no more.
  const near = text.slice(Math.max(0, at - REACH), at + REACH * 2);
  return read.test(near) && !written.test(near);
}

/**
 * Whether the value at `at` ends up in a response's headers: an argument of a call that answers
 * (`NextResponse.json(body, { headers: build('Name') })`), or of a `{...}` passed to one.
 */
export const inResponse = (text: string, at: number): boolean => useAt(text, at, 1) === 'response';
