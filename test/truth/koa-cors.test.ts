/**
 * Truth suite for the Koa model: the real koa 3.3 + @koa/cors 5.0 (and kcors 2.2, its name before
 * the rename; koa2-cors 2.0, a separate package with the same options; and @koa/router) serve each
 * fixture app in test/fixtures/truth/koa/<case>/ on 127.0.0.1, hand-written middleware included;
 * their answers to the request matrix must equal the model's, status included (see
 * support/node-app-truth.ts).
 */
import { nodeAppTruthSuite } from './support/node-app-truth';

nodeAppTruthSuite({
  title: '@koa/cors model vs real Koa 3 + @koa/cors 5, kcors 2 and koa2-cors 2',
  suite: 'koa',
  framework: 'koa-cors',
  packages: ['koa', '@koa/cors', '@koa/router', 'kcors', 'koa2-cors'],
  minCases: 8,
  extraOrigins: {
    'list-function': ['http://localhost:3000'],
    'koa2-list-credentials': ['http://localhost:3000'],
  },
});
