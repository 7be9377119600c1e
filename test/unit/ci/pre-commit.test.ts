import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { grammarFor, languages, maySniff } from '../../../server/src/parsing/languages';
import { copyCheckout } from '../../support/checkout-copy';
import { packCli, type PackedCli } from '../../support/cli-package';
import { loadYaml, yamlBlocksOf } from '../../support/yaml';
import { hangGuardMs } from '../../support/hang-guard';

interface Hook {
  id: string;
  name: string;
  entry: string;
  language: string;
  files: string;
  exclude: string;
  require_serial?: boolean;
}

const repo = path.resolve(__dirname, '../../..');
const hooks = loadYaml(path.join(repo, '.pre-commit-hooks.yaml')) as Hook[];
const [hook] = hooks;
// The README's hook snippets: from this repository, and the `repo: local` one that installs Node.
type Config = {
  repos: { repo: string; rev?: string; hooks: (Hook & { additional_dependencies?: string[] })[] }[];
};
const [, readmeRepoHook, readmeLocalHook] = yamlBlocksOf(
  readFileSync(path.join(repo, 'README.md'), 'utf8'),
  'In CI',
) as [unknown, Config, Config];
const cliVersion = (
  JSON.parse(readFileSync(path.join(repo, 'cli/package.json'), 'utf8')) as { version: string }
).version;

/**
 * The paths (relative, `/`-separated, as pre-commit passes them) that `files`/`exclude` select,
 * matched by Python's `re` as pre-commit matches them.
 */
