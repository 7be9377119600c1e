/**
 * Truth suite for h3 handlers (the shape of Nitro and Nuxt server routes) read by the node-handset
 * model: real h3 1.15 serves each fixture in test/fixtures/truth/h3-handset/<case>/ on node:http
 * at 127.0.0.1; its answers to the request matrix must equal the model's, status included.
 */
import { nodeAppTruthSuite } from './support/node-app-truth';

nodeAppTruthSuite({
  title: 'hand-set headers in h3 handlers vs real h3 1.15',
  suite: 'h3-handset',
  framework: 'node-handset',
  packages: ['h3'],
  minCases: 2,
  extraOrigins: { 'allowlist-utils': ['https://admin.example.com'] },
});
