/**
 * Real Python servers on 127.0.0.1 for the probe tests (Debian packages, /usr/bin/python3): the
 * truth suite's Django app (test/truth/django/serve.py), Flask + Flask-CORS and Starlette's
 * CORSMiddleware under uvicorn (apps/*.py). Each prints "PORT <n>" once it listens.
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { hangGuardMs } from '../../support/hang-guard';

const PYTHON = '/usr/bin/python3';
const SERVE_DJANGO = path.resolve(__dirname, '../../truth/django/serve.py');
const APPS = path.join(__dirname, 'apps');

/** Throws with a clear message when `modules` cannot be imported by Debian's Python. */
export function requirePython(modules: string[], packages: string): void {
  const check = spawnSync(PYTHON, ['-c', `import ${modules.join(', ')}`], { encoding: 'utf8' });
  if (check.error || check.status !== 0) {
    throw new Error(
      `${modules.join(' + ')} needed (apt install ${packages}): ${check.error?.message ?? check.stderr.trim().split('\n').pop()}`,
    );
  }
}

/** A running server; `stop()` kills it. */
export interface RunningServer {
  base: string;
  stop(): void;
}

/**
 * Runs `/usr/bin/python3 ...args` and resolves once it prints its port (a load-scaled hang guard
 * stops a stuck one).
 */
async function startPython(args: string[]): Promise<RunningServer> {
  const child = spawn(PYTHON, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const timer = setTimeout(() => child.kill(), hangGuardMs(60_000));
  try {
    for await (const line of lines) {
      const port = /^PORT (\d+)$/.exec(line)?.[1];
      if (port) return { base: `http://127.0.0.1:${port}`, stop: () => child.kill() };
    }
  } finally {
    clearTimeout(timer);
    lines.close();
  }
  child.kill();
  throw new Error(`python3 ${args.join(' ')} exited before listening`);
}

/** Django + django-cors-headers serving one settings file. */
export const startDjango = (settings: string) => startPython([SERVE_DJANGO, settings]);
/** Flask with `CORS(app, **options)`. */
export const startFlask = (options: object) =>
  startPython([path.join(APPS, 'flask_app.py'), JSON.stringify(options)]);
/** Starlette with `CORSMiddleware(**options)`. */
export const startStarlette = (options: object) =>
  startPython([path.join(APPS, 'starlette_app.py'), JSON.stringify(options)]);
