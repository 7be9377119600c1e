import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { cliBundle } from '../cli/cli-helpers';
import { closedPort, startEdgeServer, type TestServer } from './edge-servers';

/** Runs the bundled CLI without blocking the event loop (the test server answers in-process). */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cliBundle, ...args], {
      encoding: 'utf8',
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const APP = 'https://app.example.com';

describe('cors-lens probe', () => {
  let edge: TestServer;
  before(async () => {
    edge = await startEdgeServer();
  });
  after(() => edge.close());

  test('json: preflight, actual and verdict as preview has them, plus timing', async () => {
    const run = await cli([
      'probe',
      `${edge.url}/strict`,
      '--origin',
      APP,
      '--method',
      'PUT',
      '--header',
      'x-session-token: t',
      '--credentials',
      '--format',
      'json',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.deepEqual(Object.keys(report), [
      'request',
      'preflight',
      'actual',
      'verdict',
      'notes',
      'timing',
    ]);
    assert.equal(report.preflight.needed, true);
    assert.equal(report.preflight.status, 200);
    assert.ok(report.preflight.headers.every((h: unknown) => Array.isArray(h) && h.length === 2));
    assert.deepEqual(report.preflight.sent.headers.slice(0, 3), [
      ['Origin', APP],
      ['Access-Control-Request-Method', 'PUT'],
      ['Access-Control-Request-Headers', 'x-session-token'],
    ]);
    assert.equal(report.actual.status, 200);
    assert.equal(report.verdict.allowed, true);
    assert.equal(typeof report.timing.totalMs, 'number');
    assert.equal(typeof report.actual.timing.headersMs, 'number');
  });

  test('json: no preflight is {"needed": false}; a blocked request exits 1', async () => {
    const run = await cli([
      'probe',
      `${edge.url}/strict`,
      '--origin',
      'https://evil.example',
      '--format',
      'json',
    ]);
    assert.equal(run.code, 1);
    const report = JSON.parse(run.stdout);
    assert.deepEqual(report.preflight, { needed: false });
    assert.equal(report.verdict.allowed, false);
  });

  test('--sweep adds graded attacker origins; a high-risk one exits 1', async () => {
    const run = await cli([
      'probe',
      `${edge.url}/reflect`,
      '--origin',
      APP,
      '--sweep',
      '--format',
      'json',
    ]);
    assert.equal(run.code, 1);
    const report = JSON.parse(run.stdout);
    const row = report.sweep.find((r: { kind: string }) => r.kind === 'arbitrary');
    assert.equal(row.risk, 'high');
    assert.equal(row.allowCredentials, 'true');
    const text = await cli(['probe', `${edge.url}/reflect`, '--origin', APP, '--sweep']);
    assert.match(text.stdout, /^Sweep \(\d+ origins\):$/m);
    assert.match(
      text.stdout,
      /^ {2}high {4}https:\/\/cors-lens-attacker\.test +https:\/\/cors-lens-attacker\.test +true +arbitrary$/m,
    );
  });

  test('text: raw header lines in order, the verdict and timing', async () => {
    const run = await cli(['probe', `${edge.url}/duplicate`, '--origin', APP]);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^Actual: GET \/duplicate -> 200 OK \([\d.]+ ms\)$/m);
    assert.match(
      run.stdout,
      /^ {4}Access-Control-Allow-Origin: https:\/\/app\.example\.com\n {4}Access-Control-Allow-Origin: https:\/\/app\.example\.com$/m,
    );
    assert.match(run.stdout, /^Verdict: BLOCKED at the actual$/m);
    assert.match(run.stdout, /^Total: [\d.]+ ms$/m);
  });

  test('unreachable exits 3 with a clear message', async () => {
    const run = await cli([
      'probe',
      `http://127.0.0.1:${await closedPort()}/`,
      '--origin',
      APP,
      '--format',
      'json',
    ]);
    assert.equal(run.code, 3);
    assert.match(run.stderr, /Connection refused by 127\.0\.0\.1:\d+/);
    assert.equal(JSON.parse(run.stdout).error.kind, 'refused');
  });

  test('bad usage exits 2', async () => {
    for (const args of [
      ['probe', 'not-a-url', '--origin', APP],
      ['probe', `${edge.url}/`],
      ['probe', 'ftp://127.0.0.1/', '--origin', APP],
      ['probe', `${edge.url}/`, '--origin', APP, '--method', 'GE T'],
      ['probe', `${edge.url}/`, '--origin', APP, '--header', ': x'],
      ['probe', `${edge.url}/`, `${edge.url}/x`, '--origin', APP],
    ]) {
      const run = await cli(args);
      assert.equal(run.code, 2, args.join(' '));
      assert.match(run.stderr, /^cors-lens: /);
    }
  });
});
