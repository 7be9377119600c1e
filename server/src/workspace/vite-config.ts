/**
 * What a `vite.config.*` tells about the development server: its origin (port, https), which is
 * the frontend page's own origin, so a call to it is same-origin and `server.proxy` forwards it to
 * the backend without CORS; and `envPrefix` (which `.env` names reach `import.meta.env`). Read
 * statically; Vite's defaults apply only where nothing is written (no `port` → 5173).
 */
import type { Node } from 'web-tree-sitter';
import { JsEvaluator } from '../lang/javascript/evaluate';
import type { StaticValue } from '../policy/types';
import { FRONTEND_DEV_PORTS } from './frontend-dev-server';

/** The config file names Vite looks for, in its order. */
export const VITE_CONFIG_NAMES = [
  'vite.config.js',
  'vite.config.mjs',
  'vite.config.ts',
  'vite.config.cjs',
  'vite.config.mts',
  'vite.config.cts',
];

export interface ViteDevServer {
  /** `http://localhost:5173` unless `server.port`/`server.https` say otherwise; undefined when they are not static. */
  origin: string | undefined;
  /** `envPrefix` (default `VITE_`). */
  envPrefix: string[];
  /** `server.proxy`: path prefix → target (`'/api': 'http://localhost:8000'` or `{ target }`). */
  proxy: { path: string; target: string }[];
}

const entry = (dict: StaticValue | undefined, key: string): StaticValue | undefined =>
  dict?.kind === 'dict'
    ? dict.entries.find((e) => e.key.kind === 'str' && e.key.value === key)?.value
    : undefined;

/** The config object: `export default {...}`, `defineConfig({...})`, `defineConfig(() => ({...}))`. */
function configObject(root: Node): Node | undefined {
  // The outermost object literal with a key Vite reads is the config (plugins' options are nested).
  return (
    root
      .descendantsOfType('object')
      .find((o) =>
        o?.namedChildren.some(
          (p) =>
            p?.type === 'pair' &&
            /^['"]?(?:server|envPrefix|plugins|build|resolve|root)['"]?$/.test(
              p.childForFieldName('key')?.text ?? '',
            ),
        ),
      ) ?? undefined
  );
}

/** Reads a parsed `vite.config.*`. */
export function readViteConfig(file: string, root: Node): ViteDevServer {
  const node = configObject(root);
  const config = node && !node.hasError ? new JsEvaluator(file, root).evaluate(node) : undefined;
  const server = entry(config, 'server');
  const port = entry(server, 'port');
  const https = entry(server, 'https');
  const prefix = entry(config, 'envPrefix');
  const portText =
    port === undefined
      ? String(FRONTEND_DEV_PORTS.vite)
      : port.kind === 'int'
        ? String(port.value)
        : undefined;
  // Any `https` value but false/undefined turns TLS on (an options object, true).
  const scheme =
    https === undefined || https.kind === 'none' || (https.kind === 'bool' && !https.value)
      ? 'http'
      : https.kind === 'dynamic'
        ? undefined
        : 'https';
  const prefixes =
    prefix === undefined
      ? ['VITE_']
      : prefix.kind === 'str'
        ? [prefix.value]
        : prefix.kind === 'list'
          ? prefix.items.flatMap((i) => (i.kind === 'str' ? [i.value] : []))
          : [];
  const proxies = entry(server, 'proxy');
  const proxy =
    proxies?.kind === 'dict'
      ? proxies.entries.flatMap((e) => {
          const target = e.value.kind === 'dict' ? entry(e.value, 'target') : e.value;
          return e.key.kind === 'str' && target?.kind === 'str'
            ? [{ path: e.key.value, target: target.value }]
            : [];
        })
      : [];
  return {
    origin: portText && scheme ? `${scheme}://localhost:${portText}` : undefined,
    envPrefix: prefixes,
    proxy,
  };
}
