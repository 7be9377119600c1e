/**
 * What a Sinatra 3.0.5 app (Debian's ruby-sinatra, on Rack 2.2 and rack-protection 3.0.5) sends
 * when it writes its CORS headers by hand: the filters and routes the extractor read, replayed in
 * Sinatra's order; checked against real Sinatra 3.0.5 under Puma 5.6 by
 * test/truth/sinatra.test.ts.
 *
 * sinatra-cross_origin is not packaged by Debian, so no real copy of it could run here: its helper
 * is modelled from its source (britg/sinatra-cross_origin, lib/sinatra/cross_origin.rb at commit
 * 4eb175a; the gemspec read says 0.3.1). The helper runs as a `before` filter registered with the
 * extension (before the app's own filters) when `:cross_origin` is enabled, or where a route calls
 * `cross_origin`; it does nothing without an Origin header, and merges, in order,
 * Allow-Origin (the request's Origin for `:any`), Allow-Methods (`m.to_s.upcase!` joined: a name
 * already in upper case becomes empty), Allow-Headers, Allow-Credentials (default `true`),
 * Max-Age and Expose-Headers. `cross_origin(hash)` also changes the global settings for later
 * requests, which the model does not follow. Its `registered` (read again at 0.4.0, commit
 * 10c4513) sets every setting back to its default, `cross_origin` to false: the extractor drops
 * settings written before a `register Sinatra::CrossOrigin` (see `registration.ts`). Its require
 * ends `module Sinatra; register CrossOrigin; end`, which reaches the classic app only: a
 * `Sinatra::Base` subclass that does not register it gets none of its headers (the extractor).
 *
 * What Sinatra itself does that matters:
 * - Rack::Protection's HttpOrigin is on by default, but Sinatra sets its reaction to
 *   `:drop_session`: a cross-origin POST/PUT/PATCH/DELETE is not refused, it reaches the app
 *   without its session (so cookie-authenticated writes from another origin act signed out).
 * - `before` filters run in order, then the first route whose verb and pattern match (a GET route
 *   answers HEAD; an unrouted request is a 404, an OPTIONS without a route too), then `after`
 *   filters, also after a `halt` or a 404. A header set again keeps its place when spelled the
 *   same (Rack::Utils::HeaderHash), else moves to the end.
 *
 * Assumptions: the Origin is never the app's own URL; the request has no Referer (JsonCsrf); a
 * condition the model cannot read counts as false, a status it cannot read as 200; only the
 * access-control-* and Vary lines are listed.
 */
import type { HeaderList, HttpRequest, HttpResponse } from '../../fetch/types';
import type { RubyCondition, RubyStep, RubyValueOf } from '../../lang/ruby/handset';
import { type Policy, factsOf } from '../../policy/types';
import type { LibraryModel } from '../../replay/library-model';
import { conditionHolds, requestLeaf } from '../../replay/handset-conditions';
import type { CrossOriginFacts, SinatraFacts, SinatraHandler } from './facts';

interface Seen {
  method: string;
  path: string;
  origin?: string;
}

/** Ruby's truth: any Origin, even an empty one, is true. */
const holds = (test: RubyCondition, seen: Seen): boolean =>
  conditionHolds(test, (leaf) => requestLeaf(leaf, seen, (origin) => origin !== undefined));

/** Rack::Utils::HeaderHash `[]=`. */
function set(headers: HeaderList, name: string, value: string): void {
  const at = headers.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
  if (at >= 0 && headers[at][0] === name) headers[at] = [name, value];
  else {
    if (at >= 0) headers.splice(at, 1);
    headers.push([name, value]);
  }
}

const text = (value: RubyValueOf, seen: Seen): string | undefined =>
  value.kind === 'literal' ? value.value : value.kind === 'origin' ? seen.origin : undefined;

