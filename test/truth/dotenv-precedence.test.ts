/**
 * Truth for the claim the environments rest on: a variable the process already has (set by a
 * Dockerfile, a Procfile, a compose file) beats the same name in a `.env` file, because the
 * loaders never override a set variable. Checked against the real loaders:
 * - python-dotenv 0.21 (Debian python3-dotenv): `load_dotenv()` in a FastAPI app, run once with
 *   the variable compose sets and once without it;
 * - Node: @next/env (the loader of the real Next.js the nextjs truth suite installs; it wraps the
 *   npm `dotenv` package, which is not in this repo's node_modules), `loadEnvConfig(dir, dev)`.
 * Each real run is compared with what CORS Lens resolves for the same environment.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DiskReader } from '../../server/src/base/disk-reader';
import { policiesInEnvironment } from '../../server/src/analysis/environment-policies';
import { environmentOf } from '../../server/src/environment/resolve';
import { nextModules } from '../support/next-install';
import { missingPython, PYTHON } from './support/python-truth';

const FIXTURES = path.resolve(__dirname, '../fixtures/environments/dotenv');

/** Runs `command args` in `cwd` with exactly `env` on top of a bare PATH; its trimmed stdout. */
function run(command: string, args: string[], cwd: string, env: Record<string, string>) {
  return execFileSync(command, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    encoding: 'utf8',
  }).trim();
}

describe('dotenv precedence: a process variable beats .env', () => {
  const missing = missingPython(['dotenv', 'fastapi']);

  it('python-dotenv and FastAPI are installed', () => {
    assert.equal(missing, undefined, `${missing}\nInstall them with test/install-system.sh`);
  });

  it(
    'python-dotenv: compose sets ALLOWED_ORIGINS, load_dotenv() keeps it; CORS Lens agrees',
    { skip: missing ? 'python-dotenv is missing (see the failing install test)' : false },
    async () => {
      const dir = path.join(FIXTURES, 'python');
      const app = path.join(dir, 'app.py');
      // The value docker-compose.yml's `environment:` gives the process.
      const composed = 'http://localhost:5173,http://127.0.0.1:5173';
      const withVar = run(PYTHON, [app], dir, { ALLOWED_ORIGINS: composed });
      const withoutVar = run(PYTHON, [app], dir, {});
      assert.equal(withVar, composed, 'load_dotenv() overrode the process variable');
      // Without the variable the .env value is read: the file is really loaded.
      assert.equal(withoutVar, 'http://localhost:3000');

      const reader = new DiskReader();
      const dev = environmentOf('development', app, reader);
      assert.equal(dev.vars.get('ALLOWED_ORIGINS')?.value, withVar);
      assert.equal(
        path.basename(dev.vars.get('ALLOWED_ORIGINS')?.file ?? ''),
        'docker-compose.yml',
      );
      const { policies } = await policiesInEnvironment('development', app, reader);
      assert.deepEqual(
        policies.flatMap((p) => p.origins.exact.map((o) => o.value)),
        withVar.split(','),
      );
    },
  );

  it('@next/env: a set CORS_ORIGIN survives loadEnvConfig; without it the env files decide as CORS Lens says', () => {
    const dir = path.join(FIXTURES, 'node');
    const script =
      "const { loadEnvConfig } = require(process.argv[1] + '/@next/env');" +
      "loadEnvConfig(process.cwd(), process.argv[2] === 'dev', { info() {}, error() {} });" +
      'process.stdout.write(process.env.CORS_ORIGIN ?? "")';
    const real = (mode: 'dev' | 'prod', env: Record<string, string>) =>
      run(process.execPath, ['-e', script, nextModules(), mode], dir, env);
    const reader = new DiskReader();
    const server = path.join(dir, 'server.js');
    const prod = environmentOf('production', server, reader).vars.get('CORS_ORIGIN');
    const dev = environmentOf('development', server, reader).vars.get('CORS_ORIGIN');

    // docker-compose.prod.yml sets it for the production process.
    assert.equal(path.basename(prod?.file ?? ''), 'docker-compose.prod.yml');
    assert.equal(real('prod', { CORS_ORIGIN: prod!.value! }), prod!.value);
    // Unset, production's env files decide: .env.production over .env.
    assert.equal(real('prod', {}), 'https://www.example.com');
    // Development has no deploy file: .env.development over .env, as CORS Lens resolves it.
    assert.equal(dev?.value, real('dev', {}));
    assert.equal(dev?.value, 'http://localhost:3000');
  });
});
