/**
 * Truth suite for the node-handset model: real Express 5 (npm) serves each fixture app in
 * test/fixtures/truth/node-handset/<case>/ on 127.0.0.1; their answers to the request matrix must
 * equal the model's, status included (see support/node-app-truth.ts).
 */
import { nodeAppTruthSuite } from './support/node-app-truth';

nodeAppTruthSuite({
  title: 'hand-set headers model vs real Express 5',
  suite: 'node-handset',
  framework: 'node-handset',
  packages: ['express'],
  minCases: 6,
  extraOrigins: {
    'allowlist-set': ['http://localhost:3000'],
    'early-return-regex': [
      'https://a.example.com',
      'https://example.com.evil.net',
      'http://localhost:5173',
      'http://localhost:x',
    ],
    'helper-fallback': ['https://admin.example.com'],
  },
});