/** The helper of sinatra-cross_origin. */
function crossOrigin(cross: CrossOriginFacts, seen: Seen, headers: HeaderList): void {
  if (seen.origin === undefined) return;
  const origin = cross.origin.value === ':any' ? seen.origin : cross.origin.value;
  const lines: [string, string | undefined][] = [
    ['Access-Control-Allow-Origin', origin],
    [
      'Access-Control-Allow-Methods',
      cross.methods.value === ':any' ? undefined : cross.methods.value,
    ],
    [
      'Access-Control-Allow-Headers',
      cross.headers.value === ':any' ? undefined : cross.headers.value,
    ],
    [
      'Access-Control-Allow-Credentials',
      cross.credentials.value === ':any' ? undefined : cross.credentials.value,
    ],
    ['Access-Control-Max-Age', cross.maxAge.value === ':any' ? undefined : cross.maxAge.value],
    [
      'Access-Control-Expose-Headers',
      cross.expose.value === ':any' ? undefined : cross.expose.value,
    ],
  ];
  for (const [name, value] of lines) if (value !== undefined) set(headers, name, value);
}

interface Run {
  headers: HeaderList;
  status?: number;
  halted: boolean;
}

/** Runs a handler's steps; true when it stopped (a `return`, `halt`, or the route's value). */
function run(steps: RubyStep[], seen: Seen, out: Run, facts: SinatraFacts): boolean {
  for (const step of steps) {
    if (step.kind === 'header') {
      const value = text(step.value, seen);
      if (value !== undefined) set(out.headers, step.name, value);
    } else if (step.kind === 'call') {
      if (step.name === 'cross_origin' && facts.crossOrigin)
        crossOrigin(facts.crossOrigin, seen, out.headers);
    } else if (step.kind === 'exit') return true;
    else if (step.kind === 'return') {
      out.status = typeof step.status === 'number' ? step.status : 200;
      if (step.halt) out.halted = true;
      return true;
    } else if (run(holds(step.test, seen) ? step.then : step.otherwise, seen, out, facts))
      return true;
  }
  return false;
}

const matches = (handler: SinatraHandler, path: string) =>
  handler.regex === null || new RegExp(`^(?:${handler.regex})`).test(path);

function respond(facts: SinatraFacts, request: HttpRequest): HttpResponse {
  const origins = request.headers.filter(([n]) => n.toLowerCase() === 'origin').map(([, v]) => v);
  // A lower-case `patch` reaches the PATCH route (checked against Puma and Sinatra).
  const seen: Seen = {
    method: request.method.toUpperCase(),
    path: decodeURI(request.path.replace(/[?#].*$/s, '')),
    origin: origins.length ? origins.join(', ') : undefined,
  };
  const out: Run = { headers: [], halted: false };
  if (facts.crossOrigin?.enabled) crossOrigin(facts.crossOrigin, seen, out.headers);
  for (const filter of facts.handlers.filter(
    (h) => h.stage === 'before' && matches(h, seen.path),
  )) {
    run(filter.steps, seen, out, facts);
    if (out.halted) break;
  }
  if (!out.halted) {
    const route = facts.handlers.find(
      (h) => h.stage === 'route' && h.methods?.includes(seen.method) && matches(h, seen.path),
    );
    if (route) {
      out.status = undefined;
      run(route.steps, seen, out, facts);
      out.status ??= 200;
    } else out.status = 404;
  }
  for (const filter of facts.handlers.filter((h) => h.stage === 'after' && matches(h, seen.path)))
    run(filter.steps, seen, { ...out, halted: false }, facts);
  return { status: out.status ?? 200, headers: out.headers };
}

/** Hand-set headers in Sinatra 3.0.5 (and sinatra-cross_origin, from its source) as a {@link LibraryModel}. */
export const sinatraModel: LibraryModel = {
  library: 'Sinatra 3.0.5 (hand-set headers, sinatra-cross_origin from source)',
  respond(policy: Policy, request: HttpRequest): HttpResponse {
    const facts = factsOf(policy, 'sinatra');
    return facts ? respond(facts, request) : { status: 200, headers: [] };
  },
};
