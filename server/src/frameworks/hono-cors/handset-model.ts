/**
 * A hand-written Hono middleware replayed for one request (hono 4.13.23's `Context`, checked
 * against the real packages by test/truth/hono-cors.test.ts): `c.header` writes on the headers
 * every answer built with `c.body/text/json/newResponse` starts from, Hono's 404 included, and
 * after `await next()` on the route's answer itself; `undefined` deletes, `{ append: true }`
 * appends. A `new Response(...)` the middleware returns carries only its own headers, which
 * @hono/node-server sends in the order written (a `Headers` object sends names sorted).
 */
import type { HeaderList, HttpRequest, HttpResponse } from '../../fetch/types';
import { requestHeader } from '../../lang/javascript/cors-package/respond';
import type { HonoCondition, HonoHandsetFacts, HonoStep, HonoValue } from './facts';

/** The request as the middleware reads it, and the status the routes answer it with. */
interface Replay {
  request: HttpRequest;
  origin: string | undefined;
  routeStatus: () => number;
}

/** What a value is for this request; undefined deletes the header, null leaves it alone. */
function valueOf(value: HonoValue, replay: Replay): string | undefined | null {
  if (value.kind === 'literal') return value.value;
  if (value.kind === 'undefined') return undefined;
  if (value.kind === 'dynamic') return null;
  const { fallback } = value;
  const origin = replay.origin;
  if (fallback && (fallback.whenEmpty ? !origin : origin === undefined)) return fallback.value;
  return origin;
}

function holds(test: HonoCondition, replay: Replay): boolean {
  switch (test.kind) {
    case 'method':
      return test.methods.includes(replay.request.method);
    case 'origin-present':
      return !!replay.origin;
    case 'origin-in':
      return replay.origin !== undefined && test.values.includes(replay.origin);
    case 'not':
      return !holds(test.inner, replay);
    case 'and':
      return test.parts.every((p) => holds(p, replay));
    case 'or':
      return test.parts.some((p) => holds(p, replay));
    default:
      // A test the extractor could not read is taken as false.
      return false;
  }
}

function write(headers: Headers, name: string, value: string | undefined | null, append = false) {
  if (value === null) return;
  if (value === undefined) headers.delete(name);
  else if (append) headers.append(name, value);
  else headers.set(name, value);
}

interface State {
  headers: Headers;
  status?: number;
  /** The route's status once `next()` ran. */
  routed?: number;
}

/** Runs steps; the answer when they end the middleware. */
function run(steps: HonoStep[], replay: Replay, state: State): HttpResponse | undefined {
  for (const step of steps) {
    if (step.kind === 'header')
      write(state.headers, step.name, valueOf(step.value, replay), step.append);
    else if (step.kind === 'status') state.status = step.status;
    else if (step.kind === 'if') {
      const ended = run(holds(step.test, replay) ? step.then : step.otherwise, replay, state);
      if (ended) return ended;
    } else if (step.kind === 'next') {
      state.routed ??= replay.routeStatus();
      if (step.ends) return answer(state.headers, state.routed);
    } else if (step.raw) {
      // @hono/node-server sends a Response's own init object as it is, in its order.
      const headers: HeaderList = step.headers.flatMap((h) => {
        const value = valueOf(h.value, replay);
        return typeof value === 'string' ? [[h.name, value] as [string, string]] : [];
      });
      return { status: step.status ?? 200, headers };
    } else {
      for (const h of step.headers) write(state.headers, h.name, valueOf(h.value, replay));
      return answer(state.headers, step.status ?? state.status ?? 200);
    }
  }
  return undefined;
}

const answer = (headers: Headers, status: number): HttpResponse => ({
  status,
  headers: [...headers.entries()].map(([n, v]) => [n, v]),
});

/** The answer of a hand-written middleware; `routeStatus` is what the app's routes answer. */
export function handsetRespond(
  facts: HonoHandsetFacts,
  request: HttpRequest,
  routeStatus: () => number,
): HttpResponse {
  const replay = { request, origin: requestHeader(request.headers, 'Origin'), routeStatus };
  const state: State = { headers: new Headers() };
  const ended = run(facts.steps, replay, state);
  if (ended) return ended;
  // Neither an answer nor `next()`: Hono's "Context is not finalized" error, a bare 500.
  return state.routed === undefined
    ? { status: 500, headers: [] }
    : answer(state.headers, state.routed);
}
