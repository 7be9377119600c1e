import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { cli, cliFixtures } from './cli-helpers';

type Headers = [string, string][];
const header = (headers: Headers, name: string) =>
  headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v);

describe('cors-lens preview', () => {
  test('json: policy, preflight, actual and verdict per the contract', () => {
    const run = cli(
      [
        'preview',
        'clean.py',
        '--origin',
        'https://app.example.com',
        '--method',
        'PUT',
        '--path',
        '/api/items',
        '--header',
        'content-type: application/json',
        '--header',
        'x-session-token',
        '--credentials',
        '--format',
        'json',
      ],
      cliFixtures,
    );
    assert.equal(run.code, 1, 'the verdict is blocked');
    assert.equal(run.stderr, '');
    const report = JSON.parse(run.stdout);
    assert.deepEqual(Object.keys(report), ['policy', 'request', 'preflight', 'actual', 'verdict']);
    assert.equal(report.policy.file, 'clean.py');
    assert.deepEqual(report.policy.origins.exact, ['https://app.example.com']);
    assert.equal(report.policy.credentials, true);
    assert.equal(report.request.url, 'http://localhost:8000/api/items');
    assert.deepEqual(report.request.headers, [
      ['content-type', 'application/json'],
      ['x-session-token', 'example'],
    ]);
    assert.equal(report.preflight.needed, true);
    assert.equal(typeof report.preflight.status, 'number');
    assert.deepEqual(header(report.preflight.headers, 'access-control-allow-origin'), [
      'https://app.example.com',
    ]);
    assert.ok(report.preflight.headers.every((h: unknown) => Array.isArray(h) && h.length === 2));
    assert.equal(
      report.verdict.allowed,
      false,
      'x-session-token is not in the default CORS_ALLOW_HEADERS',
    );
    assert.match(
      report.verdict.reasons[0],
      /x-session-token is not allowed by Access-Control-Allow-Headers/,
    );
    assert.equal(
      report.actual,
      null,
      'a failed preflight stops the browser before the actual request',
    );
  });

  test('json: a passing preflight is followed by the actual response', () => {
    const run = cli(
      [
        'preview',
        'clean.py',
        '--origin',
        'https://app.example.com',
        '--method',
        'POST',
        '--header',
        'content-type: application/json',
        '--credentials',
        '--format',
        'json',
      ],
      cliFixtures,
    );
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.equal(report.preflight.needed, true);
    assert.equal(typeof report.actual.status, 'number');
    assert.deepEqual(header(report.actual.headers, 'access-control-allow-credentials'), ['true']);
    assert.equal(report.verdict.allowed, true);
  });

  test('json: no preflight is {"needed": false}', () => {
    const run = cli(
      ['preview', 'clean.py', '--origin', 'https://app.example.com', '--format', 'json'],
      cliFixtures,
    );
    const report = JSON.parse(run.stdout);
    assert.deepEqual(report.preflight, { needed: false });
    assert.equal(report.verdict.allowed, true);
  });

  test('text: the policy, the responses and the verdict', () => {
    const run = cli(
      ['preview', 'error.py', '--origin', 'https://evil.example', '--credentials'],
      cliFixtures,
    );
    assert.equal(run.code, 0);
    assert.match(
      run.stdout,
      /^Policy \(django, error\.py\):\n {2}origins: +\* \(all\)\n {2}credentials: +true$/m,
    );
    assert.match(
      run.stdout,
      /^Request: GET http:\/\/localhost:8000\/ from https:\/\/evil\.example \(credentials: include\)$/m,
    );
    assert.match(run.stdout, /^Preflight: not needed$/m);
    assert.match(
      run.stdout,
      /^Actual: GET -> \d{3}\n(?: {4}.+\n)*? {4}Access-Control-Allow-Origin: https:\/\/evil\.example$/im,
    );
    assert.match(run.stdout, /^Verdict: allowed$/m);
  });

  test('needs --origin and exactly one file', () => {
    assert.equal(cli(['preview', 'clean.py'], cliFixtures).code, 2);
    assert.equal(cli(['preview', '--origin', 'https://a.example'], cliFixtures).code, 2);
    assert.equal(
      cli(['preview', 'clean.py', 'error.py', '--origin', 'https://a.example'], cliFixtures).code,
      2,
    );
  });

  test('--env: the settings module that environment runs, named with the environment', () => {
    const project = path.resolve(cliFixtures, '../truth/environments');
    const run = (env: string) =>
      cli(
        [
          'preview',
          'django/proj/settings/base.py',
          '--env',
          env,
          '--origin',
          'http://localhost:5173',
        ],
        project,
      );
    const dev = run('development');
    assert.equal(dev.code, 0, dev.stderr);
    assert.match(
      dev.stdout,
      /^Policy \(django, django\/proj\/settings\/dev\.py, in development\):\n/,
    );
    assert.match(dev.stdout, /origins: {6}http:\/\/localhost:5173, http:\/\/127\.0\.0\.1:5173\n/);
    assert.match(dev.stdout, /Verdict: allowed/);
    const prod = run('production');
    assert.equal(prod.code, 1, 'blocked: exit 1');
    assert.match(
      prod.stdout,
      /^Policy \(django, django\/proj\/settings\/production\.py, in production\):\n {2}origins: {6}https:\/\/app\.example\.com \(from the environment\)\n/,
    );
    assert.match(prod.stdout, /Verdict: BLOCKED at the actual/);
  });

  test('exit code: 1 when the browser blocks the request, 0 when it allows it', () => {
    const blocked = cli(['preview', 'clean.py', '--origin', 'https://evil.example'], cliFixtures);
    assert.equal(blocked.code, 1);
    assert.equal(blocked.stderr, '');
    assert.match(blocked.stdout, /^Verdict: BLOCKED at the actual$/m);
    const allowed = cli(
      ['preview', 'clean.py', '--origin', 'https://app.example.com'],
      cliFixtures,
    );
    assert.equal(allowed.code, 0);
    assert.match(allowed.stdout, /^Verdict: allowed$/m);
  });

  test('--header with a name alone gets a realistic value', () => {
    const run = cli(
      [
        'preview',
        'clean.py',
        '--origin',
        'https://app.example.com',
        '--method',
        'POST',
        '--header',
        'content-type',
        '--header',
        'Authorization',
        '--header',
        'x-request-id',
        '--credentials',
      ],
      cliFixtures,
    );
    assert.equal(run.code, 1, 'authorization and x-request-id are not in CORS_ALLOW_HEADERS');
    assert.ok(
      run.stdout.includes(
        [
          'Request: POST http://localhost:8000/ from https://app.example.com (credentials: include)',
          '    content-type: application/json',
          '    Authorization: Bearer example-token',
          '    x-request-id: example',
          '',
        ].join('\n'),
      ),
      run.stdout,
    );
  });

  // Every framework's way of echoing any origin prints the same words, never "(none)".
  for (const [file, framework] of [
    ['express-reflect.js', 'express-cors'],
    ['fastify-reflect.js', 'fastify-cors'],
    ['hono-reflect.ts', 'hono-cors'],
    ['handset-reflect.js', 'node-handset'],
    ['flask-reflect.py', 'python-handset'],
    ['nginx-reflect.conf', 'nginx'],
  ]) {
    test(`text: ${framework} echoing any origin reads "reflects any origin"`, () => {
      const run = cli(
        ['preview', file, '--origin', 'https://a.example', '--path', '/api/items'],
        path.join(cliFixtures, 'reflect'),
      );
      assert.equal(run.code, 0, run.stderr);
      assert.ok(
        run.stdout.startsWith(
          `Policy (${framework}, ${file}):\n  origins:      reflects any origin\n`,
        ),
        run.stdout,
      );
      const json = cli(
        [
          'preview',
          file,
          '--origin',
          'https://a.example',
          '--path',
          '/api/items',
          '--format',
          'json',
        ],
        path.join(cliFixtures, 'reflect'),
      );
      const origins = JSON.parse(json.stdout).policy.origins;
      assert.equal(origins.reflectAny, true);
      assert.deepEqual(origins.exact, []);
    });
  }
});
