/**
 * One file whose analysis throws is one `analysis-failed` warning on it; the run goes on and exits
 * by the other findings. An input past a reader's limit says which limit, not "report a bug".
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, mock, test } from 'node:test';
import { runCli } from '../../../server/src/cli/run';
import { frameworks } from '../../../server/src/frameworks';
import { scratch } from './cli-helpers';

const dir = scratch({
  'boom/settings.py': { text: 'CORS_ALLOW_ALL_ORIGINS = True\n' },
  'ok/settings.py': {
    text: 'INSTALLED_APPS = ["django.contrib.auth", "corsheaders"]\nCORS_ALLOWED_ORIGINS = ["https://app.example.com"]\nCORS_ALLOW_ALL_ORIGINS = True\nCORS_ALLOW_CREDENTIALS = True\nSESSION_COOKIE_SAMESITE = None\n',
  },
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('an exception while extracting one file: one warning there, the other file still checked', async () => {
  const django = frameworks.find((f) => f.id === 'django')!;
  const extract = django.extract;
  mock.method(
    django,
    'extract',
    (
      file: string,
      ...rest: Parameters<typeof extract> extends [string, ...infer R] ? R : never
    ) => {
      if (file.includes('boom'))
        throw new RangeError('Maximum call stack size exceeded\n    at somewhere');
      return extract(file, ...rest);
    },
  );
  let out = '';
  const code = await runCli(
    ['check', '.', '--format', 'json'],
    { stdout: (t) => (out += t), stderr: () => undefined, cwd: dir },
    '0.0.0',
  );
  mock.restoreAll();
  const report = JSON.parse(out) as {
    findings: { file: string; check: string; severity: string; message: string }[];
  };
  const failed = report.findings.filter((f) => f.check === 'analysis-failed');
  assert.equal(failed.length, 1);
  assert.match(failed[0].file, /boom/);
  assert.equal(failed[0].severity, 'warning');
  assert.match(failed[0].message, /RangeError: Maximum call stack size exceeded\)/);
  assert.ok(
    report.findings.some((f) => f.file.includes('ok') && f.check === 'allow-all-origins'),
    'the other file is checked',
  );
  assert.equal(code, 1, 'exit code by the other findings');
});

/** `include` of the next level 30 times at each of four levels: 810,000 directives expanded. */
const includeLevels = (): Record<string, { text: string }> => {
  const files: Record<string, { text: string }> = {
    'nginx/nginx.conf': {
      text: 'events {}\nhttp {\n  server {\n    listen 80;\n    location / {\n      include /etc/nginx/conf.d/l1.conf;\n      proxy_pass http://127.0.0.1:3000;\n    }\n  }\n}\n',
    },
    'nginx/conf.d/l5.conf': {
      text: 'add_header Access-Control-Allow-Origin https://app.example.com always;\nadd_header Vary Origin always;\n',
    },
  };
  for (let level = 1; level <= 4; level++)
    files[`nginx/conf.d/l${level}.conf`] = {
      text: `include /etc/nginx/conf.d/l${level + 1}.conf;\n`.repeat(30),
    };
  return files;
};

test('nginx includes that expand past the limit: the limit named on each file, the snippet checked', async () => {
  const root = scratch(includeLevels());
  try {
    let out = '';
    await runCli(
      ['check', '.', '--format', 'json'],
      { stdout: (t) => (out += t), stderr: () => undefined, cwd: root },
      '0.0.0',
    );
    const report = JSON.parse(out) as {
      findings: { file: string; check: string; message: string }[];
    };
    const failed = report.findings.filter((f) => f.check === 'analysis-failed');
    // l3 copies 30 × 30 × 2 = 1,800 directives, under the limit; l2 54,000 and the files above
    // it more.
    assert.deepEqual(failed.map((f) => f.file).sort(), [
      'nginx/conf.d/l1.conf',
      'nginx/conf.d/l2.conf',
      'nginx/nginx.conf',
    ]);
    for (const f of failed)
      assert.equal(
        f.message,
        'CORS Lens did not analyse this file: its includes copy in more than 20,000 directives (files included many times over, at several levels), more than CORS Lens reads; its CORS setup is not checked.',
      );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
