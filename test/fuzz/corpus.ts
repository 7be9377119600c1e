import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** The languages CORS Lens analyses, as the fuzzer groups its seeds and generators. */
export type Lang = 'python' | 'javascript' | 'typescript' | 'ruby' | 'nginx' | 'php';

export interface Seed {
  /** Path under test/fixtures, for messages. */
  source: string;
  /** The path the input is written under in a batch folder (keeps names like app/api/x/route.ts). */
  name: string;
  lang: Lang;
  text: string;
}

export const fixturesRoot = path.resolve(__dirname, '../fixtures');

const langOf = (file: string): Lang | undefined => {
  if (/\.py$/.test(file)) return 'python';
  if (/\.(js|mjs|cjs|jsx)$/.test(file)) return 'javascript';
  if (/\.(ts|mts|cts|tsx)$/.test(file)) return 'typescript';
  if (/\.(rb|ru)$/.test(file) || /(^|\/)Gemfile$/.test(file)) return 'ruby';
  if (/\.php$/.test(file)) return 'php';
  if (/\.conf$/.test(file) || /(^|\/)sites-(available|enabled)\/[^/.]+$/.test(file)) return 'nginx';
  return undefined;
};

/** The name an input is saved under: the fixture's path inside its case folder (or its basename). */
function inputName(relative: string): string {
  const parts = relative.split('/');
  // checks/<check>/<case>/..., truth/<tool>/<case>/..., cli/<case>/..., others: keep the last 3.
  const skip =
    parts[0] === 'checks' || parts[0] === 'truth'
      ? 3
      : parts[0] === 'cli' || parts[0] === 'extract'
        ? 2
        : Math.max(parts.length - 3, 1);
  const tail = parts.slice(Math.min(skip, parts.length - 1));
  return tail.join('/');
}

let cached: Seed[] | undefined;

/** Every analysable fixture under test/fixtures (sorted, so seeds are stable across machines). */
export function loadSeeds(): Seed[] {
  if (cached) return cached;
  const out: Seed[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) {
        if (entry !== 'node_modules') visit(full);
        continue;
      }
      const relative = path.relative(fixturesRoot, full).split(path.sep).join('/');
      const lang = langOf(relative);
      if (!lang) continue;
      const text = readFileSync(full, 'utf8');
      if (text.length > 200_000) continue;
      out.push({ source: relative, name: inputName(relative), lang, text });
    }
  };
  visit(fixturesRoot);
  cached = out;
  return out;
}

/** A file name for a language, for generated inputs. */
export const defaultName: Record<Lang, string[]> = {
  python: ['settings.py', 'main.py', 'app.py', 'settings/production.py'],
  javascript: ['app.js', 'server.mjs', 'next.config.mjs'],
  typescript: ['app.ts', 'app/api/items/route.ts', 'middleware.ts'],
  ruby: ['config/initializers/cors.rb', 'config.ru', 'config/application.rb'],
  nginx: ['nginx.conf', 'conf.d/api.conf'],
  php: ['index.php', 'config/cors.php', 'public/api.php'],
};
