/**
 * Files nested thousands of levels deep, one shape per framework whose reader walks up the tree
 * from the nodes it finds (its CORS call nested in itself, or its setup nested in calls or
 * blocks), and two plain files (no nesting): read by `bench/deep-nesting.ts` (time) and
 * `test/unit/parsing/parents.test.ts` (no tree search per level).
 */
/** `open` `d` times around `inner`, closed by `close`. */
const nest = (d: number, open: string, inner: string, close: string) =>
  open.repeat(d) + inner + close.repeat(d);

const expressHead = "const express = require('express');\nconst cors = require('cors');\n";
/** Each shape: the file name it is checked as and its text at nesting depth `d`. */
export const deepShapes: Record<string, { file: string; text: (d: number) => string }> = {
  'express cors(cors(…))': {
    file: 'server.js',
    text: (d) =>
      `${expressHead}const app = express();\napp.use(${nest(d, 'cors(', "{ origin: 'https://a.example' }", ')')});\napp.listen(3000);\n`,
  },
  'express origin [[…]]': {
    file: 'server.js',
    text: (d) =>
      `${expressHead}const app = express();\napp.use(cors({ origin: ${nest(d, '[', "'https://a.example'", ']')} }));\napp.listen(3000);\n`,
  },
  'hono cors(cors(…))': {
    file: 'index.ts',
    text: (d) =>
      `import { Hono } from 'hono';\nimport { cors } from 'hono/cors';\nconst app = new Hono();\napp.use('/api/*', ${nest(d, 'cors(', "{ origin: 'https://a.example' }", ')')});\nexport default app;\n`,
  },
  'fastify register(…) in f(f(…))': {
    file: 'server.js',
    text: (d) =>
      `const fastify = require('fastify')();\nconst cors = require('@fastify/cors');\n${nest(d, 'f(', "fastify.register(cors, { origin: 'https://a.example' })", ')')};\nfastify.listen({ port: 3000 });\n`,
  },
  'koa ctx.set in nested arrows': {
    file: 'server.js',
    text: (d) =>
      `const Koa = require('koa');\nconst app = new Koa();\napp.use(${nest(d, '() => (', "async (ctx, next) => { ctx.set('Access-Control-Allow-Origin', 'https://a.example'); await next(); }", ')')});\napp.listen(3000);\n`,
  },
  'nest enableCors in f(f(…))': {
    file: 'main.ts',
    text: (d) =>
      `import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  ${nest(d, 'f(', "app.enableCors({ origin: 'https://a.example' })", ')')};\n  await app.listen(3000);\n}\nbootstrap();\n`,
  },
  'next headers in f(f(…))': {
    file: 'next.config.js',
    text: (d) =>
      `module.exports = { async headers() { return [{ source: '/api/:path*', headers: ${nest(d, 'f(', "[{ key: 'Access-Control-Allow-Origin', value: 'https://a.example' }]", ')')} }]; } };\n`,
  },
  'django setting f(f(…))': {
    file: 'settings.py',
    text: (d) =>
      `INSTALLED_APPS = ['corsheaders']\nMIDDLEWARE = ['corsheaders.middleware.CorsMiddleware']\nCORS_ALLOWED_ORIGINS = ${nest(d, 'f(', "['https://a.example']", ')')}\n`,
  },
  'flask CORS(…) in f(f(…))': {
    file: 'app.py',
    text: (d) =>
      `from flask import Flask\nfrom flask_cors import CORS\napp = Flask(__name__)\n${nest(d, 'f(', "CORS(app, origins=['https://a.example'])", ')')}\n`,
  },
  'starlette add_middleware in f(f(…))': {
    file: 'main.py',
    text: (d) =>
      `from fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\napp = FastAPI()\n${nest(d, 'f(', "app.add_middleware(CORSMiddleware, allow_origins=['https://a.example'])", ')')}\n`,
  },
  'rack-cors nested blocks': {
    file: 'config/initializers/cors.rb',
    text: (d) =>
      `Rails.application.config.middleware.insert_before 0, Rack::Cors do\n${nest(d, 'f do\n', "  allow do\n    origins 'https://a.example'\n    resource '*', headers: :any, methods: [:get]\n  end\n", 'end\n')}end\n`,
  },
  'plain express app': {
    file: 'server.js',
    text: () =>
      `${expressHead}const app = express();\napp.use(cors({ origin: ['https://a.example', 'https://b.example'], credentials: true }));\napp.get('/items', (req, res) => res.json([]));\napp.listen(3000);\n`,
  },
  'plain django settings': {
    file: 'settings.py',
    text: () =>
      "INSTALLED_APPS = ['corsheaders']\nMIDDLEWARE = ['corsheaders.middleware.CorsMiddleware']\nCORS_ALLOWED_ORIGINS = ['https://a.example']\nCORS_ALLOW_CREDENTIALS = True\n",
  },
};
