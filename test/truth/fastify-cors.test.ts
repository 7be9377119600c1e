/**
 * Truth suite for the `@fastify/cors` model: the real fastify 5.12 + @fastify/cors 11.4 serve each
 * fixture app in test/fixtures/truth/fastify/<case>/ on 127.0.0.1; their answers to the request
 * matrix must equal the model's, status included (see support/node-app-truth.ts).
 */
import { nodeAppTruthSuite } from './support/node-app-truth';

nodeAppTruthSuite({
  title: '@fastify/cors model vs real Fastify 5 + @fastify/cors 11',
  suite: 'fastify',
  framework: 'fastify-cors',
  packages: ['fastify', '@fastify/cors'],
  minCases: 8,
  extraOrigins: {
    'exact-list': ['http://localhost:5173', 'http://localhost:x'],
  },
});
