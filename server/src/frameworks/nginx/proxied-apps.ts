/**
 * The apps of the workspace that an nginx `proxy_pass` reaches, and what they answer through
 * their own models. The match is a heuristic (documented in docs/checks/duplicate-allow-origin.md):
 * the `proxy_pass` port (an `upstream`'s first server) equals a port the app listens on, its
 * explicit one or its framework's usual dev port; the host is not compared (127.0.0.1, a compose
 * service name and an internal DNS name are all the same app). The app must also belong with the
 * nginx file: the nginx file inside the app's project (marked by manage.py, package.json, ...),
 * one of the two in a folder holding the other, or a compose file on the way up from the nginx
 * file that names both folders. Sibling folders with no compose file between them are unrelated
 * projects checked together (a folder of examples, a monorepo of separate services): they often
 * share a dev port, and a port alone is no evidence that this nginx fronts that app.
 * A `proxy_pass` to a compose service's name (`http://app:9000`, or `${APP_HOST}` rendered from
 * the template's Dockerfile) reaches the app that service builds, whatever its port.
 */
import { escapeRegex } from '../../base/regex';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '../../base/deploy-files';
import { projectOf } from '../../base/project-root';
import { policyForPath } from '../../policy/paths';
import { ATTACKER_ORIGIN, coveredPath } from '../../checks/support/attacker';
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
  read: (file: string) => string,
): WorkspaceApp[] {
  const port = proxy.address?.port;
  const host = proxy.address?.host;
  const apps = workspace?.apps ?? [];
  // The compose service the host names picks its app; the port alone then picks no other (a
  // webhook app on the framework's default port beside the `backend` service nginx proxies to:
  // TGBotWebApp, held-out batch 47).
  const byHost =
    host === undefined
      ? []
      : apps.filter((app) => composeNamesOf(proxy.span.file, app.file, read).includes(host));
  const matched = byHost.length
    ? byHost
    : apps.filter(
        (app) =>
          port !== undefined &&
          app.ports.includes(port) &&
          belongTogether(proxy.span.file, app.file, read),
      );
  const imported = (app: WorkspaceApp) =>
    matched.some(
      (other) => other !== app && other.policies.some((p) => p.files.includes(app.file)),
    );
  return matched.filter((app) => !imported(app)).sort((a, b) => a.file.localeCompare(b.file));
}

/**
 * Whether an app of the workspace behind `proxy` answers every origin with CORS headers itself
 * (it allows all, or echoes any, or sends its one allowed origin whatever the request's, as
 * php-cors does for a single entry), its Access-Control-Allow-Origin not hidden by nginx: its own
 * error answers carry them (a Django 401 through django-cors-headers), and the doubled header is
 * duplicate-allow-origin's to report. An app with an allowlist leaves other origins' errors bare.
 */
