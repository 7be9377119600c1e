import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { cli, cliFixtures, scratch } from './cli-helpers';

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
    assert.deepEqual(Object.keys(report), [
      'policy',
      'model',
      'request',
      'preflight',
      'actual',
      'verdict',
    ]);
    assert.equal(report.model, 'django-cors-headers 3.14.0');
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

describe('cors-lens preview names the model with the Express major the project says', () => {
  // `'/api/*'` covers /api/items in Express 4 and is a start-up error in Express 5.
  const apps = {
    'cors.js': [
      "const express = require('express');",
      "const cors = require('cors');",
      'const app = express();',
      "app.use('/api/*', cors({ origin: 'https://app.example.com' }));",
      "app.get('/api/items', (req, res) => res.json([]));",
      'app.listen(3000);',
      '',
    ].join('\n'),
    'handset.js': [
      "const express = require('express');",
      'const app = express();',
      "app.use('/api/*', (req, res, next) => {",
      "  res.set('Access-Control-Allow-Origin', 'https://app.example.com');",
      '  next();',
      '});',
      "app.get('/api/items', (req, res) => res.json([]));",
      'app.listen(3000);',
      '',
    ].join('\n'),
  };
  const assumed = 'Express 5.x, assumed: no package.json or lockfile names the Express version';
  const projects = [
    {
      name: 'an Express 4.x project',
      manifest: '^4.21.2',
      allowed: true,
      labels: {
        'cors.js': 'cors 2.8.6 (Express 4.x)',
        'handset.js': 'hand-set headers (Express 4.x on Node)',
      },
    },
    {
      name: 'an Express 5.x project',
      manifest: '^5.1.0',
      allowed: false,
      labels: {
        'cors.js': 'cors 2.8.6 (Express 5.x)',
        'handset.js': 'hand-set headers (Express 5.x on Node)',
      },
    },
    {
      name: 'a project that does not say',
      allowed: false,
      labels: {
        'cors.js': `cors 2.8.6 (${assumed})`,
        'handset.js': `hand-set headers (${assumed.replace('5.x', '5.x on Node')})`,
      },
    },
  ];
  for (const project of projects)
    for (const [file, label] of Object.entries(project.labels))
      test(`${file} in ${project.name}: ${label}`, () => {
        const root = scratch({
          [file]: { text: apps[file as keyof typeof apps] },
          ...(project.manifest && {
            'package.json': {
              text: JSON.stringify({ dependencies: { express: project.manifest } }),
            },
          }),
        });
        try {
          const args = [
            'preview',
            file,
            '--origin',
            'https://app.example.com',
            '--path',
            '/api/items',
          ];
          const json = cli([...args, '--format', 'json'], root);
          assert.equal(json.stderr, '');
          const report = JSON.parse(json.stdout);
          assert.equal(report.model, label);
          // The label and the answer follow the same major.
          assert.equal(report.verdict.allowed, project.allowed);
          assert.equal(json.code, project.allowed ? 0 : 1);
          const text = cli(args, root);
          assert.ok(text.stdout.includes(`\n  model:        ${label}\n`), text.stdout);
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      });
});
