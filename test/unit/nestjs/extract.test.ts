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

test('a cors layer on a Fastify app, at a path, or of another function is not read as a Nest layer', async () => {
  const fastify = await policies(
    `${head}import cors from 'cors';\nconst app = await NestFactory.create(AppModule, new FastifyAdapter());\napp.use(cors());\n`,
  );
  assert.deepEqual(fastify, []);
  const atPath = await policies(
    `${head}import cors from 'cors';\nconst app = await NestFactory.create(AppModule);\napp.use('/api', cors());\n`,
  );
  assert.deepEqual(atPath, []);
  const notCors = await policies(
    `${head}const app = await NestFactory.create(AppModule);\nfunction cors() { return (q, s, n) => n(); }\napp.use(cors());\n`,
  );
  assert.deepEqual(notCors, []);
});
