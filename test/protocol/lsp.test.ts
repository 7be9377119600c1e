import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  createProtocolConnection,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  IPCMessageReader,
  IPCMessageWriter,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  type Diagnostic,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { coreFindings, expectedDiagnostic } from './expected';
import {
  applyTextEdits,
  editsOf,
  fixturesDir,
  fixtureUri,
  isAction,
  LspTestClient,
  serverBundle,
} from './lsp-client';

/**
 * The bundled language server (dist/server.js, built by test/run.sh) driven over stdio by a real
 * LSP client. Messages are compared with the core's own findings for the same text (expected.ts).
 */

const fixture = (relative: string) => readFileSync(path.join(fixturesDir, relative), 'utf8');
const docs = 'https://github.com/cors-lens/cors-lens/blob/main/docs/checks/allow-all-origins.md';
/** The client's settings: fixes use this origin instead of the localhost defaults. */
const settings = { allowedOrigins: ['https://app.example.com'] };

describe('language server over stdio', () => {
  let client: LspTestClient;
  const uri = fixtureUri('django/settings.py');
  let text = fixture('django/settings.py');
  let version = 1;

  before(async () => {
    ({ client } = await LspTestClient.start({ settings }));
  });
  after(() => client.kill());

  test('advertises quick fixes, source.fixAll.cors-lens and hovers', async () => {
    const started = await LspTestClient.start({ settings });
    try {
      const capabilities = started.init.capabilities;
      assert.deepEqual(capabilities.codeActionProvider, {
        codeActionKinds: ['quickfix', 'source.fixAll.cors-lens'],
      });
      assert.equal(capabilities.hoverProvider, true);
    } finally {
      assert.equal(await started.client.stop(), 0);
    }
  });

  test('didOpen publishes the finding with code, docs link, range and message', async () => {
    await client.open(uri, text, version);
    const { diagnostics } = await client.diagnostics(uri, version);
    assert.equal(diagnostics.length, 1);
    const [d] = diagnostics;
    assert.equal(d.code, 'allow-all-origins');
    assert.equal(d.source, 'CORS Lens');
    assert.equal(d.severity, 1);
    assert.deepEqual(d.codeDescription, { href: docs });
    assert.match(d.message, /CORS_ALLOW_ALL_ORIGINS.*CORS_ALLOW_CREDENTIALS/);
    assert.deepEqual(d.range, {
      start: { line: 10, character: 0 },
      end: { line: 10, character: 29 },
    });
    const [core] = await coreFindings(path.join(fixturesDir, 'django/settings.py'), text, settings);
    assert.deepEqual(
      { code: d.code, message: d.message, range: d.range },
      expectedDiagnostic(core, text),
    );
  });

  test('hover on a CORS_* name shows the effective value and where it was set', async () => {
    const hover = await client.hover(uri, { line: 11, character: 8 });
    assert.ok(hover, 'a hover');
    const value = (hover.contents as { value: string }).value;
    assert.match(value, /CORS_ALLOW_CREDENTIALS = True/);
    assert.match(value, /settings\.py:12/);
    assert.deepEqual(hover.range, {
      start: { line: 11, character: 0 },
      end: { line: 11, character: 22 },
    });
    assert.equal(
      await client.hover(uri, { line: 0, character: 3 }),
      null,
      'no hover on INSTALLED_APPS',
    );
  });

  test('a preview the worker refuses keeps its protocol error (InvalidParams) and message', async () => {
    await assert.rejects(
      client.request('corsLens/preview', {
        uri,
        origin: '',
        path: '/',
        method: 'GET',
        headers: [],
        credentials: false,
      }),
      (error: { code?: number; message?: string }) => {
        // -32602: the protocol's InvalidParams.
        assert.equal(error.code, -32602);
        assert.equal(error.message, 'An origin is required.');
        return true;
      },
    );
  });

  test('corsLens/policy asked with the first didOpen (as the status bar asks at start) answers once analysed', async () => {
    // A new server: the summary's modules load on this first request (issue 21).
    const started = await LspTestClient.start({ settings });
    try {
      await started.client.open(uri, fixture('django/settings.py'), 1, 'python');
      const [summary, none] = await Promise.all([
        started.client.request('corsLens/policy', { uri }),
        started.client.request('corsLens/policy', { uri: fixtureUri('django/not-open.py') }),
        started.client.diagnostics(uri, 1),
      ]);
      assert.deepEqual(summary, { found: true, origins: [], regexes: [], allowAll: true });
      assert.deepEqual(none, { found: false, origins: [], regexes: [], allowAll: false });
    } finally {
      assert.equal(await started.client.stop(), 0);
    }
  });

  test('corsLens/policy and corsLens/preview answer for the open document', async () => {
    const summary = await client.request<{ found: boolean; allowAll: boolean; origins: string[] }>(
      'corsLens/policy',
      { uri },
    );
    assert.deepEqual(summary, { found: true, origins: [], regexes: [], allowAll: true });
    const report = await client.request<{
      preflight: { needed: boolean; status?: number };
      actual: { status: number; headers: [string, string][] };
      verdict: { allowed: boolean; reasons: string[] };
      because: { message: string; uri: string; label: string; line: number }[];
      sources: { message: string; uri: string; label: string; line: number }[];
    }>('corsLens/preview', {
      uri,
      origin: 'https://evil.example',
      path: '/api/me',
      method: 'GET',
      headers: [],
      credentials: true,
    });
    assert.deepEqual(report.preflight, { needed: false });
    assert.equal(
      report.verdict.allowed,
      true,
      'allow-all with credentials lets any site read the response',
    );
    assert.ok(
      report.actual.headers.some(
        ([n, v]) =>
          n.toLowerCase() === 'access-control-allow-origin' && v === 'https://evil.example',
      ),
    );
    // The lines behind the verdict and the policy, as document positions.
    const lineOf = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle));
    const allowAll = lineOf('CORS_ALLOW_ALL_ORIGINS');
    assert.deepEqual(
      report.because.map((l) => [l.message, l.label, l.uri]),
      [['Allowed: CORS_ALLOW_ALL_ORIGINS allows every origin', `settings.py:${allowAll + 1}`, uri]],
    );
    const sources = report.sources.map((l) => `${l.label} ${l.message}`);
    assert.ok(
      sources.includes(
        `settings.py:${allowAll + 1} CORS_ALLOW_ALL_ORIGINS: every origin is allowed`,
      ),
      sources.join('\n'),
    );
    assert.ok(
      sources.some((s) => s.startsWith(`settings.py:${lineOf('CORS_ALLOW_CREDENTIALS') + 1} `)),
      sources.join('\n'),
    );
  });

  let fixed: string;
  test('the code action is a preferred quick fix, versioned, using the configured origins', async () => {
    const { diagnostics } = await client.diagnostics(uri, version);
    const actions = (await client.codeActions(uri, diagnostics[0].range, diagnostics))!.filter(
      isAction,
    );
    const quickfix = actions.find((a) => a.kind === 'quickfix');
    assert.ok(quickfix, 'a quick fix');
    assert.equal(quickfix.isPreferred, true);
    assert.equal(quickfix.title, 'Allow only https://app.example.com');
    const [change] = editsOf(quickfix);
    assert.deepEqual(change.textDocument, { uri, version });
    fixed = applyTextEdits(text, change.edits);
    assert.match(fixed, /CORS_ALLOWED_ORIGINS = \[\n {4}"https:\/\/app\.example\.com",\n\]/);
  });

  test('source.fixAll.cors-lens is offered only when asked for', async () => {
    const { diagnostics } = await client.diagnostics(uri, version);
    const all = (await client.codeActions(
      uri,
      diagnostics[0].range,
      [],
      ['source.fixAll'],
    ))!.filter(isAction);
    assert.deepEqual(
      all.map((a) => a.kind),
      ['source.fixAll.cors-lens'],
    );
    assert.equal(applyTextEdits(text, editsOf(all[0])[0].edits), fixed);
    const plain = (await client.codeActions(uri, diagnostics[0].range, []))!.filter(isAction);
    assert.deepEqual(plain, []);
  });

  test('didChange with the fixed text clears the diagnostics', async () => {
    text = fixed;
    await client.change(uri, text, ++version);
    const published = await client.diagnostics(uri, version);
    assert.equal(published.version, version);
    assert.deepEqual(published.diagnostics, []);
  });

  test('half-typed Python (an unterminated list) gives no crash and no false finding', async () => {
    // The open list swallows MIDDLEWARE: parsed naively, CorsMiddleware would look missing.
    const broken = text.replace(
      'MIDDLEWARE = [',
      'CORS_EXPOSE_HEADERS = ["x-total",\nMIDDLEWARE = [',
    );
    await client.change(uri, broken, ++version);
    assert.deepEqual((await client.diagnostics(uri, version)).diagnostics, []);
    // A half-typed element: the analysis of this tree alone says 'corsheaders' is not installed.
    await client.change(
      uri,
      text.replace('INSTALLED_APPS = [', 'INSTALLED_APPS = [\n    ('),
      ++version,
    );
    assert.deepEqual((await client.diagnostics(uri, version)).diagnostics, []);
    // Still alive: re-introducing the real problem brings its finding back.
    const again = text.replace(
      /CORS_ALLOWED_ORIGINS = \[[^\]]*\]/,
      'CORS_ALLOW_ALL_ORIGINS = True',
    );
    await client.change(uri, again, ++version);
    const { diagnostics } = await client.diagnostics(uri, version);
    assert.deepEqual(
      diagnostics.map((d: Diagnostic) => [d.code, d.range.start.line]),
      [['allow-all-origins', 10]],
    );
  });

  test('a finding that existed before the file broke stays while it is broken', async () => {
    const broken = `${fixture('django/settings.py')}\nEXTRA = [\n`;
    await client.change(uri, broken, ++version);
    const { diagnostics } = await client.diagnostics(uri, version);
    assert.deepEqual(
      diagnostics.map((d: Diagnostic) => d.code),
      ['allow-all-origins'],
    );
  });

  test('changed settings re-validate open documents (severity off)', async () => {
    const published = client.nextDiagnostics(uri, (p) => p.diagnostics.length === 0);
    await client.changeSettings({ ...settings, severity: { 'allow-all-origins': 'off' } });
    assert.deepEqual((await published).diagnostics, []);
    const back = client.nextDiagnostics(uri, (p) => p.diagnostics.length > 0);
    await client.changeSettings(settings);
    assert.deepEqual(
      (await back).diagnostics.map((d: Diagnostic) => d.code),
      ['allow-all-origins'],
    );
  });

  test('ranges count UTF-16 units after non-ASCII text on the same line', async () => {
    const unicode = fixtureUri('unicode/settings.py');
    await client.open(unicode, fixture('unicode/settings.py'));
    const { diagnostics } = await client.diagnostics(unicode, 1);
    assert.equal(diagnostics.length, 1);
    const core = await coreFindings(
      path.join(fixturesDir, 'unicode/settings.py'),
      fixture('unicode/settings.py'),
      settings,
    );
    assert.deepEqual(
      diagnostics.map((d: Diagnostic) => ({ code: d.code, message: d.message, range: d.range })),
      core.map((f) => expectedDiagnostic(f, fixture('unicode/settings.py'))),
    );
    // `SITE_NAME = "café ☕ 😀"; ` is 25 UTF-16 units (30 bytes, 24 code points).
    assert.deepEqual(diagnostics[0].range, {
      start: { line: 4, character: 25 },
      end: { line: 4, character: 54 },
    });
    const [action] = (await client.codeActions(unicode, diagnostics[0].range, diagnostics))!.filter(
      isAction,
    );
    const after = applyTextEdits(fixture('unicode/settings.py'), editsOf(action)[0].edits);
    assert.ok(after.includes('SITE_NAME = "café ☕ 😀"; CORS_ALLOWED_ORIGINS = ['), after);
    await client.close(unicode);
  });

  test('"fix all" for a check with several fixable findings applies them together', async () => {
    const many = fixtureUri('many/settings.py');
    const original = fixture('many/settings.py');
    await client.open(many, original);
    const { diagnostics } = await client.diagnostics(many, 1);
    assert.deepEqual(
      diagnostics.map((d: Diagnostic) => [d.code, d.range.start.line]),
      [
        ['malformed-origin', 3],
        ['malformed-origin', 4],
      ],
    );
    const actions = (await client.codeActions(many, diagnostics[0].range, [
      diagnostics[0],
    ]))!.filter(isAction);
    assert.deepEqual(
      actions.map((a) => [a.title, a.kind, a.isPreferred]),
      [
        ["Use 'https://app.example.com'", 'quickfix', true],
        ['Fix all malformed-origin problems', 'quickfix', undefined],
      ],
    );
    const fixedAll = applyTextEdits(original, editsOf(actions[1])[0].edits);
    assert.ok(
      fixedAll.includes('"https://app.example.com",\n    "https://admin.example.com",\n]'),
      fixedAll,
    );
    await client.change(many, fixedAll, 2);
    assert.deepEqual((await client.diagnostics(many, 2)).diagnostics, []);
    await client.close(many);
  });

  test('an unsaved edit to an imported settings file re-analyses the importer', async () => {
    const base = fixtureUri('imports/settings/base.py');
    const prod = fixtureUri('imports/settings/prod.py');
    await client.open(prod, fixture('imports/settings/prod.py'));
    const before = await client.diagnostics(prod, 1);
    assert.deepEqual(
      before.diagnostics.map((d: Diagnostic) => [d.code, d.severity, d.range.start.line]),
      [['allow-all-origins', 1, 3]],
    );
    const hover = await client.hover(prod, { line: 2, character: 5 });
    assert.match(
      (hover!.contents as { value: string }).value,
      /CORS_ALLOW_CREDENTIALS = True[\s\S]*base\.py:3/,
    );
    await client.open(base, fixture('imports/settings/base.py'));
    await client.diagnostics(base, 1);
    // Opening base.py may re-publish prod.py unchanged; wait for the publish that follows the edit.
    const next = client.nextDiagnostics(prod, (p) => p.diagnostics[0]?.severity !== 1);
    await client.change(
      base,
      fixture('imports/settings/base.py').replace(
        'CORS_ALLOW_CREDENTIALS = True',
        'CORS_ALLOW_CREDENTIALS = False',
      ),
      2,
    );
    const after = await next;
    assert.deepEqual(
      after.diagnostics.map((d: Diagnostic) => [d.code, d.severity]),
      [['allow-all-origins', 3]],
      'an information note once credentials are off',
    );
    await client.close(base);
    await client.close(prod);
  });

  test('a binary or huge document is skipped with one log message', async () => {
    const binary = fixtureUri('binary/settings.py');
    await client.open(binary, 'CORS_ALLOW_ALL_ORIGINS = True\0\n');
    assert.deepEqual((await client.diagnostics(binary, 1)).diagnostics, []);
    await client.change(binary, 'CORS_ALLOW_ALL_ORIGINS = True\0\n\n', 2);
    await client.diagnostics(binary, 2);
    // Requests about a skipped document are answered (with nothing), not left waiting for an
    // analysis state that a skipped document never gets.
    const whole = { start: { line: 0, character: 0 }, end: { line: 2, character: 0 } };
    const actions = await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: binary },
      range: whole,
      context: { diagnostics: [] },
    });
    assert.deepEqual(actions, []);
    assert.equal(await client.hover(binary, { line: 0, character: 3 }), null);
    assert.equal(
      client.logs.filter((l) => l.includes('binary/settings.py') && l.includes('binary')).length,
      1,
    );
    const huge = fixtureUri('huge/settings.py');
    await client.open(huge, `CORS_ALLOW_ALL_ORIGINS = True\n${'# padding\n'.repeat(220_000)}`);
    assert.deepEqual((await client.diagnostics(huge, 1)).diagnostics, []);
    assert.equal(
      client.logs.filter((l) => l.includes('huge/settings.py') && l.includes('larger than 2 MB'))
        .length,
      1,
    );
  });

  test('other languages give no diagnostics yet', async () => {
    const js = fixtureUri('app.js');
    await client.open(js, 'app.use(cors({ origin: "*", credentials: true }));\n', 1, 'javascript');
    assert.deepEqual((await client.diagnostics(js, 1)).diagnostics, []);
  });

  test('a file that cannot report is skipped until CORS appears in it, and back', async () => {
    const plain = fixtureUri('later/settings.py');
    await client.open(plain, 'DEBUG = True\n', 1);
    assert.deepEqual((await client.diagnostics(plain, 1)).diagnostics, []);
    await client.change(
      plain,
      'DEBUG = True\nCORS_ALLOW_ALL_ORIGINS = True\nCORS_ALLOW_CREDENTIALS = True\n',
      2,
    );
    const { diagnostics } = await client.diagnostics(plain, 2);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range.start.line]),
      [['allow-all-origins', 1]],
    );
    await client.change(plain, 'DEBUG = False\n', 3);
    assert.deepEqual((await client.diagnostics(plain, 3)).diagnostics, []);
  });

  test('a settings module that only star-imports its CORS setup is analysed, with the setup it inherits', async () => {
    const base = fixtureUri('inherit/settings/base.py');
    const production = fixtureUri('inherit/settings/production.py');
    await client.open(
      base,
      'INSTALLED_APPS = ["corsheaders"]\nMIDDLEWARE = ["corsheaders.middleware.CorsMiddleware"]\nCORS_ALLOWED_ORIGINS = ["https://app.example.com"]\n',
      1,
    );
    await client.diagnostics(base, 1);
    await client.open(
      production,
      'from .base import *\nMIDDLEWARE = ["django.middleware.common.CommonMiddleware"]\n',
      1,
    );
    const { diagnostics } = await client.diagnostics(production, 1);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range.start.line]),
      [['cors-middleware-missing', 1]],
    );
    const summary = await client.request<{ found: boolean; origins: string[] }>('corsLens/policy', {
      uri: production,
    });
    assert.deepEqual([summary.found, summary.origins], [true, ['https://app.example.com']]);
  });

  test('a settings module whose star-imported base appears later is analysed again', async () => {
    const base = fixtureUri('inherit-later/settings/base.py');
    const production = fixtureUri('inherit-later/settings/production.py');
    await client.open(
      production,
      'from .base import *\nMIDDLEWARE = ["django.middleware.common.CommonMiddleware"]\n',
      1,
    );
    assert.deepEqual((await client.diagnostics(production, 1)).diagnostics, []);
    const again = client.nextDiagnostics(production, (p) => p.diagnostics.length > 0);
    await client.open(
      base,
      'INSTALLED_APPS = ["corsheaders"]\nCORS_ALLOWED_ORIGINS = ["https://app.example.com"]\n',
      1,
    );
    assert.deepEqual(
      (await again).diagnostics.map((d) => [d.code, d.range.start.line]),
      [['cors-middleware-missing', 1]],
    );
  });

  test('shutdown and exit end the server with code 0', async () => {
    assert.equal(await client.stop(), 0);
    assert.deepEqual(client.stderr.join(''), '');
  });
});

