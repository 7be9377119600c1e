/**
 * Which server of the workspace answered a URL: by port (written in the app, in a launch command,
 * or the framework's usual dev port) when the host is local, and by path (the policy whose path
 * filter covers it). Several may fit; each gets a score and the reasons behind it.
 */
import { frameworkOf } from '../frameworks';
import { coversPath, policyForPath } from '../policy/paths';
import type { Policy } from '../policy/types';
import type { WorkspaceServer } from './servers';
import type { Candidate } from './types';

/** Hosts a developer's browser reaches a workspace's own servers on. */
const LOCAL_HOST =
  /^(?:localhost|127\.\d+\.\d+\.\d+|\[::1\]|0\.0\.0\.0|[\w.-]+\.(?:localhost|local|test))$/i;

/** A located server: the candidate shown to the user, and the policy that answers the path. */
export interface Located {
  candidate: Candidate;
  server: WorkspaceServer;
  policy: Policy;
}

/** A path filter that says something (not "every path"). */
const narrowFilter = (policy: Policy): policy is Policy & { urlRegex: string } =>
  typeof policy.urlRegex === 'string' && !/^\^?(?:\.\*|\/\.\*|\/?)\$?$/.test(policy.urlRegex);

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** Scores one server for the URL; undefined when it cannot have answered. */
function score(server: WorkspaceServer, url: URL | undefined): Located | undefined {
  const pathname = url?.pathname ?? '/';
  const policy = policyForPath(server.policies, pathname);
  if (!policy) return undefined;
  const reasons: string[] = [];
  let points = 0;
  if (url && LOCAL_HOST.test(url.hostname)) {
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const known = server.ports.find((p) => p.port === port);
    if (known) {
      points += known.strength === 'explicit' ? 4 : 2;
      reasons.push(known.why);
    } else {
      points -= 3;
      reasons.push(`it listens on ${server.ports.map((p) => p.port).join(', ')}, not ${port}`);
    }
  } else if (url) {
    reasons.push(`${url.host} is not a local address: matched by path only`);
  }
  if (narrowFilter(policy) && coversPath(policy, pathname)) {
    points += 2;
    reasons.push(`its path filter '${policy.urlRegex}' covers ${pathname}`);
  } else if (!coversPath(policy, pathname)) {
    points -= 2;
    reasons.push(`no path filter of ${frameworkOf(policy).name} here covers ${pathname}`);
  }
  const name = frameworkOf(server).name;
  return {
    candidate: { file: server.file, framework: name, score: points, reasons },
    server,
    policy,
  };
}

/** The servers that may have answered `url`, likeliest first (ties keep the workspace's order). */
export function locate(url: string, servers: WorkspaceServer[]): Located[] {
  const parsed = parse(url);
  return servers
    .flatMap((s) => score(s, parsed) ?? [])
    .map((located, order) => ({ located, order }))
    .sort((a, b) => b.located.candidate.score - a.located.candidate.score || a.order - b.order)
    .map(({ located }) => located);
}
