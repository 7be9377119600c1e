/**
 * Environments through the bundled language server over stdio: `corsLens/policy` offers the
 * environments a Django project distinguishes (and the user's `corsLens.environments`), and
 * `corsLens/preview` with one reads the settings module that environment runs, with its env files.
 * The same project is served for real per environment in test/truth/environments.test.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { PolicySummary, PreviewAnswer } from '../../server/src/lsp/protocol';
import { LspTestClient } from './lsp-client';

const ROOT = path.resolve(__dirname, '../fixtures/truth/environments/django');
const BASE = path.join(ROOT, 'proj/settings/base.py');
const uri = pathToFileURL(BASE).href;

describe('environments over stdio', () => {
  let client: LspTestClient;

  before(async () => {
    ({ client } = await LspTestClient.start({
      root: ROOT,
      settings: { environments: ['staging'] },
    }));
    await client.open(uri, readFileSync(BASE, 'utf8'));
    await client.diagnostics(uri, 1);
  });
  after(() => client.kill());

  const preview = (origin: string, environment?: string) =>
    client.request<PreviewAnswer>('corsLens/preview', {
      uri,
      origin,
      path: '/api/items',
      method: 'GET',
      headers: [],
      credentials: false,
      ...(environment ? { environment } : {}),
    });
  const allowOrigin = (answer: PreviewAnswer) =>
    answer.actual?.headers.find(([n]) => n.toLowerCase() === 'access-control-allow-origin')?.[1];

  test('corsLens/policy offers the environments', async () => {
    const summary = await client.request<PolicySummary>('corsLens/policy', { uri });
    assert.deepEqual(summary.environments, ['development', 'production', 'staging']);
  });

  test('corsLens/preview reads the settings module each environment runs', async () => {
    // As written: base.py alone.
    assert.equal(allowOrigin(await preview('https://app.example.com')), 'https://app.example.com');
    // development: manage.py's dev.py, then the developer's local_settings.py replaces the list.
    const dev = await preview('http://localhost:5173', 'development');
    assert.equal(dev.policyFile, 'dev.py');
    assert.equal(allowOrigin(dev), 'http://localhost:5173');
    assert.equal((await preview('https://app.example.com', 'development')).verdict.allowed, false);
    // production: wsgi.py's production.py, CORS_ALLOW_ALL unset.
    const prod = await preview('http://localhost:5173', 'production');
    assert.equal(prod.policyFile, 'production.py');
    assert.equal(prod.verdict.allowed, false);
    // staging: .env.staging names the production module and sets CORS_ALLOW_ALL=True.
    assert.equal(allowOrigin(await preview('https://evil.example', 'staging')), '*');
  });

  test('the hover of a setting shows its value in each environment', async () => {
    const text = readFileSync(BASE, 'utf8');
    const line = text.split('\n').findIndex((l) => l.startsWith('CORS_ALLOWED_ORIGINS'));
    const answer = await client.hover(uri, { line, character: 3 });
    const value =
      answer && typeof answer.contents === 'object' && 'value' in answer.contents
        ? answer.contents.value
        : '';
    assert.equal(
      value.slice(value.indexOf('Per environment:')),
      [
        'Per environment:',
        '- development (dev.py): `["http://localhost:5173", "http://127.0.0.1:5173"]`',
        '- production (production.py): `["https://app.example.com"]`',
        '- staging (production.py): `["https://app.example.com"]`',
      ].join('\n'),
    );
  });

  test('the hover names what decided a setting in each environment', async () => {
    const file = path.join(ROOT, 'proj/settings/production.py');
    const prod = pathToFileURL(file).href;
    const text = readFileSync(file, 'utf8');
    await client.open(prod, text);
    await client.diagnostics(prod, 1);
    const line = text.split('\n').findIndex((l) => l.startsWith('CORS_ALLOW_ALL_ORIGINS'));
    const answer = await client.hover(prod, { line, character: 3 });
    const value = (answer?.contents as { value: string } | undefined)?.value ?? '';
    const env = pathToFileURL(path.join(ROOT, '.env.staging')).href;
    assert.equal(
      value.slice(value.indexOf('Per environment:')),
      [
        'Per environment:',
        "- development (dev.py): not set (the library's default)",
        '- production (production.py): `False` — CORS_ALLOW_ALL unset → default "False"',
        `- staging (production.py): \`True\` — CORS_ALLOW_ALL = "True" from [../../.env.staging:2](${env}#L2)`,
      ].join('\n'),
    );
  });
});
