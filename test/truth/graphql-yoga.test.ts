/**
 * Truth suite for the graphql-yoga model: the real graphql-yoga 5 serves each fixture in
 * test/fixtures/truth/graphql-yoga/<case>/ on node:http at 127.0.0.1; its answers to the request
 * matrix must equal the model's, status included.
 */
import { nodeAppTruthSuite } from './support/node-app-truth';

nodeAppTruthSuite({
  title: 'graphql-yoga model vs real graphql-yoga 5',
  suite: 'graphql-yoga',
  framework: 'graphql-yoga',
  packages: ['graphql-yoga', 'graphql'],
  minCases: 3,
  startTimeoutMs: 60_000,
  // The endpoint (moved to /api/items in one case) as a browser's fetch asks it, and the health check.
  extraRaw: (origin) => [
    {
      method: 'GET',
      path: '/graphql',
      headers: [
        ['Origin', origin],
        ['Accept', '*/*'],
      ],
    },
    {
      method: 'POST',
      path: '/api/items',
      headers: [
        ['Origin', origin],
        ['Accept', '*/*'],
      ],
    },
    { method: 'DELETE', path: '/graphql', headers: [['Origin', origin]] },
    { method: 'OPTIONS', path: '/health', headers: [['Origin', origin]] },
    {
      method: 'GET',
      path: '/graphql',
      headers: [
        ['Origin', origin],
        ['Accept', 'text/plain'],
      ],
    },
  ],
});
