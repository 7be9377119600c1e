/**
 * What malformed-origin says of django-cors-headers' start-up check (corsheaders.E014 rejects an
 * allowlisted origin with a path, query or trailing slash), against the real check of 3.14.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { analyzeText } from '../support/check-fixture';

const ORIGINS = [
  'https://app.example.com/',
  'https://example.io/login',
  'https://example.io?x=1',
  'https://example.io#top',
  'https://App.Example.com',
  'https://example.net:443',
  'https://ok.example.com',
  'http://localhost:3000',
  'https://upper.example.com/Path',
  'null',
];

const run = spawnSync(
  '/usr/bin/python3',
  [path.join(__dirname, 'django/startup_checks.py'), JSON.stringify(ORIGINS)],
  { encoding: 'utf8', timeout: 60_000 },
);

test('django-cors-headers runs its start-up checks here', () => {
  assert.equal(
    run.status,
    0,
    `${run.error?.message ?? run.stderr}\nInstall it with: apt-get install python3-django python3-django-cors-headers (see test/install-system.sh)`,
  );
});

test('the origins the check says E014 rejects are exactly those the real check rejects', async () => {
  const real = new Set(
    (JSON.parse(run.stdout) as [string, string][])
      .filter(([id]) => id === 'corsheaders.E014')
      .map(([, origin]) => origin),
  );
  const settings = `INSTALLED_APPS = ["corsheaders"]\nMIDDLEWARE = ["corsheaders.middleware.CorsMiddleware"]\nCORS_ALLOWED_ORIGINS = [\n${ORIGINS.map((o) => `    ${JSON.stringify(o)},`).join('\n')}\n]\n`;
  const { findings } = await analyzeText('/truth/settings.py', settings);
  const claimed = new Set(
    findings
      .filter((f) => f.check === 'malformed-origin' && f.message.includes('corsheaders.E014'))
      .map((f) => /^Origin '(.*?)' in /.exec(f.message)![1]),
  );
  // These five have only a path, query, fragment or slash wrong; the others are fine to the check.
  const rejected = [
    'https://app.example.com/',
    'https://example.io#top',
    'https://example.io/login',
    'https://example.io?x=1',
    'https://upper.example.com/Path',
  ];
  assert.deepEqual([...real].sort(), rejected);
  assert.deepEqual([...claimed].sort(), rejected);
});
