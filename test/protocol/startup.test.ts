/**
 * The server's part of the first-squiggle breakdown over stdio: `--preload=python` (what the
 * extension passes for the files open at activation) loads the grammar while the client and the
 * server shake hands, and `corsLens/startupTimings` says when. Prints initialize → first
 * diagnostics of an opened file (the e2e prints the whole breakdown in code-server).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { StartupTimings } from '../../server/src/lsp/protocol';
import { LspTestClient } from './lsp-client';

const root = path.resolve(__dirname, '../fixtures/e2e/workspace');
const file = path.join(root, 'settings.py');
const uri = pathToFileURL(file).href;

describe('server start-up over stdio', () => {
  let client: LspTestClient;
  let spawned: number;
  let up: number;

  before(async () => {
    spawned = Date.now();
    ({ client } = await LspTestClient.start({
      root,
      settings: {},
      serverArgs: ['--preload=python', '--preload=no-such-grammar'],
    }));
    up = Date.now();
  });
  after(() => client.kill());

  test('the preloaded grammar is loaded by the time the first diagnostics arrive', async () => {
    await client.open(uri, readFileSync(file, 'utf8'));
    const { diagnostics } = await client.diagnostics(uri, 1);
    const first = Date.now();
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['allow-all-origins'],
    );
    const timings = await client.request<StartupTimings>('corsLens/startupTimings', {});
    assert.deepEqual(timings.grammars, ['python']);
    assert.ok(timings.grammarsLoaded !== undefined && timings.grammarsLoaded <= first);
    assert.ok(timings.processStart >= spawned - 1000 && timings.processStart <= up);
    console.log(
      `spawn → initialized ${up - spawned} ms; grammar loaded ${timings.grammarsLoaded - timings.processStart} ms after the process started; initialized → first diagnostics ${first - up} ms`,
    );
  });
});
