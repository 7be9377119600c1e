import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runAction, type CompositeAction } from '../../support/action-runner';
import { copyCheckout } from '../../support/checkout-copy';
import { packCli, type PackedCli } from '../../support/cli-package';
import { loadYaml, yamlBlocksOf } from '../../support/yaml';

const repo = path.resolve(__dirname, '../../..');
const cliFixtures = path.join(repo, 'test/fixtures/cli');
const action = loadYaml(path.join(repo, 'action.yml')) as CompositeAction;
const cliVersion = (
  JSON.parse(readFileSync(path.join(repo, 'cli/package.json'), 'utf8')) as { version: string }
).version;

// The inputs of github/codeql-action/upload-sarif (upload-sarif/action.yml at
// 03e7845b7bfcd5e7fb63d1ae8c61b0e791134fab); the action passes only these.
const uploadSarifInputs = [
  'sarif_file',
  'checkout_path',
  'ref',
  'sha',
  'token',
  'matrix',
  'category',
  'wait-for-processing',
];

/** Every `${{ ... }}` expression in a piece of the action. */
const expressions = (value: unknown): string[] =>
  [...JSON.stringify(value).matchAll(/\$\{\{(.*?)\}\}/g)].map((m) => m[1].trim());

describe('action.yml: its shape', () => {
  test('a composite action whose scripts run in bash', () => {
    assert.equal(action.runs.using, 'composite');
    assert.ok(action.name && action.description);
    for (const step of action.runs.steps) {
      if (step.run !== undefined) assert.equal(step.shell, 'bash');
      else assert.ok(step.uses, 'a step either runs a script or uses an action');
    }
  });

  test('every input is described and used; every expression names an input or a step output that exists', () => {
    const used = new Set(
      expressions(action.runs).concat(action.runs.steps.flatMap((s) => (s.if ? [s.if] : []))),
    );
    const stepIds = new Set(action.runs.steps.flatMap((s) => (s.id ? [s.id] : [])));
    for (const [name, spec] of Object.entries(action.inputs)) {
      assert.ok(spec.description, `${name} is described`);
      assert.ok(
        [...used].some((e) => e.includes(`inputs.${name}`)),
        `${name} is used`,
      );
    }
    for (const expr of [...used, ...expressions(action.outputs)]) {
      for (const [, name] of expr.matchAll(/inputs\.([\w-]+)/g))
        assert.ok(name in action.inputs, `${expr}: no input ${name}`);
      for (const [, id] of expr.matchAll(/steps\.([\w-]+)\./g))
        assert.ok(stepIds.has(id), `${expr}: no step ${id}`);
    }
    // Inputs reach scripts through env, never pasted into the script text.
    for (const step of action.runs.steps) assert.deepEqual(expressions(step.run ?? ''), []);
  });

  test('by default it builds the CLI from its own checkout, and uploads with upload-sarif@v4', () => {
    assert.equal(action.inputs.cli.default, '');
    const upload = action.runs.steps.find((s) =>
      s.uses?.startsWith('github/codeql-action/upload-sarif@'),
    );
    assert.equal(upload?.uses, 'github/codeql-action/upload-sarif@v4');
    for (const key of Object.keys(upload?.with ?? {}))
      assert.ok(uploadSarifInputs.includes(key), key);
  });
});

describe('README: the Action snippet', () => {
  test('a workflow that uses this action at this version, with its own inputs, allowed to upload', () => {
    type Workflow = {
      jobs: Record<
        string,
        {
          permissions: Record<string, string>;
          steps: { uses?: string; with?: Record<string, string> }[];
        }
      >;
    };
    const [workflow] = yamlBlocksOf(
      readFileSync(path.join(repo, 'README.md'), 'utf8'),
      'In CI',
    ) as [Workflow];
    const [job] = Object.values(workflow.jobs);
    assert.equal(job.permissions['security-events'], 'write');
    const step = job.steps.find((s) => s.uses?.startsWith('cors-lens/cors-lens@'));
    assert.equal(step?.uses, `cors-lens/cors-lens@v${cliVersion}`);
    for (const key of Object.keys(step?.with ?? {})) assert.ok(key in action.inputs, key);
    assert.ok(
      job.steps[0].uses?.startsWith('actions/checkout@'),
      'the workspace is checked out first',
    );
  });
});

