import { LineIndex } from '../../base/positions';
import path from 'node:path';
import { preview, type Preview } from '../../replay/replay';
import type { CorsRequest } from '../../fetch';
import { coversPath } from '../../policy/paths';
import type { Policy, Span } from '../../policy/types';
import type { FrontendCall, WorkspaceApp } from '../../workspace/types';
import { USUAL_FRONTEND_ORIGINS } from '../../workspace/frontend-dev-server';
import type { CheckContext } from '../types';

/** Hosts a frontend in the same workspace reaches its own backend on during development. */
const LOCAL_HOST =
  /^(?:localhost|127\.0\.0\.1|\[::1\]|0\.0\.0\.0|[\w.-]+\.(?:localhost|local|test))$/i;

/**
 * The origin a frontend call comes from, as one the policy lets in (undefined: none known): the
 * call's page origin (its project's dev server) when the policy lets that in, else an origin the
 * policy lists; for allow-all, the page's origin, the user's first allowed origin, else the usual
 * frontend dev origin.
 */
export function frontendOrigin(
  policy: Policy,
  context: CheckContext,
  call?: Pick<FrontendCall, 'pageOrigin'>,
): string | undefined {
  const page = call?.pageOrigin;
  if (page && policy.origins.exact.some((o) => o.value === page)) return page;
  // Only an origin in the form browsers send (malformed entries are malformed-origin's business).
  const listed = policy.origins.exact.find((o) =>
    /^https?:\/\/[a-z0-9.-]+(?::\d+)?$/.test(o.value),
  )?.value;
  if (listed || policy.origins.dynamic || policy.origins.reflectAny) return listed;
  if (policy.origins.allowAll)
    return page ?? context.allowedOrigins[0] ?? USUAL_FRONTEND_ORIGINS[0];
  return undefined;
}

/**
 * Whether a call's port can reach the policy's dev server (a workspace may hold several backends):
 * one of the framework's ports, and one its code listens on when the code says (a Node script's
 * fetch to Mailpit on 8025 is not for the test server that listens on 3456; langwatch, held-out
 * batch 10).
 */
function portFits(policy: Policy, url: URL, context: CheckContext): boolean {
  if (!url.port) return true;
  const ports = context.framework(policy).devServer.callPorts;
  const apps = context.workspace?.apps;
  const own = apps?.find((app) => app.file === policy.file);
  const listens = own?.listens;
  const port = Number(url.port);
  // Ports an app's code names (`ports` is the code's when `listens` is known): a call to a port
  // another app's code listens on, and this one's does not, is that app's (localGPT's backend on
  // 8000 beside its RAG server on 8001, one compose file publishing both: held-out batch 24).
  const codeSays = (app: WorkspaceApp) => !!app.listens?.length && app.ports.includes(port);
  if ((!own || !codeSays(own)) && apps?.some((app) => app !== own && codeSays(app))) return false;
  return (!ports || ports.includes(port)) && (!listens?.length || listens.includes(port));
}

/**
 * The workspace's calls to a local backend whose path this policy covers. Calls to other hosts
 * (a deployed API, a third-party service) cannot be tied to a server in the workspace.
 */
export function callsTo(policy: Policy, context: CheckContext): { call: FrontendCall; url: URL }[] {
  return (context.workspace?.calls ?? []).flatMap((call) => {
    const url = parsedUrl(call);
    return url &&
      sendable(call) &&
      LOCAL_HOST.test(url.hostname) &&
      portFits(policy, url, context) &&
      coversPath(policy, url.pathname)
      ? [{ call, url }]
      : [];
  });
}

/**
 * Whether a browser sends the call at all: `fetch` and `setRequestHeader` throw a TypeError for
 * a header name that is not an HTTP token or a value with a character over U+00FF, NUL, CR or
 * LF, before any request goes out.
 */
export const sendable = (call: Pick<FrontendCall, 'headers'>): boolean =>
  call.headers.every(
    ([name, value]) =>
      /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name) && /^[^\0\r\n\u0100-\uffff]*$/.test(value),
  );

/** Each call's URL parsed once: every policy of a run asks about every call. */
const parsed = new WeakMap<FrontendCall, URL | null>();

function parsedUrl(call: FrontendCall): URL | undefined {
  let url = parsed.get(call);
  if (url === undefined) {
    try {
      url = new URL(call.url);
    } catch {
      url = null;
    }
    parsed.set(call, url);
  }
  return url ?? undefined;
}

/** What the browser does with one call against this policy, from `origin`. */
export function replay(
  policy: Policy,
  call: Pick<FrontendCall, 'url' | 'method' | 'headers' | 'credentials'>,
  origin: string,
  context: CheckContext,
): Preview {
  const req: CorsRequest = {
    url: call.url,
    origin,
    method: call.method,
    headers: call.headers,
    credentials: call.credentials,
  };
  return preview(policy, context.framework(policy).model, req);
}

/** `file:line` of a span, relative to the policy's folder. */
export function where(span: Span, from: string, context: CheckContext): string {
  const line = new LineIndex(context.text(span.file)).position(span.start).line + 1;
  return `${path.relative(path.dirname(from), span.file) || path.basename(span.file)}:${line}`;
}

/**
 * `folder/file:line` of a span as seen from another file: relative to the folder both share (the
 * workspace, usually), so `backend/settings.py:14` reads the same from any frontend file.
 */
export function workspaceWhere(span: Span, from: string, context: CheckContext): string {
  let shared = path.dirname(from);
  while (shared !== path.dirname(shared) && path.relative(shared, span.file).startsWith('..'))
    shared = path.dirname(shared);
  const line = new LineIndex(context.text(span.file)).position(span.start).line + 1;
  return `${path.relative(shared, span.file)}:${line}`;
}

/** A span in the policy's own file to report on: `preferred` when it is there, else where the setup is. */
export function ownSpan(policy: Policy, ...preferred: (Span | undefined)[]): Span {
  return (
    preferred.find((s) => s?.file === policy.file) ??
    (policy.at?.file === policy.file ? policy.at : { file: policy.file, start: 0, end: 0 })
  );
}
