import assert from 'node:assert/strict';
import { test } from 'node:test';
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
