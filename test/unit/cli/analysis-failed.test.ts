/**
 * One file whose analysis throws is one `analysis-failed` warning on it; the run goes on and exits
 * by the other findings.
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
    text: 'CORS_ALLOWED_ORIGINS = ["https://app.example.com"]\nCORS_ALLOW_ALL_ORIGINS = True\nCORS_ALLOW_CREDENTIALS = True\n',
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
