/**
 * The JS evaluator reads a name where it is written: a `const` of the function or block around
 * it (options built in `bootstrap()`), shadowing the module's; a parameter, a loop variable or a
 * destructured local is not one known value, whatever the module binds to the same name.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JsEvaluator } from '../../../server/src/lang/javascript/evaluate';
import { parseText } from '../../../server/src/parsing/parser';
import type { StaticValue } from '../../../server/src/policy/types';

/** What the argument of each `read(...)` call evaluates to, in source order. */
async function reads(text: string): Promise<StaticValue[]> {
  const tree = await parseText('typescript', text);
  try {
    const js = new JsEvaluator('f.ts', tree.root);
    return tree.root
      .descendantsOfType('call_expression')
      .filter((c) => c?.childForFieldName('function')?.text === 'read')
      .map((c) => js.evaluate(c!.childForFieldName('arguments')!.namedChildren[0]!));
  } finally {
    tree.delete();
  }
}

const shown = (v: StaticValue) => (v.kind === 'str' ? v.value : v.kind);

test("a function's own const is read where the function uses it", async () => {
  const [options] = await reads(
    "async function bootstrap() {\n  const opts = { origin: '*', credentials: true };\n  read(opts);\n}\n",
  );
  assert.equal(options.kind, 'dict');
});

test('the nearest declaration wins: block over function over module', async () => {
  const values = await reads(
    "const x = 'module';\nfunction f() {\n  const x = 'function';\n  if (ok) {\n    const x = 'block';\n    read(x);\n  }\n  read(x);\n}\nread(x);\n",
  );
  assert.deepEqual(values.map(shown), ['block', 'function', 'module']);
});

test('a const of another function is not in scope', async () => {
  const [value] = await reads(
    "function a() {\n  const y = 'a';\n}\nfunction b() {\n  read(y);\n}\n",
  );
  assert.equal(value.kind, 'dynamic');
});

test('parameters, loop variables, caught errors and destructured locals shadow the module name', async () => {
  const values = await reads(
    [
      "const o = 'module';",
      'function p(o) { read(o); }',
      'const q = ({ o }) => read(o);',
      'for (const o of list) read(o);',
      'try { run(); } catch (o) { read(o); }',
      'function r() { const { o } = config; read(o); }',
      'function s() { let o; read(o); }',
      '',
    ].join('\n'),
  );
  assert.deepEqual(values.map(shown), [
    'dynamic',
    'dynamic',
    'dynamic',
    'dynamic',
    'dynamic',
    'dynamic',
  ]);
});

test('a default value in a parameter list is read, the parameter is not', async () => {
  const values = await reads("const d = 'module';\nfunction f(a = read(d)) {\n  read(a);\n}\n");
  assert.deepEqual(values.map(shown), ['module', 'dynamic']);
});
