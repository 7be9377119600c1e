/**
 * What a PHP script that writes its CORS headers by hand sends: the extractor's steps replayed
 * for one request, taking the branches the request's method and headers pick. Checked against
 * Debian's PHP 8.2 built-in server (`php -S`) by test/truth/php-handset.test.ts (fixtures under
 * test/fixtures/truth/php).
 *
 * PHP's own rules it follows: `header('Name: v')` drops every earlier line of that name and adds
 * its line last, `header('Name: v', false)` adds one; `http_response_code(n)`, a third argument or
 * an `HTTP/1.1 n` line set the status (200 otherwise); `exit`/`die` end the request, `return` ends
 * a function; a missing `$_SERVER['HTTP_ORIGIN']` reads as null (`''` in a string); `$_GET`
 * holds the URL's query parameters (`==` compares numeric strings as numbers); `isset()`
 * holds for an empty header, a bare value does not (`''` and `'0'` are false); `preg_match`
 * searches anywhere, PCRE's `$` also matching before a final newline.
 *
 * Assumptions, because the model sees the CORS code and not the whole app: the script runs for
 * every path; functions the file defines but does not call itself (middleware, WordPress hooks,
 * Laravel/Symfony/PSR-7 response code) run after it, in file order, on every response. A condition
 * it cannot read counts as false. Only the headers the code writes are listed.
 */
import type { HeaderList, HttpRequest, HttpResponse } from '../../fetch/types';
import type { PhpCondition, PhpHandsetFacts, PhpHeader, PhpStep, PhpValue } from './facts';
import { type Policy, factsOf } from '../../policy/types';
import { pcreToJs } from '../../lang/php/regex';
import type { LibraryModel } from '../../replay/library-model';
import { conditionHolds } from '../../replay/handset-conditions';

/** The request as the script sees it: its method as sent, its headers by lower-case name. */
interface Seen {
  method: string;
  headers: Map<string, string>;
}

/** PHP 8's `==` on two strings: numerically when both are numeric strings, else exactly. */
const NUMERIC = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
function looselyEqual(a: string, b: string): boolean {
  return NUMERIC.test(a) && NUMERIC.test(b) ? Number(a) === Number(b) : a === b;
}

/**
 * The query parameters as `$_GET` holds them, under `?name` (the readers' pseudo-header): the
 * last of a repeated name wins; `a[]=1` arrays and PHP's renaming of `.` and spaces are left out.
 */
function queryOf(path: string, into: Map<string, string>): void {
  const query = path.includes('?') ? path.slice(path.indexOf('?') + 1).split('#')[0] : '';
  for (const [name, value] of new URLSearchParams(query))
    if (!/[[.\s]/.test(name)) into.set(`?${name}`, value);
}

/** Where a run stopped: at the end, a `return` (ends the function), an `exit` (ends the request). */
type Stop = 'end' | 'return' | 'exit';

interface Out {
  headers: HeaderList;
  status: number;
  undecided?: boolean;
}

/** PHP's leaves: the method as sent (or upper-cased), the headers as `$_SERVER` has them. */
function leaf(test: PhpCondition, seen: Seen): boolean {
  const origin = seen.headers.get('origin');
  switch (test.kind) {
    case 'method':
      return test.methods.includes(test.caseless ? seen.method.toUpperCase() : seen.method);
    case 'origin-in': {
      const value = origin ?? test.absent;
      return value !== undefined && test.values.includes(value);
    }
    case 'origin-match':
      return !!pcreToJs(test.pattern, test.modifiers)?.test(origin ?? '');
    case 'query-is': {
      const value = seen.headers.get(`?${test.param}`);
      return (
        value !== undefined && (test.loose ? looselyEqual(value, test.value) : value === test.value)
      );
    }
    case 'header-present': {
      const value = seen.headers.get(test.header);
      return value !== undefined && (!test.truthy || (value !== '' && value !== '0'));
    }
    default:
      return false;
  }
}

const holds = (test: PhpCondition, seen: Seen): boolean =>
  conditionHolds(test, (t) => leaf(t, seen));

/** Whether a test's answer hangs on a condition the reader could not read (`unknown` counts as false). */
const undecidable = (test: PhpCondition, seen: Seen): boolean =>
  holds(test, seen) !== conditionHolds(test, (t) => (t.kind === 'unknown' ? true : leaf(t, seen)));

/** Whether steps write Access-Control-Allow-Origin anywhere (in branches and called functions too). */
const writesOrigin = (steps: PhpStep[]): boolean =>
  steps.some((step) =>
    step.kind === 'header'
      ? /^access-control-allow-origin$/i.test(step.name)
      : step.kind === 'if'
        ? writesOrigin(step.then) || writesOrigin(step.otherwise)
        : step.kind === 'call' && writesOrigin(step.steps),
  );

const text = (value: PhpValue, seen: Seen): string | undefined =>
  value.kind === 'literal'
    ? value.value
    : value.kind === 'request'
      ? (seen.headers.get(value.header) ?? value.absent ?? '').trim()
      : undefined;

/** PHP's `header()`: replacing drops every line of the name and appends the new one. */
function write(out: Out, header: PhpHeader, seen: Seen): void {
  const value = text(header.value, seen);
  if (value === undefined) return;
  const lower = header.name.toLowerCase();
  if (header.op === 'set') out.headers = out.headers.filter(([n]) => n.toLowerCase() !== lower);
  out.headers.push([header.name, value]);
}

function run(steps: PhpStep[], seen: Seen, out: Out): Stop {
  for (const step of steps) {
    if (step.kind === 'header') write(out, step, seen);
    else if (step.kind === 'status')
      out.status = typeof step.status === 'number' ? step.status : out.status;
    else if (step.kind === 'call') {
      if (run(step.steps, seen, out) === 'exit') return 'exit';
    } else if (step.kind === 'if') {
      const taken = holds(step.test, seen);
      if (!out.undecided && undecidable(step.test, seen))
        out.undecided = writesOrigin(taken ? step.otherwise : step.then);
      const stop = run(taken ? step.then : step.otherwise, seen, out);
      if (stop !== 'end') return stop;
    } else return step.kind;
  }
  return 'end';
}

/** Replays the script, then the functions it does not call itself, for one request. */
function respond(facts: PhpHandsetFacts, request: HttpRequest): HttpResponse {
  const headers = new Map<string, string>();
  for (const [name, value] of request.headers) {
    const lower = name.toLowerCase();
    headers.set(
      lower,
      headers.has(lower) ? `${headers.get(lower)}, ${value.trim()}` : value.trim(),
    );
  }
  queryOf(request.path, headers);
  const seen: Seen = { method: request.method, headers };
  const out: Out = { headers: [], status: 200 };
  for (const handler of facts.handlers) if (run(handler.steps, seen, out) === 'exit') break;
  return { status: out.status, headers: out.headers, ...(out.undecided && { undecided: true }) };
}

/** Hand-written PHP CORS headers as a {@link LibraryModel}. */
export const phpHandset: LibraryModel = {
  library: 'hand-set headers (PHP 8.2)',
  respond(policy: Policy, request: HttpRequest): HttpResponse {
    const facts = factsOf(policy, 'php-handset');
    return facts ? respond(facts, request) : { status: 200, headers: [] };
  },
};
