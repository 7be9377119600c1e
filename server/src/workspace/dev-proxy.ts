/**
 * What differs between a frontend's development and production origins: the dev server's proxy
 * (a call through it is same-origin in development, so no CORS applies there) and the origins the
 * production frontend is served from. Read statically from the project's own files:
 * - proxies: Vite `server.proxy` (vite.config.*), Create React App's `"proxy"` (package.json),
 *   Next.js `rewrites()` (next.config.*), webpack `devServer.proxy` (webpack.config.*);
 * - production origins: the counterpart of an `api.` URL in `.env.production` (the site of
 *   `https://api.example.com` is `https://example.com`), and the domains `vercel.json` (`alias`)
 *   and `netlify.toml` (a redirect `from` an absolute URL) name.
 */
import path from 'node:path';
import type { SourceReader } from '../base/source-reader';
import type { EnvMap } from './env-files';
import type { ViteDevServer } from './vite-config';

/** One path prefix the dev server forwards to another server. */
export interface DevProxy {
  /** How the project says it (`Vite server.proxy`), for messages. */
  tool: string;
  /** The path prefix it forwards (`/api`; `/` for CRA's catch-all proxy). */
  path: string;
  /** Where it forwards to (`http://localhost:8000`). */
  target: string;
}

const ABSOLUTE = /^https?:\/\/[^/'"`\s]+/i;

/** Next.js `rewrites`: `{ source: '/api/:path*', destination: 'http://localhost:8000/api/:path*' }`. */
function nextRewrites(text: string): DevProxy[] {
  const pairs = text.matchAll(
    /source\s*:\s*['"`](\/[^'"`:*(]*)[^'"`]*['"`]\s*,\s*destination\s*:\s*['"`](https?:\/\/[^'"`]+)['"`]/g,
  );
  return [...pairs].map(([, prefix, target]) => ({
    tool: 'Next.js rewrites',
    path: prefix.replace(/\/+$/, '') || '/',
    target: ABSOLUTE.exec(target)![0],
  }));
}

/** webpack `devServer.proxy`: `{ '/api': 'http://…' }`, `{ '/api': { target } }`, `[{ context: ['/api'], target }]`. */
function webpackProxies(text: string): DevProxy[] {
  const at = text.search(/devServer\s*:/);
  if (at === -1) return [];
  const rest = text.slice(at);
  const out: DevProxy[] = [];
  for (const m of rest.matchAll(
    /['"](\/[\w./-]*)['"]\s*:\s*(?:\{\s*target\s*:\s*)?['"](https?:\/\/[^'"]+)['"]/g,
  ))
    out.push({ tool: 'webpack devServer.proxy', path: m[1], target: ABSOLUTE.exec(m[2])![0] });
  for (const m of rest.matchAll(
    /context\s*:\s*\[?\s*['"](\/[\w./-]*)['"][^\]}]*\]?\s*,\s*target\s*:\s*['"](https?:\/\/[^'"]+)['"]/g,
  ))
    out.push({ tool: 'webpack devServer.proxy', path: m[1], target: ABSOLUTE.exec(m[2])![0] });
  return out;
}

/** The dev proxies of the frontend project at `root`. */
export function devProxies(
  root: string,
  reader: SourceReader,
  vite: ViteDevServer | undefined,
): DevProxy[] {
  const out: DevProxy[] = (vite?.proxy ?? []).map((p) => ({ tool: 'Vite server.proxy', ...p }));
  const read = (name: string) => reader.read(path.join(root, name));
  try {
    const proxy: unknown = JSON.parse(read('package.json') ?? '{}').proxy;
    if (typeof proxy === 'string' && ABSOLUTE.test(proxy))
      out.push({ tool: 'the package.json "proxy"', path: '/', target: ABSOLUTE.exec(proxy)![0] });
  } catch {
    // A package.json mid-edit: no proxy known.
  }
  for (const name of ['next.config.js', 'next.config.mjs', 'next.config.ts']) {
    const text = read(name);
    if (text) out.push(...nextRewrites(text));
  }
  for (const name of ['webpack.config.js', 'webpack.config.cjs', 'webpack.config.ts']) {
    const text = read(name);
    if (text) out.push(...webpackProxies(text));
  }
  return out;
}

/** The origins the production frontend is served from, as the project's files name them. */
export function productionOrigins(root: string, reader: SourceReader, env: EnvMap): string[] {
  const out: string[] = [];
  for (const { value } of env.values()) {
    const m = value && /^(https?):\/\/api\.([\w.-]+\.[a-z]{2,})(?::\d+)?(?:\/|$)/i.exec(value);
    if (m) out.push(`${m[1]}://${m[2]}`.toLowerCase());
  }
  try {
    const alias: unknown = JSON.parse(reader.read(path.join(root, 'vercel.json')) ?? '{}').alias;
    for (const domain of Array.isArray(alias) ? alias : [alias])
      if (typeof domain === 'string' && /^[\w.-]+\.[a-z]{2,}$/i.test(domain))
        out.push(`https://${domain.toLowerCase()}`);
  } catch {
    // A vercel.json mid-edit: no domain known.
  }
  const netlify = reader.read(path.join(root, 'netlify.toml')) ?? '';
  for (const m of netlify.matchAll(/^[ \t]*from\s*=\s*["'](https?:\/\/[\w.-]+)/gm))
    out.push(m[1].toLowerCase());
  return [...new Set(out)];
}

/**
 * The origin of the frontend's dev server: Vite's (`server.port`, 5173 by default), else the
 * port Next.js and Create React App use unless told otherwise (3000).
 */
export const devServerOrigin = (vite: ViteDevServer | undefined): string | undefined =>
  vite ? vite.origin : 'http://localhost:3000';
