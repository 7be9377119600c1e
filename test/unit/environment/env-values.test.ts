/**
 * Env reads in the Python, JavaScript and Ruby evaluators, per environment: the env file's value
 * when the environment sets the name, else the written default (cast as each library casts it),
 * and every read noted with its default for the env checks.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node } from 'web-tree-sitter';
import { inEnvironment } from '../../../server/src/environment/scope';
import type { Environment } from '../../../server/src/environment/types';
import { PythonEvaluator } from '../../../server/src/lang/python/evaluate';
import { JsEvaluator } from '../../../server/src/lang/javascript/evaluate';
import { RubyEvaluator } from '../../../server/src/lang/ruby/evaluate';
import { parseText } from '../../../server/src/parsing/parser';

const environment = (vars: Record<string, string>): Environment => ({
  name: 'production',
  root: '/p',
  files: ['/p/.env.production'],
  vars: new Map(
    Object.entries(vars).map(([k, v]) => [k, { value: v, file: '/p/.env.production' }]),
  ),
});

/** The last assignment's right-hand side of a one-line program. */
function lastValue(root: Node, type: string, field: string): Node {
  const found = root.descendantsOfType(type);
  const node = found[found.length - 1]?.childForFieldName(field);
  assert.ok(node, `no ${type} in ${root.text}`);
  return node;
}

/** A value as plain data: a list's items, a scalar's value, else its kind. */
function plain(value: unknown): unknown {
  if (!value || typeof value !== 'object') return value;
  const v = value as { kind: string; items?: unknown[]; value?: unknown };
  if (v.items) return v.items.map(plain);
  return 'value' in v ? v.value : v.kind;
}

async function python(code: string, vars?: Record<string, string>) {
  const tree = await parseText('python', code);
  const node = lastValue(tree.roots[0], 'assignment', 'right');
  const { result, reads } = await inEnvironment(vars && environment(vars), () =>
    Promise.resolve(new PythonEvaluator('s.py', () => undefined).evaluate(node)),
  );
  return { value: plain(result), reads: reads.map((r) => [r.name, r.fallback?.text]) };
}

async function js(code: string, vars?: Record<string, string>) {
  const tree = await parseText('javascript', code);
  const node = lastValue(tree.root, 'variable_declarator', 'value');
  const { result, reads } = await inEnvironment(vars && environment(vars), () =>
    Promise.resolve(new JsEvaluator('a.js', tree.root).evaluate(node)),
  );
  return { value: plain(result), reads: reads.map((r) => [r.name, r.fallback?.text]) };
}

async function ruby(code: string, vars?: Record<string, string>) {
  const tree = await parseText('ruby', code);
  const node = lastValue(tree.root, 'assignment', 'right');
  const { result, reads } = await inEnvironment(vars && environment(vars), () =>
    Promise.resolve(new RubyEvaluator('a.rb', () => undefined).evaluate(node)),
  );
  return { value: plain(result), reads: reads.map((r) => [r.name, r.fallback?.text]) };
}

