/**
 * Truth for express-cors-shadows-router: real express + cors 2.8 serve the fixture app
 * (test/fixtures/truth-router-shadow: an app-wide cors() for one origin, then a router whose own
 * cors() allows every origin) on 127.0.0.1. The check's claim, read from the CLI's JSON, must be
 * what the real app does: the preflight from an origin only the router allows is answered by the
 * app-wide cors() without that origin, and the router's own cors() answers the same origin's
 * actual request (so the router would allow it, were the preflight its own).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { type RealServer, sendRaw, startServer } from './support/real-server';

const ROOT = path.resolve(__dirname, '../..');
const APP = path.join(ROOT, 'test/fixtures/truth-router-shadow');
const ORIGIN = 'https://client.example.net';

let server: RealServer | undefined;
before(async () => {
  server = await startServer(process.execPath, [path.join(APP, 'app.js')], 'router-shadow app');
});
after(() => server?.child.kill());

const acao = (headers: [string, string][]) =>
  headers.find(([n]) => n.toLowerCase() === 'access-control-allow-origin')?.[1];

test('the claim of express-cors-shadows-router is what real Express + cors do', async () => {
  const out = JSON.parse(
    execFileSync(
      process.execPath,
      [path.join(ROOT, 'dist/cli.js'), 'check', '.', '--format', 'json'],
      {
        cwd: APP,
        encoding: 'utf8',
      },
    ),
  ) as {
    findings: {
      check: string;
      message: string;
      file: string;
      range: { start: { line: number } };
    }[];
  };
  const found = out.findings.filter((f) => f.check === 'express-cors-shadows-router');
  assert.equal(found.length, 1, JSON.stringify(out.findings, null, 1));
  assert.equal(found[0].file, 'app.js');
  assert.equal(found[0].range.start.line, 6);
  assert.match(
    found[0].message,
    /router mounted at \/hooks .*\(routes\/hooks\.js:5\).* from https:\/\/client\.example\.net/,
  );

  const preflight = await sendRaw(server!.port, {
    method: 'OPTIONS',
    path: '/hooks/flow/1',
    headers: [
      ['Origin', ORIGIN],
      ['Access-Control-Request-Method', 'PUT'],
    ],
  });
  assert.equal(preflight.status, 204);
  assert.equal(acao(preflight.headers), 'https://dashboard.example.com');

  const actual = await sendRaw(server!.port, {
    method: 'PUT',
    path: '/hooks/flow/1',
    headers: [['Origin', ORIGIN]],
  });
  assert.equal(acao(actual.headers), '*');
});
