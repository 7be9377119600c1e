/** Flask-CORS and hand-set Python extraction: option precedence, resources, dynamic values, broken code. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DiskReader } from '../../../server/src/base/disk-reader';
import { extractPolicies } from '../../../server/src/frameworks';
import { parseText } from '../../../server/src/parsing/parser';
import { type Policy, factsOf } from '../../../server/src/policy/types';
import { analyzeText } from '../../support/check-fixture';
import { extractWithin } from '../../../server/src/analysis/analyze';
import type { Environment } from '../../../server/src/environment/types';

const noFiles = { read: () => undefined };

async function policies(text: string): Promise<Policy[]> {
  const tree = await parseText('python', text);
  try {
    return await extractPolicies('python', '/app/app.py', text, tree, noFiles);
  } finally {
    tree.delete();
  }
}

/** An environment that sets `vars` (as its env files would). */
const environment = (name: string, vars: Record<string, string>): Environment => ({
  name,
  root: '/p',
  files: [],
  vars: new Map(Object.entries(vars).map(([k, v]) => [k, { value: v, file: '/p/.env' }])),
});

/** The policies of `file` read from disk around it, in `env` when given. */
async function policiesIn(file: string, text: string, env?: Environment): Promise<Policy[]> {
  const tree = await parseText('python', text);
  try {
    return (
      await extractWithin(
        60_000,
        () => extractPolicies('python', file, text, tree, new DiskReader()),
        env,
      )
    ).policies;
  } finally {
    tree.delete();
  }
}

