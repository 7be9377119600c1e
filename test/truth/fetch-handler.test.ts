/**
 * Truth suite for fetch handlers (Cloudflare Workers' `fetch`, a service worker's `fetch`
 * listener, `Deno.serve`): each fixture's `worker.mjs` in test/fixtures/truth/fetch-handler/<case>/
 * is served by its `app.mjs` through test/truth/support/serve-fetch.mjs, with Node's own fetch API
 * (workerd, Deno and Bun cannot run here); its answers to the request matrix must equal the
 * model's, status included.
 */
import { nodeAppTruthSuite } from './support/node-app-truth';

nodeAppTruthSuite({
  title: 'fetch handlers vs their Response under Node fetch',
  suite: 'fetch-handler',
  framework: 'fetch-handler',
  packages: [],
  minCases: 4,
  modelFile: 'worker.mjs',
  extraOrigins: {
    'allowlist-refusal': ['https://app.example.com', 'https://admin.example.com'],
    'allowlist-ternary': ['https://app.example.com', 'https://admin.example.com'],
    'deno-echo-helper': ['https://app.example.com'],
    'env-list-or-defaults': ['https://app.example.com', 'http://localhost:3000'],
    'helper-mutates-response': ['https://app.example.com'],
    'helper-early-refusal': ['https://app.example.com', 'http://localhost:5173'],
  },
});
