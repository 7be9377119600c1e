/** The probe panel's first guess at the dev server's URL, from the policy that configures it. */
import { frameworkOf } from '../frameworks';
import type { Policy } from '../policy/types';
import { regexMatches } from '../base/regex';
import { coversPath } from '../policy/paths';
import type { SourceReader } from '../base/source-reader';
import { serverPortOf } from '../analysis/server-ports';

/**
 * The literal path a path regex starts with (`^/api/.*$` → `/api/`), `/` when it has none;
 * escaped characters are taken literally, the first other metacharacter ends it.
 */
export function pathPrefix(regex: string): string {
  let out = '';
  for (let i = regex.startsWith('^') ? 1 : 0; i < regex.length; i++) {
    const c = regex[i];
    if (c === '\\' && i + 1 < regex.length && !/[A-Za-z0-9]/.test(regex[i + 1])) out += regex[++i];
    else if (/[.*+?()[\]{}|^$\\]/.test(c)) break;
    else out += c;
  }
  // A quantifier after the last literal makes it optional: drop it.
  if (/^[*?{]/.test(regex.slice((regex.startsWith('^') ? 1 : 0) + out.length)))
    out = out.slice(0, -1);
  return out.startsWith('/') ? out : '/';
}

/**
 * A request path the policy covers: a route it was read from (a hand-set handler's), else the
 * literal start of its path filter (`CORS_URLS_REGEX`, a Flask-CORS resource, an Express mount),
 * else, for a layer over the whole app, an app route it runs for (the framework's `coveredRoutes`).
 */
export function coveredPathOf(policy: Policy): string {
  if (policy.samplePath) return policy.samplePath;
  const urlRegex = policy.urlRegex;
  if (typeof urlRegex !== 'string') {
    // A layer over the whole app: a route it runs for (`/api/items`) says more than `/` (a 404).
    const route = frameworkOf(policy)
      .devServer.coveredRoutes?.(policy)
      .find((p) => p !== '/' && coversPath(policy, p));
    return route ?? '/';
  }
  const prefix = pathPrefix(urlRegex);
  // A route's parameter ends the literal start (`/items/:id` → `/items/`): give it a value.
  return (
    [prefix, `${prefix}1`].find((p) => regexMatches(urlRegex, 'python-match', '', p)) ?? prefix
  );
}

/**
 * `http://127.0.0.1:<port><path the policy covers>`: `port` as the workspace says (see
 * `serverPortOf`), else the framework's usual dev port (8000 without a policy).
 */
export function suggestedUrl(policy: Policy | undefined, port?: number): string {
  const listening = port ?? (policy ? frameworkOf(policy).devServer.port : 8000);
  const path = policy ? coveredPathOf(policy) : '/';
  const host = listening === 80 ? '127.0.0.1' : `127.0.0.1:${listening}`;
  return `http://${host}${path}`;
}

/**
 * The dev-server URL of `policy`'s app as its workspace says (its code's `listen`, a launch
 * command, `.env`'s `PORT`, nginx's `listen`), and why; `root` bounds the launch files read.
 */
export async function suggestedServerUrl(
  policy: Policy,
  reader: SourceReader,
  root: string,
): Promise<{ url: string; why: string }> {
  const port = await serverPortOf(policy, reader, root);
  return { url: suggestedUrl(policy, port.port), why: port.why };
}
