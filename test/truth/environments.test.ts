/**
 * Truth suite for environments: each project of test/fixtures/truth/environments is started as
 * the real server of one environment (its settings module, its env vars) and compared with what
 * CORS Lens predicts for that environment, twice: `cors-lens preview --env NAME --format json`
 * (the CLI, in process) for every browser request of the shared matrix, and the library model over
 * the policies extracted in that environment for the whole matrix (browser and raw requests).
 *
 * - Django 3.2 + django-cors-headers 3.14.0 (Debian): development is `manage.py runserver` (the
 *   settings module manage.py chooses, which imports the developer's `local_settings.py` in a
 *   `try`), production the WSGI application wsgi.py builds; `staging` names its module in
 *   `.env.staging`, given to the server as real variables.
 * - FastAPI 0.92 / Starlette 0.26.1 under uvicorn (Debian): `os.getenv("ALLOWED_ORIGINS",
 *   "http://localhost:3000")` unset in development, set by `.env.production` and `.env.staging`.
 * - Django with one settings module whose `if DEBUG:` / `if not DEBUG:` branches pick the CORS
 *   settings, `DEBUG` read from `DJANGO_DEBUG`: a developer runs with it on (the development
 *   server gets `DJANGO_DEBUG=True`, the one assumption CORS Lens makes for development when no
 *   file sets it), production leaves it unset (the written default, off).
 *
 * - Rails 6.1 (Debian ruby-rails) + rack-cors 1.1.1 under Puma 5.6, `RAILS_ENV` set to the
 *   environment (what running there means; `staging` names it in `.env.staging`): an initializer
 *   reads `Rails.application.config.x.cors_origins`, which config/application.rb and each
 *   config/environments/<env>.rb set; and an app whose development.rb alone inserts Rack::Cors
 *   (production answers with no CORS headers, and the preview says no CORS runs there); an
 *   initializer whose `origins` and `allow` blocks sit under `if`/`unless Rails.env.production?`;
 *   one that inserts Rack::Cors only `if Rails.env.development?`. The last two also run as
 *   `staging`, which sets no `RAILS_ENV`: Rails then runs as development (railties' default), and
 *   CORS Lens reads `Rails.env` and the config/environments file alike.
 *
 * A Python project's `.env.<name>` holds what a deploy sets: the server gets its lines as process
 * variables (read here with a parser of its own, not the tool's).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { analyzeFile } from '../../server/src/cli/analyze-file';
import { runCli } from '../../server/src/cli/run';
import { DiskReader } from '../../server/src/base/disk-reader';
import { environmentOf } from '../../server/src/environment/resolve';
import {
  buildActualRequest,
  buildPreflightRequest,
  needsPreflight,
  type HttpRequest,
  type HttpResponse,
} from '../../server/src/fetch';
import type { PreviewReport } from '../../server/src/analysis/preview-report';
import { fileInEnvironment } from '../../server/src/analysis/environment-policies';
import {
  browserRequests,
  compareMatrix,
  exchanges,
  missingPython,
  PYTHON,
  serveCases,
  type Outcome,
} from './support/python-truth';
import { assertAgreement, startServer, type RealServer } from './support/real-server';

const FIXTURES = path.resolve(__dirname, '../fixtures/truth/environments');
const SERVE_DJANGO = path.join(__dirname, 'environments/serve_django.py');
const SERVE_ASGI = path.join(__dirname, 'starlette/serve.py');
const SERVE_RAILS = path.join(__dirname, 'environments/serve_rails.rb');
const RUBY = '/usr/bin/ruby';

/** Why Debian's ruby cannot boot a Rails app with rack-cors under Puma, or undefined when it can. */
function missingRails(): string | undefined {
  const probe = spawnSync(
    RUBY,
    [
      '-e',
      "require 'rails'; require 'action_controller/railtie'; require 'rack/cors'; require 'puma'",
    ],
    { encoding: 'utf8' },
  );
  if (probe.error) return `${RUBY} cannot run (${probe.error.message})`;
  return probe.status === 0
    ? undefined
    : `ruby cannot load rails, rack-cors and puma: ${probe.stderr.trim().split('\n').pop()}`;
}

