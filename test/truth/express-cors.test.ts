/**
 * Truth suite for the Express `cors` model: the real express 5 + cors 2.8 (npm) serve each
 * fixture app in test/fixtures/truth/express/<case>/ on 127.0.0.1; their answers to the request
 * matrix must equal the model's, status included (see support/node-app-truth.ts).
 */
import { nodeAppTruthSuite } from './support/node-app-truth';

nodeAppTruthSuite({
  title: 'cors 2.8 model vs real Express 5 + cors',
  suite: 'express',
  framework: 'express-cors',
  packages: ['express', 'cors'],
  minCases: 10,
  extraOrigins: {
    'exact-list': ['http://localhost:3000', 'https://app.example.com:443'],
    regexes: [
      'https://a.b.example.com',
      'https://example.com.evil.net',
      'http://localhost:5173',
      'https://TRUSTED.org.evil.net',
      'http://localhost:x',
    ],
    'function-set-error': ['http://localhost:5173'],
    'function-skip': ['https://admin.example.com'],
  },
});