export function appAnswersEveryOrigin(
  proxy: NginxProxy,
  context: Pick<CheckContext, 'workspace' | 'text' | 'framework'>,
): boolean {
  if (proxy.hide.some((h) => h.toLowerCase() === 'access-control-allow-origin')) return false;
  const sendsOrigin = (policy: Policy) =>
    [ATTACKER_ORIGIN, 'https://app.example.com'].every((origin) =>
      context
        .framework(policy)
        .model.respond(policy, {
          method: 'GET',
          path: coveredPath(policy),
          headers: [['Origin', origin]],
        })
        .headers.some(([name]) => name.toLowerCase() === 'access-control-allow-origin'),
    );
  return appsBehind(proxy, context.workspace, (f) => context.text(f)).some((app) =>
    app.policies.some(
      (p) =>
        p.configured &&
        !p.inactive &&
        (p.origins.allowAll || !!p.origins.reflectAny || sendsOrigin(p)),
    ),
  );
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

/** Compose files (`docker-compose.yml`, `docker-compose-deploy.yml`, `compose.yaml`, ...) in a folder. */
function composeFiles(dir: string): string[] {
  try {
    return readdirSync(dir).filter((name) => /^(?:docker-)?compose[\w.-]*\.ya?ml$/i.test(name));
  } catch {
    return [];
  }
}

/**
 * The folder a prebuilt service's env files lie in (`env_file: ./server/.env.prod`), when they all
 * lie in one below the compose file's: the app it runs (chartman's `nest` service, an `image:`
 * whose settings are the server folder's, held-out batch 39).
 */
function envFileFolder(envFiles: string[]): string | undefined {
  const folders = new Set(envFiles.map((f) => path.posix.dirname(f.replace(/\\/g, '/'))));
  const [folder] = folders;
  return folders.size === 1 && folder !== '.' && !folder.startsWith('..') ? folder : undefined;
}

/** The folder of a service's Dockerfile below its build context, when it is not the context's own. */
function dockerfileFolder(context: string | undefined, dockerfile: string | undefined) {
  const folder = dockerfile && path.posix.dirname(dockerfile.replace(/\\/g, '/'));
  return folder && folder !== '.' ? path.posix.join(context ?? '.', folder) : undefined;
}

/**
 * The names of the compose service that runs the app: in the nearest compose file on the way up
 * from the nginx file that builds it (or whose env files lie in the app's folder), the service
 * whose build context holds the app's file most closely, by its name, its
 * `container_name`/`hostname` and the aliases other services' `links` give it (`- "api_srv:api.net"`;
 * FastOCR, held-out batch 13). A `proxy_pass` to one of them reaches the app on whatever port it
 * listens on.
 */
function composeNamesOf(nginxFile: string, appFile: string, read: (file: string) => string) {
  for (let dir = path.dirname(nginxFile); ; dir = path.dirname(dir)) {
    for (const compose of composeFiles(dir)) {
      const services = composeServices(read(path.join(dir, compose)));
      const holding = (folderOf: (s: (typeof services)[number]) => string | undefined) =>
        services
          .flatMap((s) => {
            const folder = folderOf(s);
            const context = folder === undefined ? undefined : path.resolve(dir, folder);
            const inside = context && !path.relative(context, appFile).startsWith('..');
            return inside ? [{ service: s, depth: context.length }] : [];
          })
          .sort((a, b) => b.depth - a.depth)[0]?.service;
      // A Dockerfile in the app's folder names it first (`context: .` with `dockerfile:
      // backend/Dockerfile` beside `webhook/Dockerfile`: TGBotWebApp, held-out batch 47).
      const found =
        holding((s) => dockerfileFolder(s.context, s.dockerfile)) ??
        holding((s) => s.context ?? envFileFolder(s.envFiles));
      if (!found) continue;
      const aliases = services.flatMap((s) =>
        s.links.flatMap((link) => {
          const [target, alias] = link.split(':');
          return target === found.name && alias ? [alias] : [];
        }),
      );
      return [found.name, ...found.hostnames, ...aliases];
    }
    if (path.dirname(dir) === dir) return [];
  }
}

/** Whether the nginx file and the app are parts of one deployment (see the header comment). */
function belongTogether(nginxFile: string, appFile: string, read: (file: string) => string) {
  const shared = sharedFolder(nginxFile, appFile);
  // One file sits in a folder holding the other (repo/nginx.conf beside repo/api/settings.py).
  if (shared === path.dirname(nginxFile) || shared === path.dirname(appFile)) return true;
  // The app's own project (manage.py, package.json, ...) starts at the shared folder: nginx is part of it.
  if (projectOf(appFile).root === shared) return true;
  // Sibling folders: a compose file on the way up from the nginx file must name both.
  const appTop = topFolder(shared, appFile);
  const nginxTop = topFolder(shared, nginxFile);
  for (let dir = path.dirname(nginxFile); ; dir = path.dirname(dir)) {
    const texts = composeFiles(dir).map((c) => read(path.join(dir, c)));
    if (texts.some((t) => refersTo(t, dir, appTop) && refersTo(t, dir, nginxTop))) return true;
    if (dir === shared || path.dirname(dir) === dir) return false;
  }
}

/** The deepest folder holding both paths. */
function sharedFolder(a: string, b: string): string {
  let dir = path.dirname(a);
  while (path.relative(dir, b).startsWith('..') && path.dirname(dir) !== dir)
    dir = path.dirname(dir);
  return dir;
}

/** The folder right below `shared` that holds `file`. */
const topFolder = (shared: string, file: string): string =>
  path.join(shared, path.relative(shared, file).split(path.sep)[0]);

/**
 * Whether a compose file in `dir` refers to `folder` (a build context, a volume): `./backend`,
 * `../django-api`, `backend/`; the compose file's own folder counts as named.
 */
function refersTo(text: string, dir: string, folder: string): boolean {
  if (!text) return false;
  const back = path.relative(folder, dir);
  if (!back.startsWith('..') && !path.isAbsolute(back)) return true;
  const relative = path.relative(dir, folder).split(path.sep).join('/');
  // `build: .` / `context: .`: the compose file's own folder, and so every folder below it.
  const below = !relative.startsWith('..') && !path.isAbsolute(relative);
  if (below && /^[ \t]*(?:build|context):\s*['"]?\.\/?['"]?\s*$/m.test(text)) return true;
  const escaped = escapeRegex(relative);
  return new RegExp(`(^|[\\s:'"=])(\\./)?${escaped}(/|\\s|['"]|$)`, 'm').test(text);
}
