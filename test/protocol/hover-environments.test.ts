/**
 * The hover's values per environment for every framework, through the bundled language server
 * over stdio: hovering the line that configures CORS (or reads the environment variable it uses)
 * shows the value in development and production and what decided it there (an env file, a
 * Dockerfile, a Procfile, a compose file, the environment's own name, a Rails
 * config/environments file, or the written default of an unset variable). One fixture project per
 * framework shape in test/fixtures/environments/hover; the Rails config.x app is the one served for
 * real in test/truth/environments.test.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { LspTestClient } from './lsp-client';

const FIXTURES = path.resolve(__dirname, '../fixtures');
const ROOT = path.join(FIXTURES, 'environments/hover');

/** A link as the hover writes it: `shown` (relative to the hovered file) to `file`'s `line`. */
const link = (shown: string, file: string, line: number) =>
  `[${shown}:${line}](${pathToFileURL(path.join(FIXTURES, file)).href}#L${line})`;

interface Case {
  /** The hovered file, under test/fixtures. */
  file: string;
  /** Text on the hovered line (the cursor goes to its second character). */
  at: string;
  /** The hover's text. */
  expected: string[];
  /** The hovered range: line, first and last character. */
  range: [number, number, number];
}

const CASES: Case[] = [
  ...['allow_origins=', 'app.add_middleware('].map((at, i): Case => ({
    // The option, and the setup's first line (the part that differs between environments).
    file: 'environments/hover/fastapi/app.py',
    at,
    expected: [
      '**Allowed origins**: `["http://localhost:3000"]`',
      '',
      'Per environment:',
      '- development (app.py): `["http://localhost:3000"]` — ALLOWED_ORIGINS unset → default "http://localhost:3000"',
      `- production (app.py): \`["https://app.example.com", "https://admin.example.com"]\` — ALLOWED_ORIGINS = "https://app.example.com,https://admin.example.com" from ${link('.env.production', 'environments/hover/fastapi/.env.production', 1)}`,
    ],
    range: i === 0 ? [9, 18, 82] : [7, 0, 19],
  })),
  ...['FRONTEND_ORIGINS = ', 'allow_origins='].map((at, i): Case => ({
    // The settings variable, and the option that uses it.
    file: 'environments/hover/fastapi-settings/main.py',
    at,
    expected: [
      '**Allowed origins**: `["http://localhost:5173"]`',
      '',
      'Per environment:',
      '- development (main.py): `["http://localhost:5173"]` — FRONTEND_ORIGINS unset → default "http://localhost:5173"',
      `- production (main.py): \`["https://orders.example.com"]\` — FRONTEND_ORIGINS = "https://orders.example.com" from ${link('Dockerfile', 'environments/hover/fastapi-settings/Dockerfile', 5)}`,
    ],
    range: i === 0 ? [5, 19, 89] : [10, 4, 35],
  })),
  {
    file: 'environments/hover/flask/app.py',
    at: 'CORS(app',
    expected: [
      '**Allowed origins**: `*` (every origin)',
      '',
      'Per environment:',
      '- development (app.py): `*` (every origin) — CORS_ORIGINS unset → default "*"',
      `- production (app.py): \`["https://app.example.com"]\` — CORS_ORIGINS = "https://app.example.com" from ${link('Procfile', 'environments/hover/flask/Procfile', 1)}`,
    ],
    range: [6, 10, 64],
  },
  {
    file: 'environments/hover/express/server.js',
    at: 'app.use(',
    expected: [
      '**Allowed origins**: any origin (reflected)',
      '',
      'Per environment:',
      `- development (server.js): \`["http://localhost:5173"]\` — CORS_ORIGIN = "http://localhost:5173" from ${link('.env.development', 'environments/hover/express/.env.development', 1)}`,
      '- production (server.js): any origin (reflected) — CORS_ORIGIN unset → default true',
    ],
    range: [4, 15, 54],
  },
  ...['const FRONTEND_URL', 'origin: FRONTEND_URL'].map((at, i): Case => ({
    // A `process.env.X` read of its own, and the option that uses it.
    file: 'environments/hover/express-const/server.js',
    at,
    expected: [
      '**Allowed origins**: `["http://localhost:5173"]`',
      '',
      'Per environment:',
      '- development (server.js): `["http://localhost:5173"]` — FRONTEND_URL unset → default \'http://localhost:5173\'',
      `- production (server.js): \`["https://shop.example.com"]\` — FRONTEND_URL = "https://shop.example.com" from ${link('docker-compose.prod.yml', 'environments/hover/express-const/docker-compose.prod.yml', 7)}`,
    ],
    range: i === 0 ? [3, 49, 72] : [9, 4, 24],
  })),
  {
    file: 'environments/hover/express-const/server.js',
    at: 'credentials: true',
    expected: [
      '**Credentials**: `true`',
      '',
      'Per environment:',
      '- development (server.js): `true`',
      '- production (server.js): `true`',
    ],
    range: [10, 4, 21],
  },
  {
    file: 'environments/hover/node-env/server.js',
    at: 'app.use(',
    expected: [
      '**Allowed origins**: decided at run time',
      '',
      'Per environment:',
      '- development (server.js): `["http://localhost:3000"]` — NODE_ENV = "development" (the environment\'s name)',
      '- production (server.js): `["https://app.example.com", "https://www.example.com"]` — NODE_ENV = "production" (the environment\'s name)',
    ],
    range: [9, 15, 59],
  },
  {
    file: 'environments/hover/nestjs/src/main.ts',
    at: 'origin:',
    expected: [
      '**Allowed origins**: `["http://localhost:4200"]`',
      '',
      'Per environment:',
      '- development (main.ts): `["http://localhost:4200"]` — FRONTEND_URL unset → default \'http://localhost:4200\'',
      `- production (main.ts): \`["https://app.example.com"]\` — FRONTEND_URL = "https://app.example.com" from ${link('../.env.production', 'environments/hover/nestjs/.env.production', 1)}`,
    ],
    range: [6, 4, 63],
  },
  {
    file: 'environments/hover/rails-fetch/config/initializers/cors.rb',
    at: 'origins',
    expected: [
      '**Allowed origins**: `["http://localhost:3000"]`',
      '',
      'Per environment:',
      '- development (cors.rb): `["http://localhost:3000"]` — CORS_ORIGINS unset → default "http://localhost:3000"',
      '- production (cors.rb): `["http://localhost:3000"]` — CORS_ORIGINS unset → default "http://localhost:3000"',
    ],
    range: [2, 38, 61],
  },
  {
    file: 'environments/hover/rails-ternary/config/initializers/cors.rb',
    at: 'origins',
    expected: [
      '**Allowed origins**: decided at run time',
      '',
      'Per environment:',
      '- development (cors.rb): `["http://localhost:3000"]` — RAILS_ENV = "development" (the environment\'s name)',
      '- production (cors.rb): `["https://app.example.com"]` — RAILS_ENV = "production" (the environment\'s name)',
    ],
    range: [2, 12, 21],
  },
  {
    file: 'truth/environments/rails/config/initializers/cors.rb',
    at: 'origins',
    expected: [
      '**Allowed origins**: decided at run time',
      '',
      'Per environment:',
      `- development (cors.rb): \`["http://localhost:3000", "http://localhost:5173"]\` — config.x.cors_origins set in ${link('../environments/development.rb', 'truth/environments/rails/config/environments/development.rb', 4)}`,
      `- production (cors.rb): \`["https://app.example.com"]\` — CORS_ORIGINS unset → default "https://app.example.com"; config.x.cors_origins set in ${link('../environments/production.rb', 'truth/environments/rails/config/environments/production.rb', 4)}`,
    ],
    range: [2, 12, 51],
  },
];

