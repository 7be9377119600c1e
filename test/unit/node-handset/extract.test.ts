/** The node-handset extractor and model on the inputs that must not mislead them. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeText } from '../../support/check-fixture';
import { extractNodeHandset } from '../../../server/src/frameworks/node-handset/extract';
import { nodeHandset } from '../../../server/src/frameworks/node-handset/model';
import { parseText } from '../../../server/src/parsing/parser';
import type { Policy } from '../../../server/src/policy/types';

async function policies(
  text: string,
  grammar: 'javascript' | 'typescript' | 'tsx' = 'javascript',
): Promise<Policy[]> {
  const tree = await parseText(grammar, text);
  try {
    return await extractNodeHandset('app.js', text, tree, { read: () => undefined });
  } finally {
    tree.delete();
  }
}

const head = "const express = require('express');\nconst app = express();\n";
const get = (policy: Policy, path: string, origin?: string) =>
  nodeHandset.respond(policy, { method: 'GET', path, headers: origin ? [['Origin', origin]] : [] });

test('an echo with no allowlist test is reflectAny; with one it is the allowlist', async () => {
  const [open] = await policies(
    `${head}app.use((req, res, next) => { res.set('Access-Control-Allow-Origin', req.get('origin')); next(); });\n`,
  );
  assert.ok(open.origins.reflectAny);
  const [guarded] = await policies(
    `${head}const ok = new Set(['https://a.test']);\napp.use((req, res, next) => {\n  const { origin } = req.headers;\n  if (!ok.has(origin)) return next();\n  res.set('Access-Control-Allow-Origin', origin);\n  next();\n});\n`,
  );
  assert.equal(guarded.origins.reflectAny, undefined);
  assert.deepEqual(
    guarded.origins.exact.map((o) => o.value),
    ['https://a.test'],
  );
  assert.deepEqual(get(guarded, '/', 'https://a.test').headers, [
    ['Access-Control-Allow-Origin', 'https://a.test'],
  ]);
  assert.deepEqual(get(guarded, '/', 'https://b.test').headers, []);
});

test('a test the extractor cannot read makes the origins dynamic, never reflectAny', async () => {
  const [p] = await policies(
    `${head}app.use((req, res, next) => {\n  if (isAllowed(req.headers.origin)) res.setHeader('Access-Control-Allow-Origin', req.headers.origin);\n  next();\n});\n`,
  );
  assert.equal(p.origins.dynamic, true);
  assert.equal(p.origins.reflectAny, undefined);
  const [q] = await policies(
    `${head}app.use((req, res, next) => { res.set('Access-Control-Allow-Origin', pick(req)); next(); });\n`,
  );
  assert.equal(q.origins.dynamic, true);
  assert.deepEqual(q.origins.exact, []);
});

test('code broken mid-typing: no values from the broken part, no crash; huge files stay fast', async () => {
  const broken = await policies(
    `${head}app.use((req, res, next) => {\n  res.set('Access-Control-Allow-Origin', \n`,
  );
  for (const p of broken) assert.equal(p.origins.exact.length + (p.origins.reflectAny ? 1 : 0), 0);
  const half = await policies(`${head}app.use((req, res, next) => {\n  if (req.method === 'OPT`);
  assert.deepEqual(half, []);
  const big = `${head}${"app.get('/x', (req, res) => res.json({}));\n".repeat(5000)}app.use((req, res, next) => { res.set('Access-Control-Allow-Origin', '*'); next(); });\n`;
  const [p] = await policies(big);
  assert.ok(p.origins.allowAll);
});

test('TypeScript handlers, exported middleware and helpers given res', async () => {
  const ts =
    `import type { Request, Response, NextFunction } from 'express';\nconst ORIGINS: string[] = ` +
    `['https://a.test'];\nfunction setCors(res: Response, origin: string) {\n  res.header('Access-Control-Allow-Origin', ` +
    `origin);\n}\nexport function cors(req: Request, res: Response, next: NextFunction): void {\n ` +
    ` const origin = req.header('Origin') ?? '';\n  if (ORIGINS.indexOf(origin) !== -1) setCors(res, ` +
    `origin);\n  next();\n}\n`;
  const found = await policies(ts, 'typescript');
  assert.equal(found.length, 1, 'the helper is part of the middleware, not a policy of its own');
  assert.deepEqual(
    found[0].origins.exact.map((o) => o.value),
    ['https://a.test'],
  );
  // Standalone: modelled as app.use(cors) in front of a route that answers.
  assert.deepEqual(get(found[0], '/anything', 'https://a.test'), {
    status: 200,
    headers: [['Access-Control-Allow-Origin', 'https://a.test']],
  });
});

test('receivers that are not Express apps and error handlers are left alone', async () => {
  const text = `const cache = new Map();\ncache.get('/x', (req, res) => res.set('Access-Control-Allow-Origin', '*'));\n${head}app.use((err, req, res, next) => { res.set('Access-Control-Allow-Origin', '*'); res.sendStatus(500); });\n`;
  assert.deepEqual(await policies(text), []);
});

test('an app held in a class field (this.app) is an app; a field holding something else is not', async () => {
  const field =
    `import express from 'express';\nclass Api {\n  private app: express.Application = express();\n` +
    `  boot(): void {\n    this.app.use((req, res, next) => { res.setHeader('Access-Control-Allow-Origin', '*'); next(); });\n` +
    `    this.app.get('/api/items', (req, res) => res.json([]));\n  }\n}\n`;
  const [p] = await policies(field, 'typescript');
  assert.ok(p, 'the inline middleware on this.app is modelled');
  assert.ok(p.origins.allowAll);
  assert.equal(p.samplePath, '/api/items');
  assert.equal(get(p, '/nothing').status, 404, "the app's own routes are known");
  const assigned = `const express = require('express');\nclass Api {\n  constructor() {\n    this.web = express();\n    this.web.use((req, res, next) => { res.set('Access-Control-Allow-Origin', '*'); next(); });\n  }\n}\n`;
  assert.equal((await policies(assigned)).length, 1, 'this.web = express() in the constructor');
  const other = `class Cache {\n  store = new Map();\n  fill() {\n    this.store.get('/x', (req, res) => res.set('Access-Control-Allow-Origin', '*'));\n  }\n}\n`;
  assert.deepEqual(await policies(other), []);
});

test('Express answers what no layer answers: the automatic OPTIONS reply and 404, keeping headers', async () => {
  const [p] = await policies(
    `${head}app.use((req, res, next) => { res.set('Access-Control-Allow-Origin', '*'); next(); });\napp.get('/api/items', (req, res) => res.json([]));\n`,
  );
  const options = nodeHandset.respond(p, {
    method: 'OPTIONS',
    path: '/api/items',
    headers: [['Origin', 'https://a.test']],
  });
  assert.equal(options.status, 200);
  assert.deepEqual(options.headers.slice(0, 2), [
    ['Access-Control-Allow-Origin', '*'],
    ['Allow', 'GET, HEAD'],
  ]);
  assert.equal(get(p, '/nothing').status, 404);
  assert.deepEqual(get(p, '/nothing').headers, [['Access-Control-Allow-Origin', '*']]);
});

test('setHeader with a missing Origin is a 500; res.set writes the text undefined', async () => {
  const [thrown] = await policies(
    `${head}app.use((req, res, next) => { res.setHeader('Access-Control-Allow-Origin', req.headers.origin); next(); });\napp.get('/', (req, res) => res.end());\n`,
  );
  assert.equal(get(thrown, '/').status, 500);
  const [text] = await policies(
    `${head}app.use((req, res, next) => { res.set('Access-Control-Allow-Origin', req.headers.origin); next(); });\napp.get('/', (req, res) => res.end());\n`,
  );
  assert.deepEqual(get(text, '/').headers, [['Access-Control-Allow-Origin', 'undefined']]);
});

test('Express cors files are not read as hand-set, and both coexist in one file', async () => {
  const text = `${head}const cors = require('cors');\napp.use('/api', cors({ origin: 'https://a.test' }));\napp.use('/admin', (req, res, next) => { res.set('Access-Control-Allow-Origin', 'https://b.test'); next(); });\n`;
  const { policies: all } = await analyzeText('app.js', text);
  assert.deepEqual(all.map((p) => p.framework).sort(), ['express-cors', 'node-handset']);
  const handset = all.find((p) => p.framework === 'node-handset')!;
  assert.equal(handset.urlRegex, '/admin(?:/|$)');
});
