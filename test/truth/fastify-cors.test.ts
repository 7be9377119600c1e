/**
 * Truth suite for the `@fastify/cors` model: the real fastify 5.12 + @fastify/cors 11.4 serve each
 * fixture app in test/fixtures/truth/fastify/<case>/ on 127.0.0.1; their answers to the request
 * matrix must equal the model's, status included (see support/node-app-truth.ts). Beyond the
 * shared matrix every case gets find-my-way's path edges: Fastify routes paths case-sensitively
 * and without trailing-slash folding (unlike Express or middie), and the plugin's `OPTIONS *`
 * route sits under its scope's prefix.
 */
import { nodeAppTruthSuite } from './support/node-app-truth';
import { routerEdges } from './support/preflight';

nodeAppTruthSuite({
  title: '@fastify/cors model vs real Fastify 5 + @fastify/cors 11',
  suite: 'fastify',
  framework: 'fastify-cors',
  packages: ['fastify', '@fastify/cors'],
  minCases: 10,
  extraOrigins: {
    'exact-list': ['http://localhost:5173', 'http://localhost:x'],
  },
  extraRaw: routerEdges,
});
