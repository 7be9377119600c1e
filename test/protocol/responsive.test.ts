/**
 * The language server stays responsive while a heavy file is analysed (issue 16), over the real
 * server's stdio: the analysis runs on a worker thread, so a hover and a code action on a small
 * file are answered before the heavy file's diagnostics arrive, and `shutdown`/`exit` or SIGTERM
 * end the process mid-analysis. Ordering only, never timing: how fast is the bench's job
 * (bench/lsp-responsive.ts).
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ConfigurationRequest } from 'vscode-languageserver-protocol/node';
import { originsFile } from '../fuzz/mutators';
import { hangGuardMs } from '../support/hang-guard';
import { editsOf, isAction, LspTestClient } from './lsp-client';

/** A small Django settings file with one finding (all origins allowed) and its fix. */
const small = `INSTALLED_APPS = ["corsheaders"]\nMIDDLEWARE = ["corsheaders.middleware.CorsMiddleware"]\nCORS_ALLOW_ALL_ORIGINS = True\n`;
/** 10,000 origins, each with a finding: seconds of analysis and a large publish. */
const heavy = originsFile('python', 10_000, true).text;

describe('responsiveness: a heavy file never holds up another file or shutdown', () => {
  let root: string;
  let smallUri: string;
  const heavyUri = (name: string) => {
    fs.mkdirSync(path.join(root, name), { recursive: true });
    return pathToFileURL(path.join(root, name, 'settings.py')).href;
  };

  /**
   * Resolves once the server has asked for `uri`'s settings and been answered: the analysis of
   * `uri` starts then, so whatever the client sends next reaches a server that is analysing it.
   */
  const analysing = (client: LspTestClient, uri: string) =>
    new Promise<void>((resolve) =>
      client.connection.onRequest(ConfigurationRequest.type, (params) => {
        if (params.items.some((item) => item.scopeUri === uri)) setImmediate(resolve);
        return params.items.map(() => client.settings ?? null);
      }),
    );

  /** Opens the heavy file as `name`; resolves with its URI once its analysis has begun. */
  const openHeavy = async (client: LspTestClient, name: string) => {
    const uri = heavyUri(name);
    const started = analysing(client, uri);
    await client.open(uri, heavy, 1, 'python');
    await started;
    return uri;
  };

  /** A server with the small file open and analysed. */
  const serverWithSmallFile = async () => {
    // The budget lifted: the heavy file is analysed in full, however busy the machine.
    const { client } = await LspTestClient.start({ root, settings: { analysisBudgetMs: 600_000 } });
    await client.open(smallUri, small, 1, 'python');
    await client.diagnostics(smallUri, 1);
    return client;
  };

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'cors-lens-responsive-'));
    fs.writeFileSync(path.join(root, 'settings.py'), small);
    smallUri = pathToFileURL(path.join(root, 'settings.py')).href;
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  test('a hover and a code action on a small file are answered before the heavy file is analysed', async () => {
    const client = await serverWithSmallFile();
    try {
      const uri = await openHeavy(client, 'heavy');
      const [hover, actions] = await Promise.all([
        client.hover(smallUri, { line: 2, character: 3 }),
        client.codeActions(
          smallUri,
          { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } },
          (await client.diagnostics(smallUri, 1)).diagnostics,
        ),
      ]);
      assert.equal(client.publishCount(uri), 0, 'answered only after the heavy analysis');
      assert.match(JSON.stringify(hover?.contents), /CORS_ALLOW_ALL_ORIGINS/);
      const fixes = actions?.filter(isAction) ?? [];
      assert.deepEqual(
        fixes.map((a) => [a.kind, editsOf(a).map((e) => e.textDocument.uri)]),
        [['quickfix', [smallUri]]],
      );
      // The heavy file is still analysed in full: its 10,000 findings, published as the first
      // 300 (corsLens.maxDiagnosticsPerFile) and a note saying how many more there are.
      const published = await client.diagnostics(uri, 1);
      assert.equal(published.diagnostics.length, 301);
      assert.match(published.diagnostics[0].message, /^9700 more CORS Lens findings not shown; /);
    } finally {
      client.kill();
    }
  });

  test('an edit during the analysis publishes only the new version', async () => {
    const client = await serverWithSmallFile();
    try {
      const uri = await openHeavy(client, 'edited');
      await client.change(uri, small, 2);
      const published = await client.diagnostics(uri, 2);
      assert.deepEqual(
        published.diagnostics.map((d) => d.code),
        ['allow-all-origins'],
      );
      await client.request('corsLens/analysesSettled', null);
      assert.equal(client.publishCount(uri), 1, 'version 1 was never published');
    } finally {
      client.kill();
    }
  });

  test('shutdown and exit end the server in the middle of the analysis', async () => {
    const client = await serverWithSmallFile();
    try {
      const uri = await openHeavy(client, 'shutdown');
      assert.equal(await client.stop(), 0);
      assert.equal(client.publishCount(uri), 0, 'stopped before the heavy analysis ended');
    } finally {
      client.kill();
    }
  });

  test('SIGTERM ends the server in the middle of the analysis', async () => {
    const client = await serverWithSmallFile();
    try {
      const uri = await openHeavy(client, 'sigterm');
      const exited = once(client.child, 'exit');
      client.child.kill('SIGTERM');
      const guard = hangGuardMs(20_000);
      const [code, signal] = (await Promise.race([
        exited,
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error(`no exit ${guard} ms after SIGTERM`)), guard).unref(),
        ),
      ])) as [number | null, NodeJS.Signals | null];
      assert.ok(code !== null || signal === 'SIGTERM', `exited with ${code} ${signal}`);
      assert.equal(client.publishCount(uri), 0, 'ended before the heavy analysis did');
    } finally {
      client.kill();
    }
  });
});
