/**
 * The apps of the workspace that an nginx `proxy_pass` reaches, and what they answer through
 * their own models. The match is a heuristic (documented in docs/checks/duplicate-allow-origin.md):
 * the `proxy_pass` port (an `upstream`'s first server) equals a port the app listens on, its
 * explicit one or its framework's usual dev port; the host is not compared (127.0.0.1, a compose
 * service name and an internal DNS name are all the same app).
 */
import { policyForPath } from '../../policy/paths';
import type { NginxProxy, ProxiedApp } from './model';
import type { Policy } from '../../policy/types';
import type { CheckContext } from '../../checks/types';
import type { WorkspaceApp, WorkspaceFacts } from '../../workspace/types';

/**
 * The apps listening where `proxy` points. An app whose settings another match imports (Django base
 * settings) is that match's part, not another app.
 */
export function appsBehind(
  proxy: NginxProxy,
  workspace: WorkspaceFacts | undefined,
): WorkspaceApp[] {
  const port = proxy.address?.port;
  const matched = (workspace?.apps ?? []).filter(
    (app) => port !== undefined && app.ports.includes(port),
  );
  const imported = (app: WorkspaceApp) =>
    matched.some(
      (other) => other !== app && other.policies.some((p) => p.files.includes(app.file)),
    );
  return matched.filter((app) => !imported(app)).sort((a, b) => a.file.localeCompare(b.file));
}

/** The app's policy for a forwarded path (the one its library applies there). */
export const appPolicyFor = (app: WorkspaceApp, path: string): Policy | undefined =>
  policyForPath(app.policies, path);

/** The app as nginx's upstream: its library's model answers the forwarded request. */
export function answeredBy(
  app: WorkspaceApp,
  context: Pick<CheckContext, 'framework'>,
): ProxiedApp {
  return (_proxy, request) => {
    const policy = appPolicyFor(app, request.path);
    return policy && context.framework(policy).model.respond(policy, request);
  };
}