describe('language server without workspace/configuration', () => {
  test('uses the default settings', async () => {
    const { client } = await LspTestClient.start();
    try {
      const uri = fixtureUri('django/settings.py');
      await client.open(uri, fixture('django/settings.py'));
      const { diagnostics } = await client.diagnostics(uri, 1);
      const [action] = (await client.codeActions(uri, diagnostics[0].range, diagnostics))!.filter(
        isAction,
      );
      assert.equal(action.title, 'Allow only http://localhost:3000, http://localhost:5173');
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });
});

describe('language server over node IPC (as vscode-languageclient starts it)', () => {
  test('initializes and publishes diagnostics', async () => {
    const child = fork(serverBundle, ['--node-ipc'], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    const connection = createProtocolConnection(
      new IPCMessageReader(child),
      new IPCMessageWriter(child),
    );
    const uri = fixtureUri('django/settings.py');
    const published = new Promise<PublishDiagnosticsParams>((resolve) =>
      connection.onNotification(
        PublishDiagnosticsNotification.type,
        (p) => p.uri === uri && resolve(p),
      ),
    );
    connection.listen();
    try {
      await connection.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        rootUri: null,
        capabilities: {},
      });
      await connection.sendNotification(InitializedNotification.type, {});
      await connection.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: {
          uri,
          languageId: 'python',
          version: 1,
          text: fixture('django/settings.py'),
        },
      });
      assert.deepEqual(
        (await published).diagnostics.map((d) => d.code),
        ['allow-all-origins'],
      );
      await connection.sendRequest(ShutdownRequest.type);
      const exited = new Promise((resolve) => child.on('exit', resolve));
      await connection.sendNotification(ExitNotification.type);
      assert.equal(await exited, 0);
    } finally {
      connection.dispose();
      if (child.exitCode === null) child.kill();
    }
  });
});