/** Runs `body` in a temporary project holding `files` (relative path → text), then removes it. */
async function inProject(
  files: Record<string, string>,
  body: (project: string) => Promise<void>,
): Promise<void> {
  const project = mkdtempSync(path.join(tmpdir(), 'flask-project-'));
  try {
    for (const [name, text] of Object.entries({
      'pyproject.toml': '[project]\nname = "p"\n',
      ...files,
    })) {
      mkdirSync(path.dirname(path.join(project, name)), { recursive: true });
      writeFileSync(path.join(project, name), text);
    }
    await body(project);
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}

const HEAD =
  'from flask import Flask, request\nfrom flask_cors import CORS, cross_origin\napp = Flask(__name__)\n';

describe('Flask-CORS extractor', () => {
  it('orders dict resources as parse_resources does: literal paths first, then by slashes and length', async () => {
    const found = await policies(
      `${HEAD}CORS(app, resources={r"/*": {}, r"/api/v1/*": {}, "/health": {}, r"/api/*": {}})\n`,
    );
    assert.deepEqual(
      found.map((p) => factsOf(p, 'flask-cors')?.resource),
      ['/health', '/api/v1/*', '/api/*', '/*'],
    );
  });

  it('resource options win over CORS() keywords, which win over app.config', async () => {
    const [policy] = await policies(
      `${HEAD}app.config["CORS_MAX_AGE"] = 5\napp.config["CORS_SUPPORTS_CREDENTIALS"] = True\nCORS(app, max_age=10, resources={r"/api/*": {"max_age": 20}})\n`,
    );
    assert.equal(policy.maxAge, 20);
    assert.equal(policy.credentials, true);
  });

  it('marks origins from an unknown **splat or config file as dynamic', async () => {
    const [splat] = await policies(`${HEAD}CORS(app, **load_options())\n`);
    assert.equal(splat.origins.dynamic, true);
    const [config] = await policies(`${HEAD}app.config.from_object("settings")\nCORS(app)\n`);
    assert.equal(config.origins.dynamic, true);
    assert.equal(config.credentials, 'dynamic');
  });

  it('follows from_object to a config class of the project (dotted string or imported name), never outside it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'flask-config-object-'));
    try {
      const project = path.join(dir, 'project');
      mkdirSync(path.join(project, 'pkg'), { recursive: true });
      writeFileSync(path.join(project, 'pyproject.toml'), '[project]\nname = "p"\n');
      writeFileSync(path.join(project, 'pkg', '__init__.py'), '');
      const config =
        'ORIGINS = ["https://app.example.com"]\n\nclass Base:\n    CORS_MAX_AGE = 60\n    CORS_SUPPORTS_CREDENTIALS = False\n\nclass ProdConfig(Base):\n    CORS_ORIGINS = ORIGINS\n    CORS_SUPPORTS_CREDENTIALS = True\n';
      writeFileSync(path.join(project, 'pkg', 'config.py'), config);
      // A module of the same name above the project's root: not the project's code.
      writeFileSync(path.join(dir, 'outside.py'), 'class ProdConfig:\n    CORS_ORIGINS = "*"\n');
      const read = async (load: string) => {
        const file = path.join(project, 'pkg', 'app.py');
        const text = `${HEAD}${load}\nCORS(app)\n`;
        const tree = await parseText('python', text);
        try {
          return (await extractPolicies('python', file, text, tree, new DiskReader()))[0];
        } finally {
          tree.delete();
        }
      };
      for (const load of [
        'app.config.from_object("pkg.config.ProdConfig")',
        'from pkg.config import ProdConfig\napp.config.from_object(ProdConfig)',
      ]) {
        const policy = await read(load);
        assert.deepEqual(
          policy.origins.exact.map((o) => o.value),
          ['https://app.example.com'],
          load,
        );
        assert.equal(policy.origins.dynamic, false);
        assert.equal(policy.credentials, true, 'the class wins over its base');
        assert.equal(policy.maxAge, 60, 'read from the base class');
        assert.ok(policy.files.includes(path.join(project, 'pkg', 'config.py')));
      }
      const outside = await read('app.config.from_object("outside.ProdConfig")');
      assert.equal(outside.origins.dynamic, true);
      assert.equal(outside.origins.allowAll, false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a config class whose bases are imported from other modules of the project', () =>
    inProject(
      {
        'config/__init__.py': '',
        'config/base.py':
          'ORIGINS = ["https://a.example.com"]\n\nclass Base:\n    CORS_ORIGINS = ORIGINS\n    CORS_MAX_AGE = 60\n',
        'config/mixins.py':
          'class Cookies:\n    CORS_SUPPORTS_CREDENTIALS = True\n    CORS_MAX_AGE = 5\n',
        'config/production.py':
          'from config.base import Base\nfrom .mixins import Cookies as WithCookies\n\nclass Prod(WithCookies, Base):\n    DEBUG = False\n',
      },
      async (project) => {
        const file = path.join(project, 'app.py');
        const text = `${HEAD}app.config.from_object("config.production.Prod")\nCORS(app)\n`;
        const [policy] = await policiesIn(file, text);
        assert.deepEqual(
          policy.origins.exact.map((o) => o.value),
          ['https://a.example.com'],
        );
        assert.equal(policy.credentials, true);
        assert.equal(policy.maxAge, 5, "the first base wins, as in Python's MRO");
        for (const name of ['base.py', 'mixins.py', 'production.py'])
          assert.ok(policy.files.includes(path.join(project, 'config', name)), name);
      },
    ));

  it('gives each config an if may load its own policies, and the one an environment decides alone', () =>
    inProject(
      {
        'config.py':
          'class Dev:\n    CORS_ORIGINS = "*"\n\nclass Test:\n    CORS_ORIGINS = ["http://localhost:1"]\n\nclass Prod:\n    CORS_ORIGINS = ["https://a.example.com"]\n',
      },
      async (project) => {
        const file = path.join(project, 'app.py');
        const origins = (found: Policy[]) =>
          found.map((p) => (p.origins.allowAll ? '*' : p.origins.exact.map((o) => o.value).join()));
        const branches = (condition: string) =>
          `${HEAD}import os\nif ${condition}:\n    app.config.from_object("config.Dev")\nelif os.environ.get("APP_ENV") == "test":\n    app.config.from_object("config.Test")\nelse:\n    app.config.from_object("config.Prod")\nCORS(app)\n`;
        const byEnv = branches('os.environ.get("APP_ENV") == "dev"');
        // Outside an environment nothing says which runs: every branch, the last one not alone.
        assert.deepEqual(origins(await policiesIn(file, byEnv)), [
          '*',
          'http://localhost:1',
          'https://a.example.com',
        ]);
        assert.deepEqual(
          origins(await policiesIn(file, byEnv, environment('production', { APP_ENV: 'prod' }))),
          ['https://a.example.com'],
        );
        assert.deepEqual(
          origins(await policiesIn(file, byEnv, environment('production', { APP_ENV: 'test' }))),
          ['http://localhost:1'],
        );
        // A written default decides the branch as a fresh checkout runs it.
        assert.deepEqual(
          origins(await policiesIn(file, branches('os.getenv("APP_ENV", "dev") == "dev"'))),
          ['*'],
        );
        // Flask's own switch: from FLASK_DEBUG where set, else the environment's name.
        const debug = branches('app.debug');
        assert.equal((await policiesIn(file, debug)).length, 3);
        assert.deepEqual(origins(await policiesIn(file, debug, environment('development', {}))), [
          '*',
        ]);
        assert.deepEqual(
          origins(await policiesIn(file, debug, environment('development', { FLASK_DEBUG: '0' }))),
          ['http://localhost:1', 'https://a.example.com'],
        );
        const env = branches('app.config["ENV"] == "development"');
        assert.deepEqual(origins(await policiesIn(file, env, environment('production', {}))), [
          'http://localhost:1',
          'https://a.example.com',
        ]);
      },
    ));

  it('outside an environment, labels each branch with the environments of the project that take it', () =>
    inProject(
      {
        '.env.development': 'FLASK_ENV=development\n',
        '.env.production': 'FLASK_ENV=production\n',
        'config.py':
          'class Dev:\n    CORS_ORIGINS = "*"\n    CORS_SUPPORTS_CREDENTIALS = True\n\nclass Test:\n    CORS_ORIGINS = "*"\n\nclass Prod:\n    CORS_ORIGINS = ["https://a.example.com"]\n',
      },
      async (project) => {
        const file = path.join(project, 'app.py');
        const text = `${HEAD}import os\nif os.environ.get("FLASK_ENV") == "development":\n    app.config.from_object("config.Dev")\nelif os.environ.get("FLASK_ENV") == "testing":\n    app.config.from_object("config.Test")\nelse:\n    app.config.from_object("config.Prod")\nCORS(app)\n`;
        const found = await policiesIn(file, text);
        assert.deepEqual(
          found.map((p) => [p.origins.allowAll, p.credentials, p.environments]),
          [
            [true, true, ['development']],
            // No environment of the project takes the testing branch: it is reported as any other.
            [true, false, undefined],
            [false, false, ['production']],
          ],
        );
        // What only development runs is the developer's machine: not a production finding.
        const { findings } = await analyzeText(file, text);
        assert.deepEqual(
          findings.filter((f) => f.severity === 'error').map((f) => f.check),
          [],
        );
      },
    ));

  it('reads app.config values and environment variables passed into CORS()', async () => {
    const written = `${HEAD}app.config["FRONT"] = ["https://a.example.com"]\n`;
    const [subscript] = await policies(`${written}CORS(app, origins=app.config["FRONT"])\n`);
    assert.deepEqual(
      subscript.origins.exact.map((o) => o.value),
      ['https://a.example.com'],
    );
    const [got] = await policies(`${written}CORS(app, origins=app.config.get("FRONT", "*"))\n`);
    assert.equal(got.origins.allowAll, false);
    // A key nothing sets: `.get` gives its default, unless a config file may set it.
    const [fallback] = await policies(`${HEAD}CORS(app, origins=app.config.get("FRONT", "*"))\n`);
    assert.equal(fallback.origins.allowAll, true);
    const [hidden] = await policies(
      `${HEAD}app.config.from_pyfile("x.cfg")\nCORS(app, origins=app.config.get("FRONT", "*"))\n`,
    );
    assert.equal(hidden.origins.allowAll, false);
    assert.equal(hidden.origins.dynamic, true);
    const environ = `${HEAD}import os\nCORS(app, origins=os.environ["FRONT_ORIGIN"])\n`;
    const [unset] = await policies(environ);
    assert.equal(unset.origins.dynamic, true);
    const [set] = await policiesIn(
      '/app/app.py',
      environ,
      environment('production', { FRONT_ORIGIN: 'https://b.example.com' }),
    );
    assert.deepEqual(
      set.origins.exact.map((o) => o.value),
      ['https://b.example.com'],
    );
    assert.deepEqual(
      set.envReads?.map((r) => r.name),
      ['FRONT_ORIGIN'],
    );
  });

  it('notes @cross_origin written above @app.route (the route registers the bare view)', async () => {
    const [policy] = await policies(
      `${HEAD}@cross_origin()\n@app.route("/x")\ndef x():\n    return "x"\n`,
    );
    assert.ok(factsOf(policy, 'flask-cors')?.ineffective);
  });
});

describe('hand-set Python headers extractor', () => {
  it('echoing the Origin without an allowlist test sets reflectAny; with one, lists the origins', async () => {
    const reflect = await policies(
      `${HEAD}@app.after_request\ndef h(r):\n    r.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin")\n    return r\n`,
    );
    assert.ok(reflect[0].origins.reflectAny);
    const checked = await policies(
      `${HEAD}OK = ["https://a.test"]\n@app.after_request\ndef h(r):\n    o = request.headers.get("Origin")\n    if o in OK:\n        r.headers["Access-Control-Allow-Origin"] = o\n    return r\n`,
    );
    assert.equal(checked[0].origins.reflectAny, undefined);
    assert.deepEqual(
      checked[0].origins.exact.map((o) => o.value),
      ['https://a.test'],
    );
  });
});

describe('bad input', () => {
  it('code broken mid-typing gives no crash and no finding', async () => {
    for (const text of [
      `${HEAD}CORS(app, origins=["https://a.test", `,
      `${HEAD}CORS(app, origins=`,
      `${HEAD}@app.after_request\ndef h(r):\n    r.headers["Access-Control-Allow-Origin"] = \n    return r\n`,
      `${HEAD}@app.route("/x", methods=["OPTIONS"])\ndef x():\n    if request.method == "OPTIONS":\n        return "", 204, {"Access-Control-Allow-Origin": "https://a.test",\n`,
    ]) {
      const { findings } = await analyzeText('/app/app.py', text, noFiles);
      assert.deepEqual(
        findings.map((f) => `${f.check}: ${f.message}`),
        [],
        text,
      );
    }
  });

  it('a large app module stays fast', async () => {
    const views = Array.from(
      { length: 2000 },
      (_, i) => `@app.route("/v${i}")\ndef v${i}():\n    return "${i}"\n`,
    ).join('\n');
    const text = `${HEAD}CORS(app, origins=["https://a.test"])\n${views}`;
    const { policies: found } = await analyzeText('/app/app.py', text, noFiles);
    assert.equal(found.length, 1);
  });
});
