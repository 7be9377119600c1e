import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractExpress } from '../../../server/src/frameworks/express-cors/extract';
import { extractNest } from '../../../server/src/frameworks/nestjs/extract';
import { nestModel } from '../../../server/src/frameworks/nestjs/model';
import { parseText } from '../../../server/src/parsing/parser';
import { factsOf, type Policy } from '../../../server/src/policy/types';

async function policies(text: string): Promise<Policy[]> {
  const tree = await parseText('typescript', text);
  try {
    return await extractNest('main.ts', text, tree, { read: () => undefined });
  } finally {
    tree.delete();
  }
}

const head = "import { NestFactory } from '@nestjs/core';\n";

test('create<T>(...) with type arguments and a Fastify adapter: @fastify/cors defaults', async () => {
  const [p] = await policies(
    `${head}async function main() {\n  const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter());\n  app.enableCors();\n}\n`,
  );
  const facts = factsOf(p, 'nestjs');
  assert.equal(facts?.kind === 'cors' && facts.adapter, 'fastify');
  assert.deepEqual(p.methods.names, ['GET', 'HEAD', 'POST']);
  assert.ok(p.origins.allowAll);
  const preflight = nestModel.respond(p, {
    method: 'OPTIONS',
    path: '/x',
    headers: [['Origin', 'https://a.test']],
  });
  assert.equal(
    preflight.status,
    400,
    'strictPreflight refuses an OPTIONS without Access-Control-Request-Method',
  );
});

test('cors: false and an options delegate give no policy; cors: true is the defaults', async () => {
  assert.deepEqual(
    await policies(`${head}const app = await NestFactory.create(AppModule, { cors: false });\n`),
    [],
  );
  assert.deepEqual(
    await policies(
      `${head}const app = await NestFactory.create(AppModule);\napp.enableCors(buildOptions());\n`,
    ),
    [],
  );
  const [p] = await policies(
    `${head}const app = await NestFactory.create(AppModule, { cors: true });\n`,
  );
  assert.equal(p.origins.allowAllAt?.label, 'cors: true');
});

test('@Header routes send their lines on their own methods only', async () => {
  const [p] = await policies(
    "import { Controller, Get, Header } from '@nestjs/common';\n@Controller()\nclass C {\n  @Get('x')\n  @Header('Access-Control-Allow-Origin', 'https://app.example.com')\n  x() { return 1; }\n}\n",
  );
  assert.deepEqual(
    p.origins.exact.map((o) => o.value),
    ['https://app.example.com'],
  );
  assert.deepEqual(nestModel.respond(p, { method: 'GET', path: '/x', headers: [] }).headers, [
    ['Access-Control-Allow-Origin', 'https://app.example.com'],
  ]);
  assert.equal(nestModel.respond(p, { method: 'OPTIONS', path: '/x', headers: [] }).status, 404);
});

test('app.use(cors(options)) with cors required and the options declared in the bootstrap function', async () => {
  const text = `${head}async function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  app.enableCors();\n  const cors = require('cors');\n  const options = { origin: '*', credentials: true };\n  app.use(cors(options));\n}\n`;
  const [enable, used] = await policies(text);
  assert.equal(enable.origins.allowAllAt?.label, 'app.enableCors() without options');
  assert.equal(used.origins.allowAllAt?.label, "origin: '*'");
  assert.equal(used.credentials, true);
  // Both run on every request: the first layer ends the preflight, the second adds credentials.
  for (const p of [enable, used]) {
    const preflight = nestModel.respond(p, {
      method: 'OPTIONS',
      path: '/x',
      headers: [
        ['Origin', 'https://a.test'],
        ['Access-Control-Request-Method', 'PUT'],
      ],
    });
    assert.equal(preflight.status, 204);
    assert.equal(
      preflight.headers.some(([n]) => n === 'Access-Control-Allow-Credentials'),
      false,
    );
    assert.deepEqual(
      nestModel.respond(p, { method: 'GET', path: '/x', headers: [['Origin', 'https://a.test']] })
        .headers,
      [
        ['Access-Control-Allow-Origin', '*'],
        ['Access-Control-Allow-Credentials', 'true'],
      ],
    );
  }
  // The Express reader leaves a Nest app's own `use` to Nest (its routes are in controllers).
  const tree = await parseText('typescript', text);
  try {
    assert.deepEqual(await extractExpress('main.ts', text, tree, { read: () => undefined }), []);
  } finally {
    tree.delete();
  }
});

test('a cors() of another function, or at a path that is not a string, is not read', async () => {
  const notCors = await policies(
    `${head}const app = await NestFactory.create(AppModule);\nfunction cors() { return (q, s, n) => n(); }\napp.use(cors());\n`,
  );
  assert.deepEqual(notCors, []);
  const dynamicPath = await policies(
    `${head}import cors from 'cors';\nconst app = await NestFactory.create(AppModule);\napp.use(process.env.BASE, cors());\n`,
  );
  assert.deepEqual(dynamicPath, []);
});

