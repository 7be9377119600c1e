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

const noFiles = { read: () => undefined };

async function policies(text: string): Promise<Policy[]> {
  const tree = await parseText('python', text);
  try {
    return await extractPolicies('python', '/app/app.py', text, tree, noFiles);
  } finally {
    tree.delete();
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
