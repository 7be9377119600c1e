/**
 * Truth suite for the Apollo Server standalone model: the real @apollo/server 5 standalone
 * server serves each fixture in test/fixtures/truth/apollo-server/<case>/ on 127.0.0.1; its
 * answers to the request matrix must equal the model's, status included.
 */
import { nodeAppTruthSuite } from './support/node-app-truth';

nodeAppTruthSuite({
  title: 'Apollo standalone model vs real @apollo/server 5',
  suite: 'apollo-server',
  framework: 'apollo-server',
  packages: ['@apollo/server', 'graphql'],
  minCases: 2,
  startTimeoutMs: 60_000,
});