describe('env reads per environment', () => {
  it('Python: os.getenv / os.environ.get take the env file, else the default', async () => {
    const code = 'X = os.getenv("ORIGINS", "http://localhost:3000").split(",")\n';
    assert.deepEqual(await python(code), {
      value: ['http://localhost:3000'],
      reads: [['ORIGINS', '"http://localhost:3000"']],
    });
    assert.deepEqual(
      (await python(code, { ORIGINS: 'https://a.example,https://b.example' })).value,
      ['https://a.example', 'https://b.example'],
    );
  });

  it('Python: == "True" and bool() as Python computes them', async () => {
    const eq = 'X = os.environ.get("ALL", "True") == "True"\n';
    assert.equal((await python(eq)).value, true);
    assert.equal((await python(eq, { ALL: 'False' })).value, false);
    // bool() of any non-empty string is True: "False" in the env file still turns it on.
    const cast = 'X = bool(os.environ.get("ALL", True))\n';
    assert.equal((await python(cast)).value, true);
    assert.equal((await python(cast, { ALL: 'False' })).value, true);
    assert.deepEqual((await python(cast)).reads, [['ALL', 'True']]);
  });

  it('Python: django-environ and python-decouple casts', async () => {
    assert.equal((await python('X = env.bool("ALL", default=True)\n')).value, true);
    assert.equal(
      (await python('X = env.bool("ALL", default=True)\n', { ALL: 'off' })).value,
      false,
    );
    assert.deepEqual(
      (
        await python('X = env.list("O", default=["http://localhost:3000"])\n', {
          O: 'https://a.example, https://b.example',
        })
      ).value,
      ['https://a.example', 'https://b.example'],
    );
    assert.equal((await python('X = config("ALL", default="yes", cast=bool)\n')).value, true);
    assert.deepEqual(
      (await python('X = config("O", default="http://localhost:3000", cast=Csv())\n')).value,
      ['http://localhost:3000'],
    );
  });

  it('JavaScript: process.env.X || default and ?? default', async () => {
    const or = "const x = process.env.CORS_ORIGIN || 'http://localhost:5173';\n";
    assert.deepEqual(await js(or), {
      value: 'http://localhost:5173',
      reads: [['CORS_ORIGIN', "'http://localhost:5173'"]],
    });
    assert.equal(
      (await js(or, { CORS_ORIGIN: 'https://app.example' })).value,
      'https://app.example',
    );
    const nullish = 'const x = process.env.CORS_ORIGIN ?? true;\n';
    assert.equal((await js(nullish)).value, true);
    assert.equal((await js(nullish, { CORS_ORIGIN: '' })).value, '');
  });

  it("Ruby: ENV.fetch('X', default) and ENV['X'] || default", async () => {
    const fetch = "x = ENV.fetch('CORS_ORIGINS', 'http://localhost:3000').split(',')\n";
    assert.deepEqual(await ruby(fetch), {
      value: ['http://localhost:3000'],
      reads: [['CORS_ORIGINS', "'http://localhost:3000'"]],
    });
    assert.deepEqual((await ruby(fetch, { CORS_ORIGINS: 'https://app.example' })).value, [
      'https://app.example',
    ]);
    const or = "x = ENV['CORS_ORIGIN'] || '*'\n";
    assert.deepEqual(await ruby(or), { value: '*', reads: [['CORS_ORIGIN', "'*'"]] });
    assert.equal((await ruby(or, { CORS_ORIGIN: 'https://a.example' })).value, 'https://a.example');
  });

  it('JavaScript: the mode picks a ternary branch (NODE_ENV); unknown outside an environment', async () => {
    const code = [
      "const isProd = process.env.NODE_ENV === 'production';",
      "const x = isProd ? 'https://app.example' : !isProd && 'http://localhost:3000';",
      '',
    ].join('\n');
    assert.equal((await js(code, { NODE_ENV: 'production' })).value, 'https://app.example');
    assert.equal((await js(code, { NODE_ENV: 'development' })).value, 'http://localhost:3000');
    assert.equal((await js(code)).value, 'dynamic');
    const loose = "const x = process.env.NODE_ENV != 'test' ? 1 : 2;\n";
    assert.equal((await js(loose, { NODE_ENV: 'test' })).value, 2);
  });

  it('Ruby: Rails.env.production? and Rails.env == picks a branch; unknown outside one', async () => {
    const inquirer =
      'x = Rails.env.production? ? "https://app.example" : "http://localhost:3000"\n';
    assert.equal((await ruby(inquirer, { RAILS_ENV: 'production' })).value, 'https://app.example');
    assert.equal(
      (await ruby(inquirer, { RAILS_ENV: 'development' })).value,
      'http://localhost:3000',
    );
    assert.equal((await ruby(inquirer)).value, 'dynamic');
    const equal = 'x = !(Rails.env == "development") ? "*" : nil\n';
    assert.equal((await ruby(equal, { RAILS_ENV: 'staging' })).value, '*');
    assert.equal((await ruby(equal, { RAILS_ENV: 'development' })).value, 'nil');
  });
});
