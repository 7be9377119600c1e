/** The Fastify, Koa and Hono extractors: import shapes, options from elsewhere, scopes and hand-set Koa headers. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Extractor } from '../../../server/src/frameworks/descriptor';
import { extractFastify } from '../../../server/src/frameworks/fastify-cors/extract';
import { extractHono } from '../../../server/src/frameworks/hono-cors/extract';
import { extractKoa } from '../../../server/src/frameworks/koa-cors/extract';
import { parseText } from '../../../server/src/parsing/parser';
import { type Policy, factsOf } from '../../../server/src/policy/types';

async function extract(
  extractor: Extractor,
  text: string,
  files: Record<string, string> = {},
  file = '/p/src/app.ts',
): Promise<Policy[]> {
  const tree = await parseText(file.endsWith('.ts') ? 'typescript' : 'javascript', text);
  try {
    return await extractor(file, text, tree, { read: (f) => files[f] });
  } finally {
    tree.delete();
  }
}

const origins = (p: Policy) => p.origins.exact.map((o) => o.value);

describe('fastify-cors extractor', () => {
  it('reads require in place, RegExps and arrays holding *', async () => {
    const [a, b] = await extract(
      extractFastify,
      "const app = require('fastify')();\napp.register(require('@fastify/cors'), { origin: ['https://a.test', /\\.b\\.test$/] });\napp.register(require('@fastify/cors'), { origin: ['https://c.test', '*'] });\n",
      {},
      '/p/app.js',
    );
    assert.deepEqual(origins(a), ['https://a.test']);
    assert.equal(a.origins.regexes[0].pattern, '\\.b\\.test$');
    assert.equal(b.origins.allowAll, true);
  });

  it('follows options imported from another module and reports at the argument', async () => {
    const text =
      "import cors from '@fastify/cors';\nimport { corsOptions } from './config/cors';\napp.register(cors, corsOptions);\n";
    const [p] = await extract(extractFastify, text, {
      '/p/src/config/cors.ts':
        "export const corsOptions = { origin: process.env.ORIGIN || '*', credentials: false };\n",
    });
    assert.equal(p.origins.allowAll, true);
    assert.equal(p.origins.envDriven, true);
    assert.equal(p.origins.allowAllAt?.span.file, '/p/src/app.ts');
    assert.deepEqual(p.files, ['/p/src/config/cors.ts', '/p/src/app.ts']);
  });

  it('tells an fp plugin (global) from an encapsulated, prefixed scope', async () => {
    const [global] = await extract(
      extractFastify,
      "import fp from 'fastify-plugin';\nimport cors from '@fastify/cors';\nexport default fp(async (app) => { await app.register(cors, { origin: true }); });\n",
    );
    assert.deepEqual(factsOf(global, 'fastify-cors')?.scope, { kind: 'global' });
    assert.ok(global.origins.reflectAny);
    const [scoped] = await extract(
      extractFastify,
      "import cors from '@fastify/cors';\napp.register(async (api) => { api.register(cors); api.get('/items', h); }, { prefix: '/v1' });\n",
    );
    assert.deepEqual(factsOf(scoped, 'fastify-cors')?.scope, { kind: 'scoped', prefix: '/v1' });
    assert.equal(scoped.samplePath, '/v1/items');
  });
});

describe('koa-cors extractor', () => {
  it('reads @koa/cors: * with credentials echoes, a string is fixed', async () => {
    const [echo, fixed] = await extract(
      extractKoa,
      "const cors = require('@koa/cors');\napp.use(cors({ credentials: true }));\napp.use(cors({ origin: 'https://a.test' }));\n",
      {},
      '/p/app.js',
    );
    assert.ok(echo.origins.reflectAny);
    assert.equal(echo.origins.allowAll, false);
    assert.deepEqual(origins(fixed), ['https://a.test']);
  });

  it('reads a hand-set echo in a module that never names Koa', async () => {
    const [p] = await extract(
      extractKoa,
      "module.exports = async (ctx, next) => {\n  ctx.set('Access-Control-Allow-Origin', ctx.request.header.origin);\n  await next();\n};\n",
      {},
      '/p/lib/cors.js',
    );
    assert.equal(p.handSet, true);
    assert.ok(p.origins.reflectAny);
    assert.ok(p.varyAt);
  });

  it('leaves Express handlers to node-handset', async () => {
    const policies = await extract(
      extractKoa,
      "app.use((req, res, next) => { res.set('Access-Control-Allow-Origin', req.headers.origin); next(); });\n",
      {},
      '/p/app.js',
    );
    assert.deepEqual(policies, []);
  });
});

describe('hono-cors extractor', () => {
  it('reads the mount path, an env default and a per-request cors()', async () => {
    const text = [
      "import { cors } from 'hono/cors';",
      "app.use('/api/*', cors({ origin: process.env.WEB_ORIGIN ?? 'https://a.test', allowHeaders: ['X-Token'] }));",
      "app.use('*', async (c, next) => cors({ origin: [c.env.SITE_URL], credentials: true })(c, next));",
      '',
    ].join('\n');
    const [api, perRequest] = await extract(extractHono, text);
    assert.deepEqual(origins(api), ['https://a.test']);
    assert.equal(api.origins.envDriven, true);
    assert.equal(api.urlRegex, '/api(?:/|$)');
    assert.deepEqual(api.headers.names, ['X-Token']);
    assert.equal(perRequest.origins.dynamic, true);
    assert.equal(perRequest.urlRegex, null);
  });
});