const preflight = (path: string) => ({
  method: 'OPTIONS',
  path,
  headers: [
    ['Origin', 'https://app.example.com'],
    ['Access-Control-Request-Method', 'PUT'],
  ] as [string, string][],
});
const get = (path: string) => ({
  method: 'GET',
  path,
  headers: [['Origin', 'https://app.example.com']] as [string, string][],
});

test("app.use('/api', cors()) on the Express adapter runs for that prefix only; the global prefix 404s the rest", async () => {
  const text = `${head}import cors from 'cors';\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  app.setGlobalPrefix('v1');\n  app.use('/api', cors({ origin: 'https://app.example.com', credentials: true }));\n}\n`;
  const [p] = await policies(text);
  assert.equal(p.urlRegex, '/api(?:/|$)');
  const facts = factsOf(p, 'nestjs');
  assert.equal(facts?.kind === 'cors' && facts.mount, '/api');
  assert.equal(facts?.kind === 'cors' && facts.globalPrefix, '/v1');
  assert.deepEqual(nestModel.respond(p, preflight('/API/items')), {
    status: 204,
    headers: [
      ['Access-Control-Allow-Origin', 'https://app.example.com'],
      ['Vary', 'Origin, Access-Control-Request-Headers'],
      ['Access-Control-Allow-Credentials', 'true'],
      ['Access-Control-Allow-Methods', 'GET,HEAD,PUT,PATCH,POST,DELETE'],
      ['Content-Length', '0'],
    ],
  });
  // The routes live under /v1: /api gets CORS lines and Nest's 404, /v1 a route without them.
  assert.equal(nestModel.respond(p, get('/api/items')).status, 404);
  assert.deepEqual(nestModel.respond(p, get('/v1/items')), { status: 200, headers: [] });
  // A mount matches whole segments: /apiary is outside /api (and outside /v1: a 404).
  assert.deepEqual(nestModel.respond(p, preflight('/apiary')), { status: 404, headers: [] });
  // Express leaves every `use` of a Nest app to Nest.
  const tree = await parseText('typescript', text);
  try {
    assert.deepEqual(await extractExpress('main.ts', text, tree, { read: () => undefined }), []);
  } finally {
    tree.delete();
  }
});

test('app.use(cors()) on the Fastify adapter runs the cors package through middie, after @fastify/cors', async () => {
  const fastify = `${head}import cors from 'cors';\nconst app = await NestFactory.create(AppModule, new FastifyAdapter());\n`;
  const [used] = await policies(`${fastify}app.use(cors({ origin: true, credentials: true }));\n`);
  const facts = factsOf(used, 'nestjs');
  assert.equal(facts?.kind === 'cors' && facts.adapter, 'fastify');
  assert.equal(
    facts?.kind === 'cors' && facts.fastify,
    undefined,
    'the cors package, not @fastify/cors',
  );
  assert.deepEqual(used.methods.names, ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE']);
  assert.equal(nestModel.respond(used, preflight('/x')).status, 204);
  // No route answers OPTIONS on Fastify: one the middleware lets through gets a 404.
  assert.equal(
    nestModel.respond(used, { method: 'OPTIONS', path: '/x', headers: [] }).status,
    204,
    'cors 2.8 ends every OPTIONS',
  );
  const both = await policies(
    `${fastify}app.use('/api', cors({ origin: true, credentials: true }));\napp.enableCors({ origin: 'https://b.example' });\n`,
  );
  assert.equal(both.length, 2);
  for (const p of both) {
    // @fastify/cors's hook ends the preflight, though enableCors comes second.
    assert.deepEqual(nestModel.respond(p, preflight('/api/x')).headers, [
      ['Access-Control-Allow-Origin', 'https://b.example'],
      ['Access-Control-Allow-Methods', 'GET,HEAD,POST'],
      ['Vary', 'Access-Control-Request-Headers'],
      ['Content-Length', '0'],
    ]);
    // On a route's answer its value wins; the middleware's credentials and Vary stay.
    assert.deepEqual(nestModel.respond(p, get('/api/x')), {
      status: 200,
      headers: [
        ['Access-Control-Allow-Origin', 'https://b.example'],
        ['Vary', 'Origin'],
        ['Access-Control-Allow-Credentials', 'true'],
      ],
    });
    assert.deepEqual(nestModel.respond(p, get('/other')), {
      status: 200,
      headers: [['Access-Control-Allow-Origin', 'https://b.example']],
    });
  }
});

test("TypeScript's import cors = require('cors') binds the cors package", async () => {
  const [p] = await policies(
    `${head}import cors = require('cors');\nconst app = await NestFactory.create(AppModule);\napp.use('/graphql', cors({ origin: ['https://a.example'] }));\n`,
  );
  assert.equal(p.urlRegex, '/graphql(?:/|$)');
  assert.deepEqual(
    p.origins.exact.map((o) => o.value),
    ['https://a.example'],
  );
});