describe('the hover of a CORS setting per environment, every framework (stdio)', () => {
  let client: LspTestClient;

  before(async () => {
    ({ client } = await LspTestClient.start({ root: ROOT, settings: {} }));
  });
  after(() => client.kill());

  const opened = new Set<string>();
  /** Opens a fixture once and waits for its analysis; its URI and text. */
  const open = async (file: string) => {
    const uri = pathToFileURL(file).href;
    const text = readFileSync(file, 'utf8');
    if (!opened.has(uri)) {
      opened.add(uri);
      await client.open(uri, text);
      await client.diagnostics(uri, 1);
    }
    return { uri, text };
  };

  for (const c of CASES)
    test(`${c.file}: ${c.at}`, async () => {
      const { uri, text } = await open(path.join(FIXTURES, c.file));
      const lines = text.split('\n');
      const line = lines.findIndex((l) => l.includes(c.at));
      const answer = await client.hover(uri, { line, character: lines[line].indexOf(c.at) + 1 });
      assert.ok(answer, 'a hover');
      assert.equal((answer.contents as { value: string }).value, c.expected.join('\n'));
      const [l, from, to] = c.range;
      assert.deepEqual(answer.range, {
        start: { line: l, character: from },
        end: { line: l, character: to },
      });
    });

  test('no hover on a line that configures nothing', async () => {
    const { uri } = await open(path.join(ROOT, 'fastapi/app.py'));
    assert.equal(await client.hover(uri, { line: 5, character: 2 }), null, 'app = FastAPI()');
    assert.equal(await client.hover(uri, { line: 8, character: 6 }), null, 'CORSMiddleware,');
  });
});
