/**
 * `.env*` files as frontend dev servers load them in development mode. Two orders exist:
 * - Vite (`import.meta.env`): `.env`, `.env.local`, `.env.development`, `.env.development.local`,
 *   a later file overriding an earlier one (vite `getEnvFilesForMode`).
 * - Next.js and Create React App (`process.env`): `.env.development.local`, `.env.local`,
 *   `.env.development`, `.env`, the first file that sets a name winning (@next/env, react-scripts
 *   `config/env.js`).
 * All three expand `$NAME`/`${NAME}` with dotenv-expand. A value we cannot expand for sure (a name
 * set only in the shell, a `$` in single quotes) is kept as unknown, never guessed.
 */
import path from 'node:path';
import type { SourceReader } from '../base/source-reader';
import { parseEnvFile, type RawValue } from '../environment/dotenv';

// Shared with the backend environments (environment/), which sit below this layer.
export { parseEnvFile };

/** One name's value: a string, or `undefined` when the file sets it to something we cannot know. */
export interface EnvEntry {
  value: string | undefined;
  file: string;
}

/** Names to values, as one tool sees them. */
export type EnvMap = Map<string, EnvEntry>;

/** The mode a frontend is built in: `vite`/`next dev` (development) or `vite build`/`next build`. */
export type FrontendMode = 'development' | 'production';

/** Lowest priority first: a later file overrides an earlier one. */
const viteOrder = (mode: FrontendMode) => [
  '.env',
  '.env.local',
  `.env.${mode}`,
  `.env.${mode}.local`,
];
const nodeOrder = (mode: FrontendMode) => [
  '.env',
  `.env.${mode}`,
  '.env.local',
  `.env.${mode}.local`,
];

/** Whether a file name is one of the `.env*` files a frontend tool reads. */
export const isEnvFile = (file: string): boolean =>
  /^\.env(?:\.[\w.-]+)?$/.test(path.basename(file));

/** `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `$NAME`, with `\$` escaping a dollar. */
const REFERENCE = /(\\)?\$(?:\{([\w.]+)(?:(:?-)([^}]*))?\}|([A-Za-z_]\w*))/g;

/** How expansion sees the merged names: whether a file sets one, and its value when known. */
interface Names {
  isSet(name: string): boolean;
  value(name: string): string | undefined;
}

/** Expands references against the merged names; undefined when one is not known statically. */
function expand(raw: RawValue, names: Names, depth: number): string | undefined {
  if (!raw.text.includes('$')) return raw.text;
  if (raw.literal || depth > 8) return undefined;
  let known = true;
  const value = raw.text.replace(
    REFERENCE,
    (
      whole,
      escaped: string | undefined,
      braced: string | undefined,
      operator: string | undefined,
      fallback: string | undefined,
      bare: string | undefined,
    ) => {
      if (escaped) return whole.slice(1);
      const name = braced ?? bare ?? '';
      if (operator !== undefined) {
        // The tools disagree on defaults: @next/env's dotenv-expand 10 takes `${NAME:-default}`'s
        // default even when a file sets NAME, and does not read `${NAME-default}` as a default at
        // all (checked against it in test/truth/env-files.test.ts); later versions take NAME's
        // value. Known only where they agree: `:-` and no file sets NAME (only the shell could,
        // and a fresh checkout runs with the written default).
        if (operator === ':-' && !names.isSet(name)) return fallback ?? '';
        known = false;
        return '';
      }
      const found = names.value(name);
      if (found !== undefined) return found;
      known = false;
      return '';
    },
  );
  return known ? value : undefined;
}

/** Merges `order`'s files (lowest priority first) and expands every value. */
function load(root: string, order: string[], reader: SourceReader): EnvMap {
  const raw = new Map<string, { raw: RawValue; file: string }>();
  for (const name of order) {
    const file = path.join(root, name);
    const text = reader.read(file);
    if (text === undefined) continue;
    for (const [key, value] of parseEnvFile(text)) raw.set(key, { raw: value, file });
  }
  const out: EnvMap = new Map();
  const resolve = (name: string, depth: number): string | undefined => {
    const entry = raw.get(name);
    return (
      entry &&
      expand(
        entry.raw,
        {
          isSet: (n) => raw.has(n),
          value: (n) => (n === name ? undefined : resolve(n, depth + 1)),
        },
        depth,
      )
    );
  };
  for (const [name, { file }] of raw) out.set(name, { value: resolve(name, 0), file });
  return out;
}

/** What `import.meta.env` reads from `root`'s `.env*` files in Vite's `mode`. */
export const loadViteEnv = (
  root: string,
  reader: SourceReader,
  mode: FrontendMode = 'development',
): EnvMap => load(root, viteOrder(mode), reader);

/** What `process.env` reads from `root`'s `.env*` files under `next dev` / `react-scripts start` (or their builds). */
export const loadNodeEnv = (
  root: string,
  reader: SourceReader,
  mode: FrontendMode = 'development',
): EnvMap => load(root, nodeOrder(mode), reader);
