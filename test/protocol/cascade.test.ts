/**
 * Which open documents an edit re-analyses, over the real language server: an app's edit reaches
 * the documents that read apps (nginx in front of it, frontend calls to it), not other backends;
 * an edit that changes no cross-file fact reaches nobody; a frontend call's edit reaches every
 * backend. Documents are unsaved (not on disk).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { analysesSettledRequest } from '../../server/src/lsp/protocol';
import { fixtureUri, LspTestClient } from './lsp-client';

const expressText = (origin: string) =>
  `const express = require("express");\nconst cors = require("cors");\nconst app = express();\napp.use(cors({ origin: "${origin}" }));\napp.listen(8000);\n`;
const djangoText = `INSTALLED_APPS = ["corsheaders"]\nMIDDLEWARE = ["corsheaders.middleware.CorsMiddleware"]\nCORS_ALLOWED_ORIGINS = ["https://app.example.com"]\n`;
const nginxText = `events {}\nhttp {\n    server {\n        listen 80;\n        location /api/ {\n            add_header Access-Control-Allow-Origin "https://app.example.com" always;\n            proxy_pass http://127.0.0.1:8000;\n        }\n    }\n}\n`;
const frontendText = (header: string) =>
  `export const me = () => fetch("http://localhost:8000/api/me", { headers: { "${header}": "t" } });\n`;

describe('cascade: an edit re-analyses only the documents it can change', () => {
  let client: LspTestClient;
  const app = fixtureUri('cascade/express/app.js');
  const django = fixtureUri('cascade/django/settings.py');
  const nginx = fixtureUri('cascade/nginx/nginx.conf');
  const frontend = fixtureUri('cascade/web/api.js');
  const all = [app, django, nginx, frontend];

  /** Waits until every queued analysis (and the dependents it queued) ran, then counts publishes. */
  const counts = async () => {
    await client.request(analysesSettledRequest, null);
    return Object.fromEntries(all.map((uri) => [uri, client.publishCount(uri)]));
  };
  /** Publishes since `before`, per document, in the order of `all`. */
  const since = async (before: Record<string, number>) => {
    const now = await counts();
    return all.map((uri) => now[uri] - before[uri]);
  };

  before(async () => {
    ({ client } = await LspTestClient.start({ settings: {} }));
    await client.open(app, expressText('https://app.example.com'), 1, 'javascript');
    await client.open(django, djangoText, 1, 'python');
    await client.open(nginx, nginxText, 1, 'nginx');
    await client.open(frontend, frontendText('x-a'), 1, 'javascript');
    await client.diagnostics(frontend, 1);
  });
  after(() => client.kill());

  test("an app's changed policy reaches nginx and the frontend, not the other backend", async () => {
    const before = await counts();
    await client.change(app, expressText('https://other.example.com'), 2);
    assert.deepEqual(await since(before), [1, 0, 1, 1]);
  });

  test('an edit that changes no cross-file fact reaches nobody else', async () => {
    const before = await counts();
    await client.change(
      app,
      `${expressText('https://other.example.com')}// deployed behind nginx\n`,
      3,
    );
    assert.deepEqual(await since(before), [1, 0, 0, 0]);
  });

  test("a frontend call's changed header reaches every document with a policy", async () => {
    const before = await counts();
    await client.change(frontend, frontendText('x-b'), 2);
    assert.deepEqual(await since(before), [1, 1, 1, 1]);
  });
});
