import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { cli, cliBundle, cliFixtures, scratch } from './cli-helpers';

const scratchDirs: string[] = [];
const tmp = (files: Parameters<typeof scratch>[0]) => {
  const dir = scratch(files);
  scratchDirs.push(dir);
  return dir;
};
after(() => scratchDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('cors-lens check: exit codes', () => {
  test('1 when an error-severity finding exists', () => {
    const run = cli(['check', 'error.py'], cliFixtures);
    assert.equal(run.code, 1);
    assert.match(
      run.stdout,
      /^error\.py:11:1 {2}error {2}CORS_ALLOW_ALL_ORIGINS\b.*CORS_ALLOW_CREDENTIALS\b.* {2}\[allow-all-origins\]$/m,
    );
    assert.match(
      run.stdout,
      /^1 problem \(1 error\); 1 file checked, 1 with a CORS setup modelled\.$/m,
    );
  });

  test('0 with warnings only, and 0 when clean', () => {
    const warning = cli(['check', 'warning.py'], cliFixtures);
    assert.equal(warning.code, 0);
    assert.match(warning.stdout, /^warning\.py:3:1 {2}warning {2}.*\[allow-all-origins\]$/m);
    const clean = cli(['check', 'clean.py'], cliFixtures);
    assert.equal(clean.code, 0);
    assert.equal(
      clean.stdout,
      'No CORS problems found (1 file checked, 1 with a CORS setup modelled).\n',
    );
  });

  test('--fail-on sets the lowest severity that exits 1; none never does', () => {
    // warning.py has one warning finding, error.py one error, clean.py none.
    const cases: [string, string, number][] = [
      ['warning', 'warning.py', 1],
      ['info', 'warning.py', 1],
      ['error', 'warning.py', 0],
      ['none', 'error.py', 0],
      ['hint', 'clean.py', 0],
      ['warning', 'error.py', 1],
    ];
    for (const [failOn, file, code] of cases) {
      const run = cli(['check', file, '--fail-on', failOn], cliFixtures);
      assert.equal(run.code, code, `--fail-on ${failOn} ${file}`);
    }
    // The findings are printed whatever the policy.
    assert.match(
      cli(['check', 'error.py', '--fail-on', 'none'], cliFixtures).stdout,
      /\[allow-all-origins\]$/m,
    );
  });

  for (const args of [
    [],
    ['check', '--format', 'xml', 'clean.py'],
    ['check', '--fail-on', 'warnings', 'clean.py'],
    ['check', '--nope'],
    ['check', 'missing.py'],
    ['frobnicate'],
    ['preview', 'clean.py'],
  ]) {
    test(`2 with a usage message: ${args.join(' ') || '(no arguments)'}`, () => {
      const run = cli(args, cliFixtures);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /^cors-lens: .+\n\nUsage:\n {2}cors-lens check/);
      assert.equal(run.stdout, '');
    });
  }
});

