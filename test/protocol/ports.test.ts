/**
 * The project's own port through the bundled language server over stdio: `corsLens/probeDefaults`
 * pre-fills the URL the app listens on (code, launch commands), and `corsLens/preview` shows the
 * request going there, for documents opened from real fixture files (test/fixtures/ports).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { ProbeDefaults } from '../../server/src/lsp/probe-protocol';
import { LspTestClient } from './lsp-client';

const root = path.resolve(__dirname, '../fixtures/ports');

describe("the project's ports over stdio", () => {
  let client: LspTestClient;
  const open = async (relative: string): Promise<string> => {
    const file = path.join(root, relative);
    const uri = pathToFileURL(file).href;
    await client.open(uri, readFileSync(file, 'utf8'), 1);
    return uri;
  };

  before(async () => {
    ({ client } = await LspTestClient.start({ root }));
  });
  after(() => client.kill());

  test('Express `listen(process.env.PORT || 4000)` and its route: probe URL and preview URL', async () => {
    const uri = await open('express-env-port/server.js');
    assert.deepEqual(await client.request<ProbeDefaults>('corsLens/probeDefaults', { uri }), {
      url: 'http://127.0.0.1:4000/items/1',
      why: 'server.js listens on 4000',
      headers: [],
      credentials: false,
    });
    const preview = await client.request<{ request: { url: string } }>('corsLens/preview', {
      uri,
      origin: 'https://app.example.com',
      path: '/items/1',
      method: 'GET',
      headers: [],
      credentials: false,
    });
    assert.equal(preview.request.url, 'http://localhost:4000/items/1');
  });

  test('Django started by a Procfile on 8001 under CORS_URLS_REGEX', async () => {
    const uri = await open('django-procfile/proj/settings.py');
    const defaults = await client.request<ProbeDefaults>('corsLens/probeDefaults', { uri });
    assert.equal(defaults.url, 'http://127.0.0.1:8001/api/v1/');
    assert.equal(
      defaults.why,
      'django-procfile/Procfile starts it on 8001 (`python manage.py runserver 0.0.0.0:8001`)',
    );
  });
});
