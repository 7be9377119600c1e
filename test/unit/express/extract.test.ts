/** The JS evaluator and the Express extractor on the inputs that must not mislead them. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractExpress } from '../../../server/src/frameworks/express-cors/extract';
import { JsEvaluator } from '../../../server/src/lang/javascript/evaluate';
import { parseText } from '../../../server/src/parsing/parser';
import { type Policy, factsOf } from '../../../server/src/policy/types';
import type { ExpressLayer } from '../../../server/src/frameworks/express-cors/facts';
import { stackOf } from '../../../server/src/frameworks/express-cors/routes';

async function policies(
  text: string,
  grammar: 'javascript' | 'typescript' = 'typescript',
): Promise<Policy[]> {
  const tree = await parseText(grammar, text);
  try {
    return await extractExpress('app.ts', text, tree, { read: () => undefined });
  } finally {
    tree.delete();
  }
}

/** A policy's own `cors()` layers and the app's routes, in registration order. */
function stack(policy: Policy): ExpressLayer[] {
  const facts = factsOf(policy, 'express-cors');
  return facts ? stackOf(facts.mounts, facts.routes.all) : [];
}

const head = "import cors from 'cors';\nimport express from 'express';\nconst app = express();\n";

test('env defaults are envDriven; reassigned bindings are dynamic, grown lists keep their items', async () => {
  const text =
    "const A = process.env.O?.split(',') ?? ['https://a.test'];\nlet B = ['x'];\nB.push('y');\nconst C = process.env.O;\nlet D = ['x'];\nD = ['z'];\nuse(D);\n";
  const tree = await parseText('typescript', text);
  const js = new JsEvaluator('f.ts', tree.root);
  const a = js.evaluate(js.declaration('A')!);
  assert.equal(a.kind === 'list' && a.envDriven, true);
  const use = (name: string) =>
    tree.root
      .descendantsOfType('identifier')
      .find((n) => n?.text === name && n.parent?.type !== 'variable_declarator')!;
  // Declared once and only pushed to: 'x' is always there, what the push adds is unknown.
  const b = js.evaluate(use('B'));
  assert.deepEqual(b.kind === 'list' && b.items.map((i) => (i.kind === 'str' ? i.value : i.kind)), [
    'x',
    'dynamic',
  ]);
  assert.equal(js.evaluate(use('D')).kind, 'dynamic');
  assert.equal(js.evaluate(js.declaration('C')!).kind, 'dynamic');
  tree.delete();
});

test('allowlist functions become exact lists; reflecting ones set reflectAny', async () => {
  const [list] = await policies(
    `${head}const ok = ['https://a.test'];\napp.use(cors({ origin: (o, cb) => { if (ok.includes(o)) cb(null, true); else cb(new Error('no')); } }));\n`,
  );
  assert.deepEqual(
    list.origins.exact.map((o) => o.value),
    ['https://a.test'],
  );
  assert.equal(list.origins.reflectAny, undefined);
  const [reflect] = await policies(
    `${head}app.use(cors({ origin: (o, cb) => cb(null, o), credentials: true }));\n`,
  );
  assert.ok(reflect.origins.reflectAny);
});

test('an unreadable origin function or options object is dynamic, never a finding source', async () => {
  const [fn] = await policies(
    `${head}app.use(cors({ origin: (o, cb) => lookup(o).then((r) => cb(null, r)) }));\n`,
  );
  assert.equal(fn.origins.dynamic, true);
  assert.equal(fn.origins.reflectAny, undefined);
  assert.deepEqual(await policies(`${head}app.use(cors(buildOptions()));\n`), []);
});

test('code broken mid-typing gives no values from the broken part and no crash', async () => {
  const found = await policies(`${head}app.use(cors({ origin: ['https://a.test', \n`);
  for (const p of found) assert.equal(p.origins.exact.length, 0);
  const routes = Array.from(
    { length: 5000 },
    (_, i) => `app.get('/x${i}', (req, res) => res.json({}));\n`,
  );
  const big = `${head}${routes.join('')}app.use(cors());\n`;
  const [policy] = await policies(big, 'javascript');
  assert.equal(stack(policy).filter((l) => l.kind === 'route').length, 5000);
});

test('one app repeated: each policy keeps its own mounts and each route once, in order', async () => {
  const app = `app.get('/items', (req, res) => res.json([]));\napp.use(cors({ origin: 'https://a.test' }));\n`;
  const found = await policies(`${head}${app.repeat(3000)}`, 'javascript');
  assert.equal(found.length, 3000);
  // A repeat of a route answers nothing its first copy does not, so the stack keeps it once.
  const layers = stack(found[2999]);
  assert.deepEqual(
    layers.map((l) => l.kind),
    ['route', 'cors'],
  );
  assert.equal(layers[1].span.start + 'app.use('.length, found[2999].at?.start);
});

test('a cors() result bound to a const is found where app.use or a route uses it', async () => {
  const [used] = await policies(
    `${head}const corsMw = cors({ origin: ['https://a.test'], credentials: true });\napp.use('/api', corsMw);\napp.get('/api/x', (req, res) => res.json({}));\n`,
  );
  assert.deepEqual(
    used.origins.exact.map((o) => o.value),
    ['https://a.test'],
  );
  assert.equal(used.credentials, true);
  assert.deepEqual(
    stack(used).map((l) => l.kind),
    ['cors', 'route'],
  );
  const [route] = await policies(
    `${head}const corsMw = cors();\napp.options('/x', corsMw);\napp.put('/x', corsMw, (req, res) => res.json({}));\n`,
  );
  assert.deepEqual(
    stack(route).map((l) => `${l.kind} ${l.methods}`),
    ['cors OPTIONS', 'cors PUT', 'route PUT'],
  );
  // Reassigned: what runs is not known, so no policy is built from the first value.
  assert.deepEqual(
    await policies(`${head}let corsMw = cors();\ncorsMw = other;\napp.use(corsMw);\n`),
    [],
  );
});

test('app calls are found however they are written: chained over comments, typed, inside functions', async () => {
  const text =
    `${head}function mount(router) {\n  router.use('/v2', cors({ origin: 'https://c.test' }));\n}\napp\n ` +
    ` // every route below is public\n  .use(cors({ origin: 'https://a.test' }));\napp.get<{ id: ` +
    `string }>('/items', cors({ origin: 'https://b.test' }), (req, res) => res.json([]));\nconst ` +
    `text = "app.use(cors({ origin: 'https://nope.test' }))";\n`;
  const found = await policies(text);
  assert.deepEqual(
    found.map((p) => [
      p.origins.exact.map((o) => o.value),
      stack(p).map(
        (l) => `${l.kind} ${text.slice(l.statement!.start, l.statement!.end).split('(')[0]}`,
      ),
    ]),
    [
      [['https://c.test'], ['cors router.use']],
      [
        ['https://a.test'],
        ['cors app\n  // every route below is public\n  .use', 'route app.get<{ id: string }>'],
      ],
      [['https://b.test'], ['cors app.get<{ id: string }>', 'route app.get<{ id: string }>']],
    ],
  );
});
