/**
 * The probe's pre-fill (`corsLens/probeDefaults`) and the preview's server URL from the project's
 * own files: the port its code, launch commands, `.env`, nginx `listen` or puma config say, and a
 * path its policy covers. Real fixture files in (test/fixtures/ports), the exact URL out.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { DiskReader } from '../../../server/src/base/disk-reader';
import { analyzeFile } from '../../../server/src/cli/analyze-file';
import { probeDefaults } from '../../../server/src/lsp/probe-requests';
import type { FrontendCall } from '../../../server/src/workspace/types';

const fixtures = path.resolve(__dirname, '../../fixtures/ports');

/** The pre-fill for the policy of `file` in the fixture folder `name` (the workspace folder). */
async function prefill(name: string, file: string): Promise<{ url: string; why?: string }> {
  const reader = new DiskReader();
  const result = await analyzeFile(path.join(fixtures, name, file), reader);
  assert.ok('analysis' in result, JSON.stringify(result));
  const { url, why } = await probeDefaults(result.analysis!.policies, [], reader, [
    path.join(fixtures, name),
  ]);
  return { url, why };
}

describe("the probe's URL from the project's files", () => {
  const cases: [string, string, string, string][] = [
    // folder, policy file, URL, why
    ['express-env-port', 'server.js', 'http://127.0.0.1:4000/items/1', 'server.js listens on 4000'],
    ['http-server', 'server.js', 'http://127.0.0.1:4100/api', 'server.js listens on 4100'],
    ['fastify-object', 'server.js', 'http://127.0.0.1:3001/', 'server.js listens on 3001'],
    // A global cors(): the first route registered after it, not `/` (a 404).
    [
      'express-route',
      'server.js',
      'http://127.0.0.1:4300/api/items/x',
      'server.js listens on 4300',
    ],
    ['flask-resources', 'app.py', 'http://127.0.0.1:5050/api/v2', 'app.py listens on 5050'],
    ['uvicorn-run', 'main.py', 'http://127.0.0.1:8002/', 'main.py listens on 8002'],
    [
      'uvicorn-script',
      'app/main.py',
      'http://127.0.0.1:8003/',
      'package.json starts it on 8003 (`uvicorn app.main:app --reload --port 8003`)',
    ],
    [
      'django-procfile',
      'proj/settings.py',
      'http://127.0.0.1:8001/api/v1/',
      'Procfile starts it on 8001 (`python manage.py runserver 0.0.0.0:8001`)',
    ],
    [
      'makefile-flask',
      'app.py',
      'http://127.0.0.1:5055/',
      'Makefile starts it on 5055 (`flask --app app run -p 5055`)',
    ],
    [
      'compose-command',
      'api/main.py',
      'http://127.0.0.1:8004/',
      'docker-compose.yml starts it on 8004 (`service api runs uvicorn main:app --host 0.0.0.0 --port 8004`)',
    ],
    // The Makefile starts a Flask app: the FastAPI app beside it keeps uvicorn's usual port.
    [
      'makefile-other',
      'main.py',
      'http://127.0.0.1:8000/',
      "8000 is the usual port of Starlette 0.26 CORSMiddleware (FastAPI)'s dev server",
    ],
    ['dotenv-port', 'server.js', 'http://127.0.0.1:4200/', '.env starts it on 4200 (`PORT=4200`)'],
    ['nginx-listen', 'nginx.conf', 'http://127.0.0.1:8080/api/', 'nginx.conf listens on 8080'],
    [
      'rails-puma',
      'config/initializers/cors.rb',
      'http://127.0.0.1:3010/api/',
      'config/puma.rb starts it on 3010 (`port ENV.fetch("PORT") { 3010 }`)',
    ],
  ];
  for (const [name, file, url, why] of cases)
    test(`${name}: ${url}`, async () => {
      assert.deepEqual(await prefill(name, file), { url, why });
    });
});

describe("the probe's URL with no policy (opened from a frontend file, or none)", () => {
  const reader = new DiskReader();
  const root = path.join(fixtures, 'dotenv-port');
  const call: FrontendCall = {
    span: { file: path.join(root, 'web', 'api.ts'), start: 0, end: 1 },
    client: 'fetch',
    url: 'http://localhost:4000/api/me',
    method: 'GET',
    headers: [],
    credentials: 'omit',
  };

  test('where the frontend calls a local server', async () => {
    const { url, why } = await probeDefaults([], [call], reader, [root]);
    assert.deepEqual({ url, why }, { url: 'http://localhost:4000/api/me', why: 'api.ts calls it' });
  });

  test('else the port a launch file of the workspace starts', async () => {
    const remote = { ...call, url: 'https://api.example.com/me' };
    const { url, why } = await probeDefaults([], [remote], reader, [root]);
    assert.deepEqual(
      { url, why },
      { url: 'http://127.0.0.1:4200/', why: '.env starts it on 4200 (`PORT=4200`)' },
    );
  });

  test('else the usual 8000', async () => {
    const { url, why } = await probeDefaults([], [], reader, [path.join(fixtures, 'frontends')]);
    assert.deepEqual({ url, why }, { url: 'http://127.0.0.1:8000/', why: undefined });
  });
});
