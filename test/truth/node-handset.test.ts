/**
 * Truth suites for the node-handset model: real Express serves each fixture app on 127.0.0.1;
 * their answers to the request matrix must equal the model's, status included (see
 * support/node-app-truth.ts).
 * - Express 5 (`express`): the apps of test/fixtures/truth/node-handset/<case>/, each as a project
 *   pinned to Express 5.
 * - Express 4 (the `express4` alias): the same apps as Express 4 projects, and the Express 4 only
 *   apps of test/fixtures/truth/node-handset-express4 (`'*'`, `'/api/*'`, `:id?`, regex syntax).
 * Some paths mean different things to the two majors (`{/:id}`, `*rest`, `*`); the model reads
 * the major from the project as the extension does, and told the other major it must disagree
 * somewhere.
 */
import { nodeAppTruthSuite } from './support/node-app-truth';

const extraOrigins = {
  'allowlist-set': ['http://localhost:3000'],
  'early-return-regex': [
    'https://a.example.com',
    'https://example.com.evil.net',
    'http://localhost:5173',
    'http://localhost:x',
  ],
  'helper-fallback': ['https://admin.example.com'],
  'star-entry': ['https://shop.example.com', '*'],
  'node-handset-express4/options-star-optional': ['http://localhost:5173'],
};

nodeAppTruthSuite({
  title: 'hand-set headers model vs real Express 5',
  suite: 'node-handset',
  framework: 'node-handset',
  packages: ['express', 'cors'],
  minCases: 11,
  express: { major: 5, control: 4 },
  extraOrigins,
});

nodeAppTruthSuite({
  title: 'hand-set headers model vs real Express 4',
  suite: 'node-handset',
  framework: 'node-handset',
  packages: ['express4', 'cors'],
  minCases: 14,
  express: { major: 4, only: 'node-handset-express4', control: 5 },
  extraOrigins,
});