/** The action's steps run for real on fixture folders, with the packed CLI as its `cli` input. */
describe('action.yml: its steps, run as the runner runs them', () => {
  let packed: PackedCli;
  let count = 0;
  /** A fresh workspace holding the given fixtures (relative name to a file of test/fixtures/cli). */
  const workspace = (files: Record<string, string>): string => {
    const dir = path.join(packed.root, `workspace-${count++}`);
    for (const [name, fixture] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      cpSync(path.join(cliFixtures, fixture), path.join(dir, name));
    }
    mkdirSync(dir, { recursive: true });
    return dir;
  };
  const run = (dir: string, inputs: Record<string, string> = {}) =>
    runAction(action, { cli: packed.tarball, ...inputs }, dir, packed.env);

  before(() => {
    packed = packCli();
  });
  after(() => packed?.remove());

  test('an error finding: a valid SARIF report is uploaded, then the job fails', () => {
    const dir = workspace({
      'api/settings.py': 'error.py',
      'legacy/settings.py': 'warning.py',
      'clean.py': 'clean.py',
    });
    const result = run(dir);
    assert.equal(result.code, 1, result.stderr);
    assert.deepEqual(result.outputs, {
      'sarif-file': 'cors-lens.sarif',
      findings: '2',
      failed: 'true',
    });
    assert.deepEqual(result.used, [
      {
        uses: 'github/codeql-action/upload-sarif@v4',
        with: { sarif_file: 'cors-lens.sarif', category: 'cors-lens' },
      },
    ]);
    assert.match(
      result.stdout,
      /^::error title=CORS Lens::a finding is at least as severe as fail-on \(error\)/m,
    );

    const sarif = JSON.parse(readFileSync(path.join(dir, 'cors-lens.sarif'), 'utf8'));
    assert.equal(sarif.version, '2.1.0');
    const [sarifRun] = sarif.runs;
    const rules: { id: string }[] = sarifRun.tool.driver.rules;
    assert.ok(rules.length > 0);
    assert.equal(sarifRun.originalUriBaseIds['%SRCROOT%'].uri, `file://${dir}/`);
    const results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: {
        physicalLocation: {
          artifactLocation: { uri: string; uriBaseId: string };
          region: { startLine: number };
        };
      }[];
    }[] = sarifRun.results;
    assert.deepEqual(
      results.map((r) => [r.ruleId, r.level, r.locations[0].physicalLocation.artifactLocation.uri]),
      [
        ['allow-all-origins', 'error', 'api/settings.py'],
        ['allow-all-origins', 'warning', 'legacy/settings.py'],
      ],
    );
    for (const r of results) {
      assert.equal(rules[r.ruleIndex].id, r.ruleId);
      assert.ok(r.message.text.length > 0);
      const { artifactLocation, region } = r.locations[0].physicalLocation;
      assert.equal(artifactLocation.uriBaseId, '%SRCROOT%');
      assert.ok(existsSync(path.join(dir, artifactLocation.uri)));
      assert.ok(region.startLine >= 1);
    }
  });

  test('fail-on: warning fails on a warning, error does not, none never fails', () => {
    const dir = workspace({ 'app/settings.py': 'warning.py', 'other/settings.py': 'error.py' });
    const warning = run(dir, { path: 'app', 'fail-on': 'warning' });
    assert.equal(warning.code, 1);
    assert.deepEqual(warning.outputs, {
      'sarif-file': 'cors-lens.sarif',
      findings: '1',
      failed: 'true',
    });
    const error = run(dir, { path: 'app', 'fail-on': 'error', 'sarif-file': 'app.sarif' });
    assert.equal(error.code, 0, error.stderr);
    assert.deepEqual(error.outputs, { 'sarif-file': 'app.sarif', findings: '1', failed: 'false' });
    assert.equal(error.used[0].with.sarif_file, 'app.sarif');
    const none = run(dir, { 'fail-on': 'none' });
    assert.equal(none.code, 0, none.stderr);
    assert.deepEqual(none.outputs, {
      'sarif-file': 'cors-lens.sarif',
      findings: '2',
      failed: 'false',
    });
  });

  test('a clean workspace: an empty report, uploaded; upload: false writes it only', () => {
    const dir = workspace({ 'settings.py': 'clean.py' });
    const clean = run(dir);
    assert.equal(clean.code, 0, clean.stderr);
    assert.equal(clean.outputs.findings, '0');
    assert.equal(clean.used.length, 1);
    assert.deepEqual(
      JSON.parse(readFileSync(path.join(dir, 'cors-lens.sarif'), 'utf8')).runs[0].results,
      [],
    );
    const local = run(dir, { upload: 'false', category: 'backend' });
    assert.equal(local.code, 0);
    assert.deepEqual(local.used, []);
  });

  test('bad usage stops before the upload with the CLI exit code', () => {
    const dir = workspace({ 'settings.py': 'error.py' });
    const result = run(dir, { 'fail-on': 'warnings' });
    assert.equal(result.code, 2);
    assert.deepEqual(result.used, []);
    assert.match(result.stdout, /^::error title=CORS Lens::cors-lens check exited with 2$/m);
    assert.match(result.stderr, /--fail-on must be one of error, warning, info, hint, none/);
  });

  test('cli empty (the default): the CLI built once from the action checkout, then reused', () => {
    // The runner checks the action out at GITHUB_ACTION_PATH: no node_modules, no cli/dist.
    const checkout = path.join(packed.root, 'action-checkout');
    const offline = copyCheckout(checkout);
    const env = { ...packed.env, ...offline, GITHUB_ACTION_PATH: checkout };
    const dir = workspace({ 'api/settings.py': 'error.py', 'legacy/settings.py': 'warning.py' });
    const first = runAction(action, {}, dir, env);
    assert.equal(first.code, 1, first.stderr);
    assert.deepEqual(first.outputs, {
      'sarif-file': 'cors-lens.sarif',
      findings: '2',
      failed: 'true',
    });
    assert.match(first.stderr, /^cors-lens: building the CLI from this checkout \(once\)$/m);
    assert.ok(existsSync(path.join(checkout, 'cli/dist/cli.js')));
    const again = runAction(action, { path: 'legacy' }, dir, env);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.outputs.findings, '1');
    assert.doesNotMatch(again.stderr, /building/);
  });

  test('a path input with quotes and $(...) is a path, never code', () => {
    const odd = `it's "$(touch pwned)"`;
    const dir = workspace({ [`${odd}/settings.py`]: 'error.py' });
    const result = run(dir, { path: odd });
    assert.equal(result.code, 1, result.stderr);
    assert.equal(result.outputs.findings, '1');
    assert.ok(!existsSync(path.join(dir, 'pwned')));
  });
});
