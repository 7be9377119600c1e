/**
 * `explain` on what the REAL browser prints: Debian's Chromium (playwright-core) fetches from a
 * page on 127.0.0.1 to a real Django + django-cors-headers server and a real Express + cors
 * server, its console text is captured, and `explain` must name the file, the line and the check
 * behind each failure: a header CORS_ALLOW_HEADERS does not list, an origin CORS_ALLOWED_ORIGINS
 * does not list, and `origin: "*"` with credentials. The servers' ports are found the way a user's
 * would be: a Procfile's `runserver` and a package.json script name them. The HAR the browser
 * recorded of the same fetches is explained too, grouped by cause.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DiskReader } from '../../server/src/base/disk-reader';
import {
  explainHarText,
  explainText,
  type Explanation,
  type HarReport,
} from '../../server/src/explain';
import { launchChromium } from './chromium/browser';
import { missingPython, PYTHON } from './support/python-truth';
import { startServer, type RealServer } from './support/real-server';

const ROOT = path.resolve(__dirname, '../..');
const FIXTURE = path.join(ROOT, 'test/fixtures/explain/chromium');
const SERVE_DJANGO = path.join(__dirname, 'django/serve.py');

/** The 1-based line of the first line of `file` holding `text`. */
function lineOf(file: string, text: string): number {
  const index = readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(text));
  assert.ok(index >= 0, `${text} not in ${file}`);
  return index + 1;
}

