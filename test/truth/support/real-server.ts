/**
 * Helpers for truth suites that compare a library model with the real library: start a server
 * process that prints `PORT <n>`, send raw HTTP requests to it, and compare responses line by line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { HeaderList, HttpRequest, HttpResponse } from '../../../server/src/fetch';
import { hangGuardMs } from '../../support/hang-guard';

/** A started server process and the port it listens on. */
export interface RealServer {
  child: ChildProcess;
  port: number;
}

/**
 * Runs `command args...` (with `env` added) and resolves once it prints `PORT <n>` (rejects on
 * exit, or after `guardMs` scaled by the machine's load: a hang guard, not a wait).
 */
export function startServer(
  command: string,
  args: string[],
  what: string,
  guardMs = 60_000,
  env: Record<string, string> = {},
): Promise<RealServer> {
  const timeoutMs = hangGuardMs(guardMs);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`${what} did not start within ${timeoutMs / 1000} s\n${err}`));
    }, timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code})\n${err}`));
    });
  });
}

/** Sends one request to 127.0.0.1 and returns the status and the raw header lines in order. */
export function sendRaw(port: number, req: HttpRequest): Promise<HttpResponse> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of req.headers) {
    const prev = headers[name];
    headers[name] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
  }
  return new Promise((resolve, reject) => {
    const r = http.request(
      { host: '127.0.0.1', port, method: req.method, path: req.path, headers, agent: false },
      (res) => {
        const lines: HeaderList = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2)
          lines.push([res.rawHeaders[i], res.rawHeaders[i + 1]]);
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: lines }));
      },
    );
    r.on('error', reject);
    r.end();
  });
}

/** The lines compared: CORS and Vary always, any other name only where the model predicts it. */
function comparableLines(headers: HeaderList, extra: Set<string>): string[] {
  return headers
    .filter(([n]) => {
      const name = n.toLowerCase();
      return name.startsWith('access-control-') || name === 'vary' || extra.has(name);
    })
    .map(([n, v]) => `${n.toLowerCase()}: ${v}`);
}

/** One request as a line for a failure message. */
export const describeRequest = (req: HttpRequest): string =>
  `${req.method} ${req.path} ${req.headers.map(([n, v]) => `${n}: ${v}`).join(' | ')}`;

/**
 * Empty when the real response is the predicted one (status, then every access-control-* and
 * vary line, names case-insensitively, values exactly, in order, plus any other line the model
 * predicts); else a readable difference.
 */
export function responseDifference(
  label: string,
  req: HttpRequest,
  predicted: HttpResponse,
  real: HttpResponse,
): string {
  const extra = new Set(
    predicted.headers
      .map(([n]) => n.toLowerCase())
      .filter((n) => !n.startsWith('access-control-') && n !== 'vary'),
  );
  const want = comparableLines(predicted.headers, extra);
  const got = comparableLines(real.headers, extra);
  if (predicted.status === real.status && JSON.stringify(want) === JSON.stringify(got)) return '';
  return [
    `${label}: ${describeRequest(req)}`,
    `  model: ${predicted.status} ${JSON.stringify(want)}`,
    `  real:  ${real.status} ${JSON.stringify(got)}`,
  ].join('\n');
}

/** Exchanges sent to one case and how many the model got right. */
export interface Outcome {
  exchanges: number;
  agreed: number;
  failures: string[];
}

/** A fresh outcome and the comparison that records each exchange in it. */
export function exchanges(
  port: number,
  canonical: (response: HttpResponse) => HttpResponse = (r) => r,
): {
  outcome: Outcome;
  compare: (label: string, req: HttpRequest, predicted: HttpResponse) => Promise<void>;
} {
  const outcome: Outcome = { exchanges: 0, agreed: 0, failures: [] };
  const compare = async (label: string, req: HttpRequest, predicted: HttpResponse) => {
    const real = await sendRaw(port, req);
    const diff = responseDifference(label, req, canonical(predicted), canonical(real));
    outcome.exchanges++;
    if (diff) outcome.failures.push(diff);
    else outcome.agreed++;
  };
  return { outcome, compare };
}

/** Fails with the first disagreements when the model got any exchange wrong. */
export function assertAgreement(outcome: Outcome): void {
  assert.equal(
    outcome.failures.length,
    0,
    `${outcome.failures.length} of ${outcome.exchanges} exchanges disagree:\n${outcome.failures.slice(0, 8).join('\n')}`,
  );
}

/** The test that fails, saying how to install them, when the real library's packages are missing. */
export function installTest(title: string, missing: string | undefined, install: string): void {
  test(title, () => assert.equal(missing, undefined, `${missing}\nInstall them with: ${install}`));
}

/** The agreement table printed after a truth suite. */
export function agreementTable(outcomes: Map<string, Outcome>, seconds: number): string {
  const rows = [...outcomes].map(
    ([name, o]) =>
      `${name.padEnd(28)} ${String(o.exchanges).padStart(5)} ${String(o.agreed).padStart(7)}`,
  );
  const total = [...outcomes.values()].reduce(
    (a, o) => ({ e: a.e + o.exchanges, g: a.g + o.agreed }),
    { e: 0, g: 0 },
  );
  return [
    `${'case'.padEnd(28)} ${'sent'.padStart(5)} ${'agreed'.padStart(7)}`,
    ...rows,
    `${'total'.padEnd(28)} ${String(total.e).padStart(5)} ${String(total.g).padStart(7)}  (${outcomes.size} cases, ${seconds.toFixed(1)} s)`,
  ].join('\n');
}

/**
 * One real server per case for the enclosing `describe`: all started together before its tests
 * and stopped after them, then the agreement table of the outcomes the tests recorded is printed.
 * A server that does not start fails the suite, unless `bootErrors` is given to record why (a
 * model may predict that the library refuses the configuration). Nothing starts when `missing`
 * says what is not installed.
 */
export function serveCases(
  names: string[],
  start: (name: string) => Promise<RealServer>,
  options: { missing?: string; bootErrors?: Map<string, string>; heading?: string } = {},
): { servers: Map<string, RealServer>; outcomes: Map<string, Outcome> } {
  const servers = new Map<string, RealServer>();
  const outcomes = new Map<string, Outcome>();
  const started = Date.now();
  before(async () => {
    if (options.missing) return;
    const results = await Promise.allSettled(names.map(start));
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') servers.set(names[i], r.value);
      else options.bootErrors?.set(names[i], String(r.reason));
    });
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed && !options.bootErrors) throw failed.reason;
  });
  after(() => {
    for (const { child } of servers.values()) child.kill();
    if (outcomes.size)
      console.log(
        `${options.heading ? `\n${options.heading}\n` : ''}${agreementTable(outcomes, (Date.now() - started) / 1000)}`,
      );
  });
  return { servers, outcomes };
}

/** A truth suite of one real server per fixture case and one test per case. */
export interface CaseSuite {
  title: string;
  cases: string[];
  /** Why the real library cannot run here, or undefined. */
  missing: string | undefined;
  /** The install test's title and what to run to install the packages. */
  installed: string;
  install: string;
  /** The least number of cases the suite must have. */
  atLeast?: number;
  start: (name: string) => Promise<RealServer>;
  run: (name: string, port: number) => Promise<Outcome>;
}

/** Declares a case suite: the install test, the count test, and one agreement test per case. */
export function caseSuite(suite: CaseSuite): void {
  describe(suite.title, () => {
    const { servers, outcomes } = serveCases(suite.cases, suite.start, {
      missing: suite.missing,
    });
    installTest(suite.installed, suite.missing, suite.install);
    const least = suite.atLeast;
    if (least !== undefined)
      test(`there are at least ${least} configurations`, () =>
        assert.ok(suite.cases.length >= least, `expected at least ${least} truth fixtures`));
    const skip = suite.missing
      ? 'the real library is missing (see the failing install test)'
      : false;
    for (const name of suite.cases)
      test(name, { skip }, async () => {
        const server = servers.get(name);
        assert.ok(server, `no server for ${name}`);
        const outcome = await suite.run(name, server.port);
        outcomes.set(name, outcome);
        assertAgreement(outcome);
      });
  });
}
