/**
 * The origin a frontend project's pages have in development: its dev server's. Vite's comes from
 * `vite.config.*` (`vite-config.ts`); otherwise the project's `package.json` says which tool serves
 * it and on which port: `next dev -p 3001`, `vite --port 5180`, Create React App's `PORT` from
 * `.env`, else the tool's usual port (one table, here).
 */
import type { EnvMap } from './env-files';
import { commandPort } from './command-port';

/** The usual dev-server port of each frontend tool, by the package that provides it. */
export const FRONTEND_DEV_PORTS: Readonly<Record<'vite' | 'next' | 'react-scripts', number>> = {
  vite: 5173,
  next: 3000,
  'react-scripts': 3000,
};

/** Origins a frontend usually runs on in development (Create React App / Next.js, Vite). */
export const USUAL_FRONTEND_ORIGINS: readonly string[] = [
  `http://localhost:${FRONTEND_DEV_PORTS.next}`,
  `http://localhost:${FRONTEND_DEV_PORTS.vite}`,
];

interface PackageJson {
  scripts?: Record<string, unknown>;
  dependencies?: Record<string, unknown>;
  devDependencies?: Record<string, unknown>;
}

/** The script that starts the dev server (`dev`, else `start`), as written. */
function devScript(pkg: PackageJson): string | undefined {
  for (const name of ['dev', 'start']) {
    const script = pkg.scripts?.[name];
    if (typeof script === 'string') return script;
  }
  return undefined;
}

/**
 * The dev origin a `package.json` gives its project (undefined: no frontend tool it knows):
 * the port its dev script names, else the tool's usual one (CRA reads `PORT` from `.env`).
 */
export function packageDevOrigin(text: string | undefined, nodeEnv: EnvMap): string | undefined {
  let pkg: PackageJson;
  try {
    pkg = text ? (JSON.parse(text) as PackageJson) : {};
  } catch {
    return undefined;
  }
  const script = devScript(pkg) ?? '';
  const uses = (tool: keyof typeof FRONTEND_DEV_PORTS) =>
    new RegExp(`\\b${tool}\\b`).test(script) ||
    pkg.dependencies?.[tool] !== undefined ||
    pkg.devDependencies?.[tool] !== undefined;
  const tool = (['next', 'vite', 'react-scripts'] as const).find(uses);
  if (!tool) return undefined;
  const envPort = tool === 'react-scripts' ? Number(nodeEnv.get('PORT')?.value) : NaN;
  const port =
    commandPort(script) ??
    (Number.isInteger(envPort) && envPort > 0 && envPort < 65536 ? envPort : undefined) ??
    FRONTEND_DEV_PORTS[tool];
  return `http://localhost:${port}`;
}
