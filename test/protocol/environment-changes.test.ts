/**
 * The environments a document offers follow the project's files and settings while the server
 * runs (bundled server over stdio): a deployment file written on disk (announced by
 * `didChangeWatchedFiles`, as the client's watchers do) re-analyses the documents of its folder,
 * and a change of `corsLens.environments` re-analyses every open document, so `corsLens/policy`
 * and the hover offer the new list.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { PolicySummary } from '../../server/src/lsp/protocol';
import { LspTestClient } from './lsp-client';

const SERVER = `const express = require('express');
const cors = require('cors');

const app = express();
app.use(cors({ origin: ['https://app.example.com'] }));
app.get('/api/items', (req, res) => res.json([]));
app.listen(8080);
`;

describe('environments follow the files and settings (stdio)', () => {
  let client: LspTestClient;
  let dir: string;
  let uri: string;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cors-lens-envs-'));
    writeFileSync(path.join(dir, 'package.json'), '{ "name": "items", "private": true }\n');
    writeFileSync(path.join(dir, 'server.js'), SERVER);
    uri = pathToFileURL(path.join(dir, 'server.js')).href;
    ({ client } = await LspTestClient.start({ root: dir, settings: {} }));
    await client.open(uri, SERVER);
    await client.diagnostics(uri, 1);
  });
  after(async () => {
    await client.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const offered = async () => {
    await client.request('corsLens/analysesSettled', {});
    return (await client.request<PolicySummary>('corsLens/policy', { uri })).environments;
  };
  /** The hover on the `cors({ origin: [...] })` line: null when it has nothing to say. */
  const hoverText = async () => {
    const answer = await client.hover(uri, { line: 4, character: 10 });
    return answer && (answer.contents as { value: string }).value;
  };

  test('nothing differs between environments: none offered, no per-environment hover', async () => {
    assert.equal(await offered(), undefined);
    assert.equal(await hoverText(), null);
  });

  test('a Dockerfile written on disk makes production differ', async () => {
    const dockerfile = path.join(dir, 'Dockerfile');
    writeFileSync(dockerfile, 'FROM node:22-slim\nENV PORT=8080\nCMD ["node", "server.js"]\n');
    await client.notify('workspace/didChangeWatchedFiles', {
      changes: [{ uri: pathToFileURL(dockerfile).href, type: 1 }],
    });
    assert.deepEqual(await offered(), ['development', 'production']);
    assert.equal(
      await hoverText(),
      [
        '**Allowed origins**: `["https://app.example.com"]`',
        '',
        'Per environment:',
        '- development (server.js): `["https://app.example.com"]`',
        '- production (server.js): `["https://app.example.com"]`',
      ].join('\n'),
    );
  });

  test('corsLens.environments changed: the new list is offered', async () => {
    await client.changeSettings({ environments: ['staging'] });
    assert.deepEqual(await offered(), ['development', 'production', 'staging']);
    assert.match(
      (await hoverText()) ?? '',
      /- staging \(server\.js\): `\["https:\/\/app\.example\.com"\]`$/,
    );
  });
});