function selected(filter: { files: string; exclude: string }, paths: string[]): Set<string> {
  const script = [
    'import json, re, sys',
    'spec = json.load(sys.stdin)',
    'files, exclude = re.compile(spec["files"]), re.compile(spec["exclude"])',
    'json.dump([p for p in spec["paths"] if files.search(p) and not exclude.search(p)], sys.stdout)',
  ].join('\n');
  const out = execFileSync('/usr/bin/python3', ['-c', script], {
    input: JSON.stringify({ files: filter.files, exclude: filter.exclude, paths }),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return new Set(JSON.parse(out) as string[]);
}

/** Every file under a folder of the repository, relative to the repository, `/`-separated. */
function filesUnder(folder: string): string[] {
  return readdirSync(path.join(repo, folder), { recursive: true, encoding: 'utf8' })
    .map((file) => path.join(folder, file))
    .filter((file) => statSync(path.join(repo, file)).isFile())
    .map((file) => file.split(path.sep).join('/'));
}

/** Paths to compare the hook with the CLI on: every fixture and example, and named cases. */
const named = [
  'settings.py',
  'app/Settings.PY',
  'server.mjs',
  'api/route.cts',
  'web/App.tsx',
  'src/types.d.ts',
  'lib/index.D.MTS',
  'config.ru',
  'config/initializers/cors.rb',
  'nginx.conf',
  'deploy/nginx.conf',
  'nginx/api.conf',
  'nginx/sites/deep/api.conf',
  'etc/conf.d/default.conf',
  'sites-enabled/api',
  'sites-available/example.com',
  'docker/site.conf.tpl',
  'templates/default.conf.template',
  'vhosts/api.example.ru',
  'nginx-proxy',
  'public/index.php',
  'config/packages/nelmio_cors.yaml',
  'config/packages/prod/nelmio_cors.yml',
  'config/packages/framework.yaml',
  'docker-compose.yml',
  'package.json',
  'README.md',
  'Gemfile',
  'requirements.txt',
  '.env',
  'styles/site.css',
];
const samplePaths = [
  ...new Set([...named, ...filesUnder('test/fixtures'), ...filesUnder('examples')]),
];
/** Whether the CLI reads a file given to it (it sees the absolute path under the project's root). */
const readByCli = (p: string) =>
  grammarFor(`/project/${p}`) !== undefined || maySniff(`/project/${p}`);

describe('.pre-commit-hooks.yaml', () => {
  test('one hook, cors-lens, running the CLI built from the hook’s checkout on all of a commit’s files at once', () => {
    assert.equal(hooks.length, 1);
    assert.equal(hook.id, 'cors-lens');
    assert.equal(hook.language, 'script');
    assert.equal(hook.entry, 'scripts/run-cli.mjs check');
    assert.equal(hook.require_serial, true);
  });

  test('files is the languages’ path patterns (languages.json), made to match relative paths', () => {
    // The CLI matches absolute paths, pre-commit relative ones: a pattern that starts at a
    // separator also starts at the beginning. Verbose mode's layout and comments aside, the
    // hook's pattern is exactly this.
    const relative = (p: string) => (p.startsWith('[\\\\/]') ? `(^|[\\\\/])${p.slice(5)}` : p);
    const expected = `(?i)(${languages
      .flatMap((l) => [...l.files, ...(l.sniff?.files ?? [])])
      .map(relative)
      .join('|')})`;
    const written = hook.files
      .replace(/#.*$/gm, '')
      .replace(/\s+/g, '')
      .replace(/^\(\?ix\)/, '(?i)');
    assert.equal(written, expected);
    assert.equal(hook.exclude, `(?i)${languages.flatMap((l) => l.exclude ?? []).join('|')}`);
  });

  test('pre-commit passes exactly the files the CLI reads: every fixture and example, and named cases', () => {
    const paths = samplePaths;
    const hookSelects = selected(hook, paths);
    const disagree = paths.filter((p) => hookSelects.has(p) !== readByCli(p));
    assert.deepEqual(disagree, []);
    // The sample holds every language, and files of neither kind.
    for (const language of languages)
      assert.ok(
        paths.some((p) => grammarFor(`/project/${p}`) === language.id),
        language.id,
      );
    assert.ok(paths.some((p) => !hookSelects.has(p)));
  });

  test('the README installs this repository’s hook at this version', () => {
    const url = (
      JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as {
        repository: { url: string };
      }
    ).repository.url.replace(/\.git$/, '');
    const [entry] = readmeRepoHook.repos;
    assert.equal(entry.repo, url);
    assert.equal(entry.rev, `v${cliVersion}`);
    assert.deepEqual(
      entry.hooks.map((h) => h.id),
      [hook.id],
    );
  });

  test('the README’s local hook installs this CLI version and selects the same files', () => {
    const [local] = readmeLocalHook.repos[0].hooks;
    assert.equal(readmeLocalHook.repos[0].repo, 'local');
    assert.equal(local.language, 'node');
    assert.equal(local.entry, 'cors-lens check');
    assert.deepEqual(local.additional_dependencies, [`cors-lens@${cliVersion}`]);
    assert.equal(local.require_serial, true);
    const localSelects = selected(local, samplePaths);
    assert.deepEqual(
      samplePaths.filter((p) => localSelects.has(p) !== readByCli(p)),
      [],
    );
  });
});

/** The hook runs as pre-commit runs it: its entry, from its repository, with the files appended. */
describe('the cors-lens hook, run', () => {
  let packed: PackedCli;
  let project: string;
  /** The hook's repository (a copy of this checkout, committed), as pre-commit clones it. */
  let hookRepo: string;
  /** Offline: the CLI build's packages come from this repository's node_modules. */
  let env: NodeJS.ProcessEnv;
  const git = (cwd: string, ...gitArgs: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...gitArgs], {
      cwd,
      stdio: 'ignore',
    });
  before(() => {
    packed = packCli();
    hookRepo = path.join(packed.root, 'hook-repo');
    env = { ...packed.env, ...copyCheckout(hookRepo) };
    git(hookRepo, 'init', '-q');
    git(hookRepo, 'add', '.');
    git(hookRepo, 'commit', '-qm', 'hook');
    project = path.join(packed.root, 'project');
    for (const [name, fixture] of [
      ['good/settings.py', 'clean.py'],
      ['bad/settings.py', 'error.py'],
      ['warn/settings.py', 'warning.py'],
    ]) {
      mkdirSync(path.join(project, path.dirname(name)), { recursive: true });
      cpSync(path.join(repo, 'test/fixtures/cli', fixture), path.join(project, name));
    }
    writeFileSync(path.join(project, 'README.md'), 'CORS_ALLOW_ALL_ORIGINS = True\n');
  });
  after(() => packed?.remove());

  const runEntry = (files: string[]) => {
    const [command, ...args] = hook.entry.split(' ');
    return spawnSync(path.join(hookRepo, command), [...args, ...files], {
      cwd: project,
      env,
      encoding: 'utf8',
      timeout: hangGuardMs(120_000),
    });
  };

  test('entry + filenames: built once, then 0 on a good file (warnings are printed, not failed), 1 on a bad one', () => {
    const good = runEntry(['good/settings.py', 'warn/settings.py']);
    assert.equal(good.status, 0, good.stderr);
    assert.match(good.stderr, /^cors-lens: building the CLI from this checkout \(once\)$/m);
    assert.match(good.stdout, /^warn\/settings\.py:3:1 {2}warning {2}.*\[allow-all-origins\]$/m);
    const bad = runEntry(['good/settings.py', 'bad/settings.py']);
    assert.equal(bad.status, 1, bad.stderr);
    assert.doesNotMatch(bad.stderr, /building/);
    assert.match(bad.stdout, /^bad\/settings\.py:11:1 {2}error {2}.*\[allow-all-origins\]$/m);
    assert.match(
      bad.stdout,
      /^1 problem \(1 error\); 2 files checked, 2 with a CORS setup modelled\.$/m,
    );
  });

  // Real pre-commit (Debian's, installed by test/install-system.sh): `try-repo` clones the hook's
  // repository (its own copy: the CLI is built there on its first run) and runs it on the project.
  const preCommit = (args: string[]) => {
    git(project, 'init', '-q');
    git(project, 'add', '--all');
    return spawnSync('pre-commit', ['try-repo', hookRepo, 'cors-lens', ...args], {
      cwd: project,
      env: { ...env, PRE_COMMIT_HOME: path.join(packed.root, 'pre-commit-home') },
      encoding: 'utf8',
      timeout: hangGuardMs(180_000),
    });
  };

  test('pre-commit try-repo: fails on the bad file with its finding, passes on the good one', () => {
    const all = preCommit(['--all-files']);
    assert.notEqual(
      all.error?.message.includes('ENOENT'),
      true,
      'pre-commit is installed (apt-get install pre-commit)',
    );
    assert.equal(all.status, 1, all.stdout + all.stderr);
    assert.match(all.stdout, /^CORS Lens\.+Failed$/m);
    assert.match(all.stdout, /^bad\/settings\.py:11:1 {2}error {2}.*\[allow-all-origins\]$/m);
    // README.md is not passed: three Python files are.
    assert.match(
      all.stdout,
      /^2 problems \(1 error, 1 warning\); 3 files checked, 3 with a CORS setup modelled\.$/m,
    );
    const good = preCommit(['--files', 'good/settings.py', 'README.md']);
    assert.equal(good.status, 0, good.stdout + good.stderr);
    assert.match(good.stdout, /^CORS Lens\.+Passed$/m);
    const none = preCommit(['--files', 'README.md']);
    assert.equal(none.status, 0, none.stdout + none.stderr);
    assert.match(none.stdout, /^CORS Lens\.+\(no files to check\)Skipped$/m);
  });

  test('the README’s local hook (language: node): pre-commit installs the CLI itself and runs it', () => {
    // A project without node_modules; the package comes from the tarball instead of the
    // registry, and node is this machine's (pre-commit's nodeenv with -n system).
    const bare = path.join(packed.root, 'bare-project');
    mkdirSync(path.join(bare, 'bad'), { recursive: true });
    cpSync(path.join(repo, 'test/fixtures/cli/error.py'), path.join(bare, 'bad/settings.py'));
    const config = readmeLocalHook;
    config.repos[0].hooks[0].additional_dependencies = [packed.tarball];
    writeFileSync(path.join(bare, '.pre-commit-config.yaml'), JSON.stringify(config));
    execFileSync('git', ['init', '-q'], { cwd: bare });
    execFileSync('git', ['add', '.'], { cwd: bare });
    const run = spawnSync('pre-commit', ['run', '--all-files'], {
      cwd: bare,
      env: { ...packed.env, PRE_COMMIT_HOME: path.join(packed.root, 'pre-commit-home') },
      encoding: 'utf8',
      timeout: hangGuardMs(300_000),
    });
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /^CORS Lens\.+Failed$/m);
    assert.match(run.stdout, /^bad\/settings\.py:11:1 {2}error {2}.*\[allow-all-origins\]$/m);
  });
});
