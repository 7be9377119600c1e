/**
 * Truth suite for the Hono model: the real hono 4.13 + @hono/node-server 2.1 serve each fixture
 * app in test/fixtures/truth/hono/<case>/ on 127.0.0.1, `hono/cors` and hand-written `c.header`
 * middleware (`handset-*`); their answers to the request matrix must equal the model's, status
 * included (see support/node-app-truth.ts).
 */
import { nodeAppTruthSuite } from './support/node-app-truth';

nodeAppTruthSuite({
  title: 'hono/cors model vs real Hono 4.13 on @hono/node-server',
  suite: 'hono',
  framework: 'hono-cors',
  packages: ['hono', '@hono/node-server'],
  minCases: 11,
  extraOrigins: {
    'exact-list': ['http://localhost:3000'],
    'handset-allowlist': ['http://localhost:3000'],
  },
});
