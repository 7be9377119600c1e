/**
 * Truth suites for the Express `cors` model: the real express + cors 2.8 (npm) serve each fixture
 * app on 127.0.0.1; their answers to the request matrix must equal the model's, status included
 * (see support/node-app-truth.ts).
 * - Express 5 (`express`): the apps of test/fixtures/truth/express/<case>/ where they are.
 * - Express 4 (the `express4` alias): the same apps, each served as a project whose package.json
 *   pins Express 4, and the Express 4 only apps of test/fixtures/truth/express4 (`'*'` paths,
 *   optional parameters, router 1.x's own OPTIONS answer). The model reads the major from the
 *   project as the extension does; told Express 5 instead, it must disagree somewhere.
 */
import { nodeAppTruthSuite } from './support/node-app-truth';

const extraOrigins = {
  'exact-list': ['http://localhost:3000', 'https://app.example.com:443'],
  'subdomain-wildcard-string': [
    'https://shop.example.com',
    'https://preview.example.com',
    'https://*.example.com',
  ],
  regexes: [
    'https://a.b.example.com',
    'https://example.com.evil.net',
    'http://localhost:5173',
    'https://TRUSTED.org.evil.net',
    'http://localhost:x',
  ],
  'function-set-error': ['http://localhost:5173'],
  'function-substring-list': [
    'http://localhost:5173',
    'https://localhost.evil.net',
    'https://my-site.netlify.app',
    'https://admin.example.com',
    'https://x.admin.example.com',
  ],
  'function-skip': ['https://admin.example.com'],
  'function-string-indexof': [
    'https://app.example.co',
    'http://localhost:300',
    'https://app',
    'http://localhost:3000',
    'https://app.example.com.evil.net',
    'https://example.com',
  ],
  'function-early-returns': [
    'http://localhost:3000',
    'https://attacker.vercel.app',
    'https://vercel.app',
    'https://app.example.com.vercel.app.evil.net',
  ],
  'express4/use-and-options-star': ['http://localhost:5173'],
};

nodeAppTruthSuite({
  title: 'cors 2.8 model vs real Express 5 + cors',
  suite: 'express',
  framework: 'express-cors',
  packages: ['express', 'cors'],
  minCases: 10,
  extraOrigins,
});

nodeAppTruthSuite({
  title: 'cors 2.8 model vs real Express 4 + cors',
  suite: 'express',
  framework: 'express-cors',
  packages: ['express4', 'cors'],
  minCases: 15,
  express: { major: 4, only: 'express4', control: 5 },
  extraOrigins,
});