describe('cors-lens check: folders', () => {
  test('walks folders honouring .gitignore and skipping node_modules and .git', () => {
    const root = tmp({
      '.gitignore': { text: '# generated\nignored/\n*_local.py\n!keep_local.py\n/top.py\n' },
      'app/settings.py': { fixture: 'error.py' },
      'app/top.py': { fixture: 'warning.py' },
      'top.py': { fixture: 'error.py' },
      'ignored/settings.py': { fixture: 'error.py' },
      'app/dev_local.py': { fixture: 'error.py' },
      'app/keep_local.py': { fixture: 'warning.py' },
      'node_modules/pkg/settings.py': { fixture: 'error.py' },
      '.git/hooks/settings.py': { fixture: 'error.py' },
      'sub/.gitignore': { text: 'nested.py\n' },
      'sub/nested.py': { fixture: 'error.py' },
      'sub/kept.py': { fixture: 'clean.py' },
      'README.md': { text: 'CORS_ALLOW_ALL_ORIGINS = True\n' },
    });
    const run = cli(['check', '.', '--format', 'json'], root);
    const report = JSON.parse(run.stdout) as {
      findings: { file: string }[];
      checked: number;
      skipped: { file: string; reason: string }[];
    };
    assert.deepEqual(
      [...new Set(report.findings.map((f) => f.file))],
      ['app/keep_local.py', 'app/settings.py', 'app/top.py'],
    );
    assert.equal(report.checked, 4, 'app/{keep_local,settings,top}.py and sub/kept.py');
    // Ignored files are named (one may be committed all the same), ignored folders and .git not;
    // node_modules is named: it may be the project's own code under that name.
    assert.deepEqual(
      report.skipped.map((s) => `${s.file}: ${s.reason.split(',')[0]}`),
      [
        'node_modules: a folder named like installed packages',
        'app/dev_local.py: listed in a .gitignore',
        'sub/nested.py: listed in a .gitignore',
        'top.py: listed in a .gitignore',
      ],
    );
    assert.equal(run.code, 1);
  });

  test('no paths means the working directory', () => {
    const root = tmp({ 'settings.py': { fixture: 'warning.py' } });
    const run = cli(['check'], root);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^settings\.py:3:1 {2}warning/m);
  });

  test('unreadable files get one line each and do not stop the run', () => {
    const root = tmp({
      'binary.py': { text: Buffer.from('CORS_ALLOW_ALL_ORIGINS = True\0\n') },
      'latin1.py': { text: Buffer.from([0x23, 0x20, 0xe9, 0x0a]) },
      'big.py': { text: '#'.repeat(2 * 1024 * 1024 + 1) },
      'settings.py': { fixture: 'error.py' },
    });
    const run = cli(['check', '.'], root);
    assert.equal(run.code, 1);
    assert.deepEqual(run.stderr.trim().split('\n').sort(), [
      'big.py: skipped: larger than 2 MB',
      'binary.py: skipped: a binary file',
      'latin1.py: skipped: not valid UTF-8',
    ]);
    assert.match(run.stdout, /1 problem \(1 error\); 1 file checked/);
  });

  test('a named pipe named like a source file is skipped, not waited on', () => {
    const root = tmp({ 'settings.py': { fixture: 'error.py' } });
    execFileSync('mkfifo', [path.join(root, 'pipe.py')]);
    const run = cli(['check', '.'], root);
    assert.equal(run.stderr, 'pipe.py: skipped: not a regular file\n');
    assert.match(run.stdout, /1 problem \(1 error\); 1 file checked/);
  });
});

