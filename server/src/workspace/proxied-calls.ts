/**
 * Calls that work through the dev server's proxy and go cross-origin once built for production:
 * the file's calls read again with the production env files (`.env.production`, `import.meta.env.PROD`),
 * kept when their development URL was not cross-origin (relative, or to the dev server itself)
 * and a proxy forwards their production path.
 */
import type { SourceTree } from '../parsing/source-tree';
import { collectFrontendCalls } from './frontend-calls';
import type { FrontendProject } from './frontend-project';
import { devServerOrigin } from './dev-proxy';
import type { FrontendCall, ProxiedCall } from './types';

const forwards = (prefix: string, pathname: string): boolean =>
  prefix === '/' || pathname === prefix || pathname.startsWith(prefix.replace(/\/+$/, '') + '/');

/** The calls of `file` a dev proxy makes same-origin in development and production makes cross-origin. */
export function proxiedCalls(
  file: string,
  tree: SourceTree,
  development: FrontendCall[],
  project: FrontendProject,
  production: FrontendProject,
): ProxiedCall[] {
  return collectFrontendCalls(file, tree, production).flatMap((call) => {
    // Cross-origin in development too: the direct-call checks cover it.
    if (development.some((d) => d.span.start === call.span.start)) return [];
    let pathname: string;
    try {
      pathname = new URL(call.url).pathname;
    } catch {
      return [];
    }
    const proxy = project.proxies.find((p) => forwards(p.path, pathname));
    if (!proxy) return [];
    const devOrigin = devServerOrigin(project.vite);
    return [
      {
        call,
        proxy,
        ...(devOrigin ? { devOrigin } : {}),
        productionOrigins: production.productionOrigins,
      },
    ];
  });
}