interface EnvCase {
  project:
    | 'django'
    | 'fastapi'
    | 'django-debug'
    | 'rails'
    | 'rails-dev-cors'
    | 'rails-env-branches'
    | 'rails-wrapped';
  env: string;
  /** The file a user previews, in the project. */
  file: string;
  /**
   * The file whose policy runs there (Django: the environment's settings module); undefined when
   * no CORS runs there.
   */
  runs?: string;
  origins: string[];
  /** Variables the developer's shell sets (not in a file): `DJANGO_DEBUG=True` when debugging. */
  shell?: Record<string, string>;
}

/**
 * What a Rails host sets: `RAILS_ENV` for development and production (staging's comes from
 * `.env.staging`), and the secret every production boot asks for.
 */
function railsShell(env: string): Record<string, string> {
  return {
    SECRET_KEY_BASE: 'truth',
    ...(env === 'staging' ? {} : { RAILS_ENV: env }),
  };
}

/**
 * One Rails app's cases: `file` previewed and run in each of `envs`; `elsewhere` names the
 * environments where another file runs (undefined: none, no CORS runs there).
 */
function railsCases(
  project: EnvCase['project'],
  file: string,
  envs: string[],
  elsewhere: Record<string, string | undefined> = {},
): EnvCase[] {
  return [...envs.map((env) => [env, file] as const), ...Object.entries(elsewhere)].map(
    ([env, runs]) => ({ project, env, file, runs, origins: FRONTENDS, shell: railsShell(env) }),
  );
}

const FRONTENDS = [
  'https://app.example.com',
  'https://admin.example.com',
  'https://staging.example.com',
  'https://evil.example',
  'null',
  'http://localhost:3000',
  'http://localhost:5173',
  'http://127.0.0.1:5173',
];

const CASES: EnvCase[] = [
  ...['development', 'production', 'staging'].map((env): EnvCase => ({
    project: 'django',
    env,
    file: 'proj/settings/base.py',
    // The module the real server reports running (manage.py's, wsgi.py's, .env.staging's).
    runs: env === 'development' ? 'proj/settings/dev.py' : 'proj/settings/production.py',
    origins: FRONTENDS,
  })),
  ...['development', 'production', 'staging'].map((env): EnvCase => ({
    project: 'fastapi',
    env,
    file: 'app.py',
    runs: 'app.py',
    origins: FRONTENDS,
  })),
  ...['development', 'production'].map((env): EnvCase => ({
    project: 'django-debug',
    env,
    file: 'proj/settings.py',
    runs: 'proj/settings.py',
    origins: FRONTENDS,
    ...(env === 'development' ? { shell: { DJANGO_DEBUG: 'True' } } : {}),
  })),
  ...railsCases('rails', 'config/initializers/cors.rb', ['development', 'production', 'staging']),
  // development.rb previewed: production runs production.rb, which inserts no Rack::Cors.
  ...railsCases('rails-dev-cors', 'config/environments/development.rb', ['development'], {
    production: undefined,
  }),
  // staging sets no RAILS_ENV in these two: Rails runs as development.
  ...railsCases('rails-env-branches', 'config/initializers/cors.rb', [
    'development',
    'production',
    'staging',
  ]),
  ...railsCases('rails-wrapped', 'config/initializers/cors.rb', ['development', 'staging'], {
    production: undefined,
  }),
];
const label = (c: EnvCase) => `${c.project} ${c.env}`;

/** `NAME=value` lines of the environment's `.env.<name>`, the variables a deploy sets. */
function deployVariables(c: EnvCase): Record<string, string> {
  const file = path.join(FIXTURES, c.project, `.env.${c.env}`);
  if (!existsSync(file)) return {};
  const vars: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0 && !line.startsWith('#')) vars[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return vars;
}

function start(name: string): Promise<RealServer> {
  const c = CASES.find((k) => label(k) === name)!;
  const dir = path.join(FIXTURES, c.project);
  const rails = c.project.startsWith('rails');
  const args = rails
    ? [SERVE_RAILS, dir]
    : c.project !== 'fastapi'
      ? [SERVE_DJANGO, dir, c.env === 'development' ? 'manage.py' : 'proj/wsgi.py']
      : [SERVE_ASGI, path.join(dir, 'app.py')];
  return startServer(rails ? RUBY : PYTHON, args, `the ${name} server`, 60_000, {
    ...deployVariables(c),
    ...c.shell,
  });
}