/** A page for the browser to fetch from: blank HTML on every path. */
function startPage(): Promise<http.Server> {
  const server = http.createServer((_req, res) =>
    res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>page</title>'),
  );
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const PAGE_FETCH = `async ({ url, init }) => { try { await (await fetch(url, init)).text(); return 'ok'; } catch (e) { return String(e); } }`;

describe('explain: the real Chromium console and HAR against real Django and Express servers', () => {
  let workspace = '';
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let page: http.Server | undefined;
  const servers: RealServer[] = [];
  let console: string[] = [];
  let har: HarReport | undefined;
  let pageOrigin = '';
  let otherOrigin = '';
  let django = 0;
  let express = 0;

  before(async () => {
    const missing = missingPython(['django', 'corsheaders']);
    assert.equal(
      missing,
      undefined,
      `${missing}: apt-get install python3-django python3-django-cors-headers`,
    );
    workspace = mkdtempSync(path.join(tmpdir(), 'cors-lens-explain-'));
    cpSync(FIXTURE, workspace, { recursive: true });
    page = await startPage();
    const pagePort = (page.address() as AddressInfo).port;
    pageOrigin = `http://127.0.0.1:${pagePort}`;
    otherOrigin = `http://localhost:${pagePort}`;
    const settings = path.join(workspace, 'backend/settings.py');
    writeFileSync(settings, readFileSync(settings, 'utf8').replaceAll('PAGE_ORIGIN', pageOrigin));

    servers.push(await startServer(PYTHON, [SERVE_DJANGO, settings], 'django'));
    servers.push(
      await startServer(
        process.execPath,
        [path.join(workspace, 'api/server.js')],
        'express',
        20_000,
        { PORT: '0', NODE_PATH: path.join(ROOT, 'node_modules') },
      ),
    );
    [django, express] = servers.map((s) => s.port);
    // How the user's workspace says where each server listens.
    writeFileSync(
      path.join(workspace, 'backend/Procfile'),
      `web: python manage.py runserver 127.0.0.1:${django}\n`,
    );
    writeFileSync(
      path.join(workspace, 'api/package.json'),
      JSON.stringify(
        { name: 'api', scripts: { start: `PORT=${express} node server.js` } },
        null,
        2,
      ),
    );

    // The console comes from a browser that records nothing: recording a HAR makes playwright
    // intercept requests, and an intercepted preflight is not what the server answered.
    console = await fetchAll();
    const harPath = path.join(workspace, 'session.har');
    await fetchAll(harPath);
    har = await explainHarText(readFileSync(harPath, 'utf8'), {
      root: workspace,
      reader: new DiskReader(),
    });
  });

  after(async () => {
    await browser?.close();
    for (const s of servers) s.child.kill();
    page?.close();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  /** Runs the three blocked fetches in a fresh browser; returns its console (and records a HAR at `harPath`). */
  async function fetchAll(harPath?: string): Promise<string[]> {
    browser = await launchChromium(harPath ? { recordHar: { path: harPath } } : {});
    const b = browser;
    await b.context.addCookies([{ name: 'sid', value: 'explain', domain: '127.0.0.1', path: '/' }]);
    const run = async (url: string, init: Record<string, unknown>) =>
      assert.notEqual(
        await b.page.evaluate(`(${PAGE_FETCH})(${JSON.stringify({ url, init })})`),
        'ok',
        `${url} was not blocked`,
      );
    await b.page.goto(`${pageOrigin}/`);
    await run(`http://127.0.0.1:${django}/api/items`, { headers: { 'x-api-key': 'k1' } });
    await run(`http://127.0.0.1:${express}/api/items`, { credentials: 'include' });
    await b.page.goto(`${otherOrigin}/`);
    await run(`http://127.0.0.1:${django}/api/items`, {});
    // Console messages arrive over the DevTools protocol after the promises settle.
    const deadline = Date.now() + 5000;
    while (b.console.filter((m) => /CORS policy/.test(m)).length < 3 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const messages = [...b.console];
    await b.close();
    browser = undefined;
    return messages;
  }

  const explainOne = async (pattern: RegExp): Promise<Explanation> => {
    const message = console.find((m) => pattern.test(m));
    assert.ok(message, `Chromium printed no message matching ${pattern}:\n${console.join('\n')}`);
    const [explanation, ...rest] = await explainText(message, {
      root: workspace,
      reader: new DiskReader(),
    });
    assert.equal(rest.length, 0);
    assert.ok(explanation, `no explanation for ${message}`);
    return explanation;
  };

  it('a header CORS_ALLOW_HEADERS does not list: settings.py, its line, custom-header-not-allowed', async () => {
    const e = await explainOne(/Request header field x-api-key/);
    const settings = path.join(workspace, 'backend/settings.py');
    assert.equal(e.outcome, 'reproduced', e.cause);
    assert.equal(e.candidates[0].file, settings);
    assert.match(e.candidates[0].reasons.join(' '), /Procfile starts it on \d+/);
    assert.deepEqual(
      e.lines.map((l) => [l.span.file, l.line]),
      [[settings, lineOf(settings, 'CORS_ALLOW_HEADERS =')]],
    );
    assert.match(e.cause, /x-api-key is not in CORS_ALLOW_HEADERS \(backend\/settings\.py:\d+\)/);
    assert.equal(e.fix?.check, 'custom-header-not-allowed');
    assert.equal(e.fix?.title, "Allow 'x-api-key' in CORS_ALLOW_HEADERS");
  });

  it('an origin CORS_ALLOWED_ORIGINS does not list: settings.py, its line, the allowlist edit', async () => {
    const e = await explainOne(/No 'Access-Control-Allow-Origin' header/);
    const settings = path.join(workspace, 'backend/settings.py');
    assert.equal(e.outcome, 'reproduced', e.cause);
    assert.equal(e.request.origin, otherOrigin);
    assert.deepEqual(
      e.lines.map((l) => [l.span.file, l.line]),
      [[settings, lineOf(settings, 'CORS_ALLOWED_ORIGINS =')]],
    );
    // No check reports an allowlist for leaving an origin out: the fix is the framework's own edit.
    assert.equal(e.fix?.check, undefined);
    assert.equal(e.fix?.title, `Add '${otherOrigin}' to CORS_ALLOWED_ORIGINS`);
  });

  it("origin '*' with credentials: server.js, its line, allow-all-origins", async () => {
    const e = await explainOne(/must not be the wildcard/);
    const server = path.join(workspace, 'api/server.js');
    assert.equal(e.outcome, 'reproduced', e.cause);
    assert.equal(e.request.credentials, 'include');
    assert.equal(e.candidates[0].file, server);
    assert.match(e.candidates[0].reasons.join(' '), /package\.json starts it on \d+/);
    assert.deepEqual(
      e.lines.map((l) => [l.span.file, l.line]),
      [[server, lineOf(server, 'origin: "*"')]],
    );
    assert.equal(e.fix?.check, 'allow-all-origins');
  });

  it('the whole console pasted at once: each failure once, in order', async () => {
    const all = await explainText(console.join('\n'), {
      root: workspace,
      reader: new DiskReader(),
    });
    assert.deepEqual(
      all.map((e) => e.message.rule),
      [
        'HeaderDisallowedByPreflightResponse',
        'WildcardOriginNotAllowed',
        'MissingAllowOriginHeader',
      ],
    );
  });

  it('the HAR Chromium recorded: the same three causes, grouped', () => {
    assert.ok(har);
    const causes = har.groups.map((g) => [
      g.explanation.message.rule,
      path.relative(workspace, g.explanation.lines[0]?.span.file ?? ''),
      g.explanation.fix?.check ?? null,
      g.requests.length,
    ]);
    assert.deepEqual(
      causes.sort(),
      [
        [
          'HeaderDisallowedByPreflightResponse',
          'backend/settings.py',
          'custom-header-not-allowed',
          1,
        ],
        ['MissingAllowOriginHeader', 'backend/settings.py', null, 1],
        ['WildcardOriginNotAllowed', 'api/server.js', 'allow-all-origins', 1],
      ].sort(),
    );
  });
});