describe('cors-lens check: a reader that stops early', () => {
  test('a closed pipe ends the run quietly, without a crash on stderr', () => {
    const files: Parameters<typeof scratch>[0] = {};
    // Far more JSON than a pipe buffers, so writes go on after `head` has gone.
    for (let i = 0; i < 300; i++) files[`app${i}/settings.py`] = { fixture: 'error.py' };
    const root = tmp(files);
    const script = `"${process.execPath}" "${cliBundle}" check . --format json | head -c 10`;
    const run = spawnSync('bash', ['-c', script], {
      cwd: root,
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(run.stdout, '{\n  "findi');
    assert.equal(run.stderr, '');
  });
});

describe('cors-lens check --fix', () => {
  test('applies every fix, writes the file and reports what remains', () => {
    const root = tmp({
      'fixable.py': { fixture: 'fixable.py' },
      'error.py': { fixture: 'error.py' },
    });
    const run = cli(['check', '.', '--fix', '--format', 'json'], root);
    const report = JSON.parse(run.stdout) as { findings: unknown[]; fixed: number };
    assert.equal(report.fixed, 3);
    assert.deepEqual(report.findings, []);
    assert.equal(run.code, 0);
    assert.equal(
      readFileSync(path.join(root, 'fixable.py'), 'utf8'),
      readFileSync(path.join(cliFixtures, 'fixable.py'), 'utf8')
        .replace('.com/"', '.com"')
        .replace('.com/"', '.com"'),
    );
    assert.match(
      readFileSync(path.join(root, 'error.py'), 'utf8'),
      /^CORS_ALLOWED_ORIGINS = \[\n {4}"http:\/\/localhost:3000",\n {4}"http:\/\/localhost:5173",\n\]$/m,
    );
  });

  test('--fix-rounds bounds the rounds: a fix the first round makes possible waits for the next', () => {
    // The origin is checked once the middleware makes the settings live: a second-round fix.
    const text =
      'INSTALLED_APPS = ["corsheaders"]\nMIDDLEWARE = ["django.middleware.common.CommonMiddleware"]\nCORS_ALLOWED_ORIGINS = ["https://app.example.com/"]\n';
    const middleware =
      'MIDDLEWARE = ["corsheaders.middleware.CorsMiddleware", "django.middleware.common.CommonMiddleware"]';
    const root = tmp({ 'settings.py': { text } });
    const one = cli(['check', '.', '--fix', '--fix-rounds', '1', '--format', 'json'], root);
    const report = JSON.parse(one.stdout) as { findings: { check: string }[]; fixed: number };
    assert.equal(report.fixed, 1);
    assert.deepEqual(
      report.findings.map((f) => f.check),
      ['malformed-origin'],
    );
    const afterOne = readFileSync(path.join(root, 'settings.py'), 'utf8');
    assert.equal(afterOne, text.replace(/^MIDDLEWARE = .*$/m, middleware));
    const all = cli(['check', '.', '--fix', '--format', 'json'], root);
    assert.equal((JSON.parse(all.stdout) as { fixed: number }).fixed, 1);
    assert.equal(
      readFileSync(path.join(root, 'settings.py'), 'utf8'),
      afterOne.replace('.com/"', '.com"'),
    );
    assert.match(cli(['check', '.', '--fix-rounds', '0'], root).stderr, /--fix-rounds must be/);
  });

  test('text output says how many were fixed', () => {
    const root = tmp({ 'fixable.py': { fixture: 'fixable.py' } });
    const run = cli(['check', 'fixable.py', '--fix'], root);
    assert.equal(
      run.stdout,
      'Fixed 2 problems.\nNo CORS problems found (1 file checked, 1 with a CORS setup modelled).\n',
    );
    assert.equal(run.code, 0);
  });
});

describe('cors-lens check: a file whose setup comes from files it pulls in', () => {
  test('a settings module that star-imports its CORS setup is checked (its own MIDDLEWARE drops CorsMiddleware)', () => {
    const dir = tmp({
      'settings/__init__.py': { text: '' },
      'settings/base.py': {
        text: 'INSTALLED_APPS = ["corsheaders"]\nMIDDLEWARE = ["corsheaders.middleware.CorsMiddleware", "django.middleware.common.CommonMiddleware"]\nCORS_ALLOWED_ORIGINS = ["https://app.example.com"]\n',
      },
      'settings/production.py': {
        text: 'from .base import *\nMIDDLEWARE = ["django.middleware.common.CommonMiddleware"]\n',
      },
    });
    const run = cli(['check', '.'], dir);
    assert.equal(
      run.stdout,
      "settings/production.py:2:1  error  'corsheaders.middleware.CorsMiddleware' is missing from MIDDLEWARE: the CORS settings have no effect and no response carries CORS headers.  [cors-middleware-missing]\n1 problem (1 error); 3 files checked, 2 with a CORS setup modelled.\n",
    );
  });

  test('an nginx.conf that includes its CORS headers is checked (a location drops them)', () => {
    const dir = tmp({
      'nginx.conf': {
        text: 'events {}\nhttp {\n    server {\n        listen 80;\n        include snippets/api-headers.conf;\n        location /api/ {\n            add_header X-Frame-Options DENY;\n            root /srv/www;\n        }\n    }\n}\n',
      },
      'snippets/api-headers.conf': {
        text: 'add_header Access-Control-Allow-Origin "https://app.example.com" always;\n',
      },
    });
    const run = cli(['check', 'nginx.conf'], dir);
    assert.match(
      run.stdout,
      /^nginx\.conf:7:13 {2}error {2}This add_header makes `location \/api\/` drop the enclosing level's Access-Control-Allow-Origin\b.*\[nginx-add-header-inheritance\]\n1 problem \(1 error\); 1 file checked, 1 with a CORS setup modelled\.\n$/,
    );
  });
});