/** `cors-lens preview FILE --env NAME ... --format json` for one browser request, in process. */
async function cliPreview(c: EnvCase, req: ReturnType<typeof browserRequests>[number]) {
  const url = new URL(req.url);
  const args = ['preview', path.join(FIXTURES, c.project, c.file), '--env', c.env];
  args.push('--origin', req.origin, '--path', url.pathname + url.search, '--method', req.method);
  for (const [n, v] of req.headers) args.push('--header', `${n}: ${v}`);
  if (req.credentials === 'include') args.push('--credentials');
  args.push('--format', 'json');
  let out = '';
  let err = '';
  const code = await runCli(
    args,
    { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd: FIXTURES },
    'test',
  );
  const report = JSON.parse(out) as PreviewReport | { policy: null };
  if (!report.policy) {
    assert.equal(code, 1, `cors-lens ${args.join(' ')} found no policy yet exited ${code}`);
    return undefined;
  }
  // `preview` exits 1 when the browser blocks the request, 0 when it allows it.
  assert.equal(
    code,
    (report as PreviewReport).verdict.allowed ? 0 : 1,
    `cors-lens ${args.join(' ')} exited ${code}: ${err}`,
  );
  return report as PreviewReport;
}

/** Every browser request through the CLI, its predicted exchanges sent to the real server. */
async function compareCli(c: EnvCase, port: number): Promise<Outcome> {
  const tally = exchanges(port);
  const { outcome } = tally;
  const compare = (what: string, req: HttpRequest, predicted: HttpResponse) =>
    tally.compare(`cli ${what}`, req, predicted);
  for (const origin of c.origins)
    for (const req of browserRequests(origin)) {
      const report = await cliPreview(c, req);
      if (!c.runs || !report) {
        // No CORS runs here: the preview says so, and the server answers with no CORS headers.
        assert.equal(report, undefined, 'no policy in this environment');
        const none = { status: 200, headers: [] };
        if (needsPreflight(req).needed)
          await compare('preflight (none predicted)', buildPreflightRequest(req), none);
        await compare('actual (none predicted)', buildActualRequest(req), none);
        continue;
      }
      assert.equal(report.policy.file, path.join(c.project, c.runs), 'the file previewed');
      if (report.preflight.needed)
        await compare('preflight', buildPreflightRequest(report.request), report.preflight);
      if (!report.actual) continue;
      const actual = buildActualRequest(report.request);
      // The CLI previews a signed-in user: a credentialed request carries their session cookie.
      if (report.request.credentials === 'include')
        actual.headers.push(['Cookie', 'sessionid=signed-in-user']);
      await compare('actual', actual, report.actual);
    }
  return outcome;
}

/** The matrix through the model, over the policies extracted in the case's environment. */
async function compareModel(c: EnvCase, port: number): Promise<Outcome> {
  const reader = new DiskReader();
  const file = path.join(FIXTURES, c.project, c.file);
  const environment = environmentOf(c.env, file, reader);
  const result = await analyzeFile(
    fileInEnvironment(environment, file, reader),
    reader,
    undefined,
    undefined,
    environment,
  );
  assert.ok('analysis' in result, `cannot analyse ${file}`);
  return compareMatrix(port, result.analysis.policies, c.origins);
}

describe('environments: each environment previewed vs its real server', () => {
  const missing = missingPython(['django', 'corsheaders', 'fastapi', 'uvicorn']) ?? missingRails();
  const { servers, outcomes } = serveCases(CASES.map(label), start, {
    missing,
    heading: 'preview --env and the model vs the real server of each environment',
  });

  test('the real Django, django-cors-headers, FastAPI, uvicorn, Rails, rack-cors and Puma are installed', () => {
    assert.equal(missing, undefined, `${missing}\nInstall them with test/install-system.sh`);
  });

  for (const c of CASES)
    for (const [how, compare] of [
      ['cors-lens preview --env', compareCli],
      ['model', compareModel],
    ] as const)
      test(
        `${label(c)}: ${how}`,
        {
          skip: missing
            ? 'a Python or Ruby package is missing (see the failing install test)'
            : false,
        },
        async () => {
          const server = servers.get(label(c));
          assert.ok(server, `no server for ${label(c)}`);
          const outcome = await compare(c, server.port);
          outcomes.set(`${label(c)} (${how === 'model' ? 'model' : 'cli'})`, outcome);
          assertAgreement(outcome);
        },
      );
});
