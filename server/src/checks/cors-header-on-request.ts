import { isTestModule } from '../workspace/test-module';
import { matchesWithinBudget } from '../base/budget';
import { grammarForText } from '../parsing/languages';
import { sentByClient } from './support/request-header';
import { inBlockComment, inLineComment } from './support/not-a-setup';
import type { Check, Report } from './types';

/** A CORS response header's name as a string of its own: group 1. */
const NAMED =
  /['"`](Access-Control-(?:Allow-(?:Origin|Credentials|Methods|Headers)|Expose-Headers|Max-Age))['"`]/gi;
/** The whole line of an object entry or keyword argument naming it: `  'Name': value,`. */
const ENTRY_LINE = /[ \t]*['"`][\w-]+['"`]\s*:\s*[^,\n{}[\]()]+,?[ \t]*(?:\r\n|\r|\n)/y;
/** The whole line of a statement setting it on a headers object: `  headers.set('Name', '*');`. */
const SETTER_LINE =
  /[ \t]*[\w$.]+\.(?:set|append)\(\s*['"`][\w-]+['"`]\s*,\s*[^\n;{}()]+\)\s*;?[ \t]*(?:\r\n|\r|\n)/y;
/** The whole line of a statement writing it into a headers object: `  headers['Name'] = '*';`. */
const INDEX_LINE =
  /[ \t]*[\w$.]+\[\s*['"`][\w-]+['"`]\s*\]\s*=(?![=>])[^\n;{}()]+;?[ \t]*(?:\r\n|\r|\n)/y;
/** nginx handing a CORS header on to the upstream: group 1 the directive, group 2 the name. */
const NGINX_PASSED =
  /^[ \t]*(proxy_set_header|grpc_set_header)[ \t]+['"]?(Access-Control-(?:Allow-(?:Origin|Credentials|Methods|Headers)|Expose-Headers|Max-Age))\b[^\r\n]*(?:\r\n|\r|\n|$)/gim;
/** PHP writing a CORS header into the request it was handed: group 1 the call, group 2 the name. */
const PHP_REQUEST_WRITE =
  /(\$(?:this->)?(?:request|req)\s*->\s*(?:headers\s*->\s*set|withHeader|withAddedHeader))\s*\(\s*['"](Access-Control-(?:Allow-(?:Origin|Credentials|Methods|Headers)|Expose-Headers|Max-Age))['"]/gi;
/** How many names a file is read for: a client sends a few. */
const MAX_NAMES = 50;

/**
 * Removes the entry's whole line when the entry is a line of its own (`  'Name': '*',`): JS
 * objects and Python dicts keep parsing without it (a trailing comma is left on the line above
 * at most, which both allow). So is a statement of its own that sets it (`headers.set('Name',
 * '*');`), or writes it into one (`headers['Name'] = '*';`).
 */
function removal(text: string, file: string, nameAt: number): Report['fix'] {
  const lineStart = Math.max(text.lastIndexOf('\n', nameAt), text.lastIndexOf('\r', nameAt)) + 1;
  ENTRY_LINE.lastIndex = lineStart;
  SETTER_LINE.lastIndex = lineStart;
  INDEX_LINE.lastIndex = lineStart;
  const entry = ENTRY_LINE.exec(text) ?? SETTER_LINE.exec(text) ?? INDEX_LINE.exec(text);
  if (!entry || lineStart + entry[0].indexOf(text[nameAt - 1]) !== nameAt - 1) return undefined;
  return {
    title: 'Remove the request header',
    edits: [{ file, start: lineStart, end: lineStart + entry[0].length, newText: '' }],
  };
}

/**
 * A CORS response header sent on a request (a page's `fetch` headers, an Axios default,
 * `setRequestHeader`): the browser reads these names only on the server's answer, so on a
 * request it changes nothing, and a browser treats it as a custom header whose request needs a
 * preflight that allows it (Fetch standard: only CORS-safelisted request headers skip it).
 */
export const corsHeaderOnRequest: Check = {
  id: 'cors-header-on-request',
  severity: 'info',
  description:
    'A client sends a CORS response header (`Access-Control-Allow-Origin`) on its request: only the server can allow a cross-origin read, and the header only adds a preflight.',
  fix: { description: 'remove the header from the request', safety: 'safe' },
  runOnFile(file) {
    if (!/access-control-/i.test(file.text)) return [];
    const grammar = grammarForText(file.path, file.text);
    if (grammar === 'nginx') return passedUpstream(file.path, file.text);
    if (grammar === 'php') return setOnRequest(file.path, file.text);
    // A test's request runs in Node against its own fixtures (nango's header-redaction test).
    if (isTestModule(file.path, file.text)) return [];
    const reports: Report[] = [];
    const marker = grammar === 'python' ? '#' : '//';
    let seen = 0;
    for (const match of matchesWithinBudget(file.text, NAMED)) {
      if (++seen > MAX_NAMES) break;
      const start = match.index + 1;
      if (inLineComment(file.text, match.index, marker) || inBlockComment(file.text, match.index))
        continue;
      if (!sentByClient(file.text, start)) continue;
      const name = match[1];
      reports.push({
        message:
          `${name} is sent here as a request header, but it is a response header: only the ` +
          `server's answer can allow a cross-origin read, so it does nothing on a request. From a ` +
          `page it also makes the request need a preflight, which fails unless the server's ` +
          `Access-Control-Allow-Headers lists it. Set CORS on the server instead.`,
        span: { file: file.path, start, end: start + name.length },
        fix: removal(file.text, file.path, start),
      });
    }
    return reports;
  },
};

/**
 * nginx's `proxy_set_header Access-Control-Allow-Origin ...`: a header of the request nginx sends
 * the upstream, which the browser never sees (apitable's gateway, held-out batch 19). Removing the
 * line changes nothing the browser gets; `add_header` is what answers it.
 */
function passedUpstream(path: string, text: string): Report[] {
  const reports: Report[] = [];
  for (const match of matchesWithinBudget(text, NGINX_PASSED)) {
    if (reports.length >= MAX_NAMES) break;
    const [line, directive, name] = match;
    const start = match.index + line.indexOf(name);
    reports.push({
      message:
        `${directive} hands ${name} to the upstream server as a request header: the browser never ` +
        `sees it, so it allows nothing. A response header is set with add_header (with \`always\` ` +
        `for error answers), or by the app itself.`,
      span: { file: path, start, end: start + name.length },
      fix: {
        title: 'Remove the request header',
        edits: [{ file: path, start: match.index, end: match.index + line.length, newText: '' }],
      },
    });
  }
  return reports;
}

/**
 * PHP middleware writing a CORS header into the request it was handed (`$request->headers->set`,
 * PSR-7's `$request->withHeader`): pkp-lib (held-out batch 13). The response never carries it.
 */
function setOnRequest(path: string, text: string): Report[] {
  const reports: Report[] = [];
  for (const match of matchesWithinBudget(text, PHP_REQUEST_WRITE)) {
    if (reports.length >= MAX_NAMES) break;
    const [whole, call, name] = match;
    const start = match.index + whole.lastIndexOf(name);
    reports.push({
      message:
        `${call.replace(/\s+/g, '')}(...) writes ${name} into the incoming request's headers: no response ` +
        `carries it, so it allows nothing. Set it on the response (\`$response = $next($request);\` ` +
        `then \`$response->headers->set(...)\`).`,
      span: { file: path, start, end: start + name.length },
    });
  }
  return reports;
}
