/**
 * `explain` over a fixture workspace (a Django API started on 8001 by its Procfile, an Express API
 * listening on 4000): Firefox's and Safari's wording lead to the right file, line and check; the
 * server is located by port and path, and the ranking says why; a failure the code does not
 * predict is said to differ and gets a probe command; a devtools HAR is explained per cause; the
 * CLI prints and exits accordingly.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { DiskReader } from '../../../server/src/base/disk-reader';
import {
  explainHarText,
  explainMessage,
  explainText,
  locate,
  parseMessages,
  scanServers,
  type ExplainContext,
  type WorkspaceServer,
} from '../../../server/src/explain';
import { cli } from '../cli/cli-helpers';

const FIXTURES = path.resolve(__dirname, '../../fixtures/explain');
const ROOT = path.join(FIXTURES, 'workspace');
const SETTINGS = path.join(ROOT, 'backend/settings.py');
const SERVER_JS = path.join(ROOT, 'api/server.js');

/** The 1-based line of `file` that starts with `text`. */
const lineOf = (file: string, text: string): number =>
  readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((l) => l.trimStart().startsWith(text)) + 1;

const options = () => ({ root: ROOT, reader: new DiskReader() });

describe('explain: a fixture workspace', () => {
  let servers: WorkspaceServer[] = [];
  before(async () => {
    servers = await scanServers(ROOT, new DiskReader());
  });

  it('finds both servers and their ports: the Procfile for Django, app.listen for Express', () => {
    const ports = Object.fromEntries(
      servers.map((s) => [
        path.relative(ROOT, s.file),
        s.ports.filter((p) => p.strength === 'explicit').map((p) => p.port),
      ]),
    );
    assert.deepEqual(ports, { 'api/server.js': [4000], 'backend/settings.py': [8001] });
  });

  it("a compose file's published port reaches the service built from the app's folder", async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'cors-lens-compose-'));
    try {
      mkdirSync(path.join(root, 'backend'));
      copyFileSync(SETTINGS, path.join(root, 'backend/settings.py'));
      writeFileSync(
        path.join(root, 'docker-compose.yml'),
        [
          'services:',
          '  db:',
          '    image: postgres',
          '    ports:',
          '      - "5432:5432"',
          '  api:',
          '    build:',
          '      context: ./backend',
          '    ports:',
          '      - "127.0.0.1:8080:8000"  # the dev API',
          '',
        ].join('\n'),
      );
      const [django] = await scanServers(root, new DiskReader());
      assert.deepEqual(
        django.ports.filter((p) => p.strength === 'explicit').map((p) => [p.port, p.why]),
        [[8080, 'docker-compose.yml starts it on 8080 (`service api publishes 8080`)']],
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('ranks by port, then path, and says why', () => {
    const [django, express] = locate('http://localhost:8001/api/items', servers);
    assert.equal(django.server.file, SETTINGS);
    assert.deepEqual(django.candidate.reasons, [
      'backend/Procfile starts it on 8001 (`python manage.py runserver 0.0.0.0:8001`)',
      "its path filter '^/api/.*$' covers /api/items",
    ]);
    assert.ok(django.candidate.score > express.candidate.score);
    assert.equal(locate('http://127.0.0.1:4000/v1/items', servers)[0].server.file, SERVER_JS);
    // A deployed host: no port to go by; the path filter decides.
    const remote = locate('https://api.example.com/api/items', servers)[0];
    assert.equal(remote.server.file, SETTINGS);
    assert.match(remote.candidate.reasons[0], /not a local address/);
  });

  it("Firefox's missing token: settings.py's CORS_ALLOW_HEADERS line and custom-header-not-allowed's fix", async () => {
    const [header, network] = await explainText(
      readFileSync(path.join(FIXTURES, 'firefox.txt'), 'utf8'),
      options(),
    );
    assert.equal(header.outcome, 'reproduced');
    assert.deepEqual(
      header.lines.map((l) => [l.span.file, l.line]),
      [[SETTINGS, lineOf(SETTINGS, 'CORS_ALLOW_HEADERS')]],
    );
    assert.equal(
      header.cause,
      `The preflight does not allow the request header x-session-token: x-session-token is not in CORS_ALLOW_HEADERS (backend/settings.py:${lineOf(SETTINGS, 'CORS_ALLOW_HEADERS')}).`,
    );
    assert.equal(header.fix?.check, 'custom-header-not-allowed');
    assert.equal(header.fix?.title, "Allow 'x-session-token' in CORS_ALLOW_HEADERS");
    assert.match(header.fix?.finding ?? '', /^The browser's request \(fetch GET /);
    // Firefox prints no origin: one the policy allows stands in, and the answer says so.
    assert.equal(header.request.origin, 'http://localhost:5173');
    assert.match(header.assumptions[0], /Firefox does not print the page's origin/);
    // "CORS request did not succeed" is a network failure: no line to blame, ask the server.
    assert.equal(network.outcome, 'not-modelled');
    assert.equal(
      network.probe,
      'cors-lens probe http://localhost:8001/api/items --origin http://localhost:5173',
    );
  });

  it("Safari's split lines: the header on Django, the origin on Express, each at its line", async () => {
    const [header, origin] = await explainText(
      readFileSync(path.join(FIXTURES, 'safari.txt'), 'utf8'),
      options(),
    );
    assert.equal(header.candidates[0].file, SETTINGS);
    assert.equal(header.fix?.check, 'custom-header-not-allowed');
    assert.equal(origin.outcome, 'reproduced');
    assert.equal(origin.request.origin, 'http://localhost:3000');
    assert.deepEqual(
      origin.lines.map((l) => [l.span.file, l.line]),
      [[SERVER_JS, lineOf(SERVER_JS, 'origin:')]],
    );
    assert.equal(origin.fix?.title, "Add 'http://localhost:3000' to origin");
  });

  it('a failure the code does not predict: "different", what it predicts instead, and the probe pre-filled', () => {
    const [message] = parseMessages(
      "Access to fetch at 'http://localhost:8001/api/items' from origin 'http://localhost:5173' has been blocked by CORS policy: Request header field authorization is not allowed by Access-Control-Allow-Headers in preflight response.\nPUT http://localhost:8001/api/items net::ERR_FAILED",
    );
    const context: ExplainContext = { servers, reader: new DiskReader(), root: ROOT };
    const e = explainMessage(message, context);
    assert.equal(e.outcome, 'different');
    assert.match(e.cause, /predicts that the request passes/);
    assert.equal(
      e.probe,
      "cors-lens probe http://localhost:8001/api/items --origin http://localhost:5173 --method PUT --header 'authorization: Bearer example-token'",
    );
  });

  it("a path outside CORS_URLS_REGEX: the pattern's line, no origin edit (the origin is listed)", () => {
    const [message] = parseMessages(
      "Access to fetch at 'http://127.0.0.1:8001/health' from origin 'http://localhost:5173' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
    );
    const e = explainMessage(message, { servers, reader: new DiskReader(), root: ROOT });
    assert.equal(e.outcome, 'reproduced');
    assert.deepEqual(
      e.lines.map((l) => [l.span.file, l.line]),
      [[SETTINGS, lineOf(SETTINGS, 'CORS_URLS_REGEX')]],
    );
    assert.match(e.cause, /\/health is outside the paths the CORS setup covers/);
    assert.equal(e.fix, undefined);
  });

  it('no server in the workspace answers the URL', () => {
    const [message] = parseMessages(
      "Access to fetch at 'http://localhost:9999/x' from origin 'http://localhost:5173' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
    );
    const e = explainMessage(message, { servers: [], reader: new DiskReader(), root: ROOT });
    assert.equal(e.outcome, 'no-server');
  });

  it('a devtools HAR: blocked requests judged on the recorded headers, grouped by cause', async () => {
    const report = await explainHarText(
      readFileSync(path.join(FIXTURES, 'devtools.har'), 'utf8'),
      options(),
    );
    assert.deepEqual([report.entries, report.crossOrigin, report.blocked], [5, 4, 3]);
    assert.deepEqual(
      report.groups.map((g) => [
        g.explanation.message.rule,
        path.relative(ROOT, g.explanation.lines[0].span.file),
        g.explanation.fix?.check ?? null,
        g.requests,
      ]),
      [
        [
          'MissingAllowOriginHeader',
          'api/server.js',
          null,
          ['GET http://localhost:4000/v1/items (from http://localhost:3000)'],
        ],
        [
          'HeaderDisallowedByPreflightResponse',
          'backend/settings.py',
          'custom-header-not-allowed',
          [
            'GET http://localhost:8001/api/items (from http://localhost:5173)',
            'GET http://localhost:8001/api/orders (from http://localhost:5173)',
          ],
        ],
      ],
    );
  });
});

describe('explain: the CLI', () => {
  it('prints the cause, the line and the fix, and exits 0 when every error is reproduced', () => {
    const run = cli(
      ['explain', '--root', ROOT, readFileSync(path.join(FIXTURES, 'safari.txt'), 'utf8')],
      FIXTURES,
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /Line: {4}backend\/settings\.py:\d+ {2}x-session-token is not in CORS_ALLOW_HEADERS/,
    );
    assert.match(
      run.stdout,
      /Fix: {5}Allow 'x-session-token' in CORS_ALLOW_HEADERS \[custom-header-not-allowed\]/,
    );
  });

  it('--format json, and exit 1 when an error is not reproduced', () => {
    const run = cli(
      [
        'explain',
        '--root',
        ROOT,
        '--format',
        'json',
        readFileSync(path.join(FIXTURES, 'firefox.txt'), 'utf8'),
      ],
      FIXTURES,
    );
    assert.equal(run.code, 1, run.stderr);
    const json = JSON.parse(run.stdout) as {
      explanations: { outcome: string; lines: { span: { file: string } }[] }[];
    };
    assert.deepEqual(
      json.explanations.map((e) => e.outcome),
      ['reproduced', 'not-modelled'],
    );
    assert.equal(json.explanations[0].lines[0].span.file, 'backend/settings.py');
  });

  it('--har groups by cause; text without a CORS error exits 1 with a note', () => {
    const har = cli(
      ['explain', '--root', ROOT, '--har', path.join(FIXTURES, 'devtools.har')],
      FIXTURES,
    );
    assert.equal(har.code, 0, har.stderr);
    assert.match(har.stdout, /^HAR: 5 entries, 4 cross-origin, 3 blocked by CORS, 2 causes\./);
    const none = cli(['explain', '--root', ROOT, 'TypeError: Failed to fetch'], FIXTURES);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no CORS error/);
    assert.equal(cli(['explain', '--har', 'x.har', 'message'], FIXTURES).code, 2);
  });
});
