/**
 * Calls whose target changes once built for production: the file's calls read again with the
 * production env files (`.env.production`, `import.meta.env.PROD`), kept when
 * - their development URL was not cross-origin (relative, or to the dev server itself) and a dev
 *   proxy forwards their production path: same-origin in development, cross-origin in production;
 * - or their development URL is a local API (`http://localhost:8000` from `.env.development`)
 *   and the production build calls another, non-local origin: a direct call whose production
 *   target meets production's settings.
 */
import type { SourceTree } from '../parsing/source-tree';
import { collectFrontendCalls } from './frontend-calls';
import type { FrontendProject } from './frontend-project';
import { devServerOrigin } from './dev-proxy';
import type { FrontendCall, ProxiedCall } from './types';

const forwards = (prefix: string, pathname: string): boolean =>
  prefix === '/' || pathname === prefix || pathname.startsWith(prefix.replace(/\/+$/, '') + '/');

const LOCAL = /^(?:localhost|127\.0\.0\.1|\[::1\]|0\.0\.0\.0)$/i;

/** The URL of a call, parsed (undefined when it is not absolute). */
function urlOf(call: FrontendCall): URL | undefined {
  try {
    return new URL(call.url);
  } catch {
    return undefined;
  }
}

/** The calls of `file` whose target differs between development and production (see above). */
export function proxiedCalls(
  file: string,
  tree: SourceTree,
  development: FrontendCall[],
  project: FrontendProject,
  production: FrontendProject,
): ProxiedCall[] {
  const productionOrigins = production.productionOrigins;
  return collectFrontendCalls(file, tree, production).flatMap((call): ProxiedCall[] => {
    const url = urlOf(call);
    if (!url) return [];
    const dev = development.find((d) => d.span.start === call.span.start);
    if (dev) {
      // Cross-origin in both builds: a direct call, kept when it moves from a local API to
      // another origin (the same target in both is the direct-call checks' case).
      const local = urlOf(dev);
      if (!local || !LOCAL.test(local.hostname) || LOCAL.test(url.hostname)) return [];
      if (local.origin === url.origin) return [];
      const devOrigin = dev.pageOrigin;
      return [{ call, development: dev, ...(devOrigin ? { devOrigin } : {}), productionOrigins }];
    }
    const proxy = project.proxies.find((p) => forwards(p.path, url.pathname));
    if (!proxy) return [];
    const devOrigin = devServerOrigin(project.vite);
    return [{ call, proxy, ...(devOrigin ? { devOrigin } : {}), productionOrigins }];
  });
}
