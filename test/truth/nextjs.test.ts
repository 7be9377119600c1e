/**
 * Truth suite for the Next.js model: the fixture app under test/fixtures/truth/nextjs (route
 * handlers, a middleware with a matcher, `next.config` headers) is built with the real Next 16
 * (`next build --webpack`, then `next start` on 127.0.0.1, telemetry off) in a temp copy. Every
 * route file is extracted into a Policy (the real extractor, which also reads the app's
 * middleware and next.config), answered by the model through preview(), and sent to the real
 * server: status and every access-control-*, vary and allow line must agree, in order.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DiskReader } from '../../server/src/base/disk-reader';
import { grammarFor } from '../../server/src/parsing/languages';
import { preview } from '../../server/src/replay/replay';
import { extractPolicies } from '../../server/src/frameworks';
import {
  buildActualRequest,
  buildPreflightRequest,
  type CorsRequest,
  type HeaderList,
  type HttpRequest,
} from '../../server/src/fetch';
import { nextjsModel } from '../../server/src/frameworks/nextjs/model';
import { parseText } from '../../server/src/parsing/parser';
import { nextModules } from '../support/next-install';
import { agreementTable, exchanges, type Outcome } from './support/real-server';
import { freePort } from '../support/free-port';
import { hangGuardMs } from '../support/hang-guard';

const ROOT = path.resolve(__dirname, '../..');
const APP = path.join(ROOT, 'test/fixtures/truth/nextjs');

/** Each route of the fixture app, by its file. */
const ROUTES = [
  'api/simple',
  'api/preflight',
  'api/guard',
  'api/reflect',
  'api/items',
  'api/items/[id]',
  'api/list-guard',
  'api/negated',
  'api/try-reflect',
  'mw/echo',
  'cfg/items',
  'cfg/both',
];

/** The URL path requests go to: a dynamic segment gets a sample value. */
const urlPath = (route: string) => `/${route.replace(/\[[^\]]+\]/g, '42')}`;
const ORIGINS = ['https://app.example.com', 'http://localhost:3000', 'https://attacker.test'];

function nextBin(): string {
  return path.join(nextModules(), 'next/dist/bin/next');
}

/**
 * Runs a Next command in `dir`; resolves with its output when `done(output)` holds or it exits 0.
 * `timeoutMs` is a hang guard (callers scale it by load): a build takes minutes on a busy machine.
 */
function runNext(
  dir: string,
  args: string[],
  done: (out: string) => boolean,
  timeoutMs: number,
): Promise<{ child: ChildProcess; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin(), ...args], {
      cwd: dir,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', CI: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`next ${args[0]} did not finish within ${timeoutMs / 1000} s\n${out}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (done(out)) {
        clearTimeout(timer);
        resolve({ child, out });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve({ child, out });
      else reject(new Error(`next ${args[0]} exited (${code})\n${out}`));
    });
  });
}

/** Browser requests sent to every route, for one origin. */
function browserRequests(base: string, origin: string): CorsRequest[] {
  const r = (
    method: string,
    headers: HeaderList,
    credentials: CorsRequest['credentials'] = 'omit',
  ): CorsRequest => ({ url: base, origin, method, headers, credentials });
  return [
    r('GET', []),
    r('GET', [], 'include'),
    r('POST', [['Content-Type', 'application/json']]),
    r('POST', [['Content-Type', 'text/plain']], 'include'),
    r('PUT', [['X-Session-Token', 'abc']]),
    r('DELETE', [['Authorization', 'Bearer t']], 'include'),
    r('PATCH', []),
  ];
}

/** Raw requests a browser would not send this way. */
function rawRequests(routePath: string, origin: string): HttpRequest[] {
  return [
    { method: 'GET', path: routePath, headers: [] },
    { method: 'HEAD', path: routePath, headers: [['Origin', origin]] },
    { method: 'OPTIONS', path: routePath, headers: [['Origin', origin]] },
  ];
}

describe('Next.js 16 model vs a real next start', () => {
  let dir = '';
  let server: ChildProcess | undefined;
  let port = 0;
  const outcomes = new Map<string, Outcome>();
  const started = Date.now();

  before(
    async () => {
      nextBin();
      dir = mkdtempSync(path.join(tmpdir(), 'cors-lens-next-'));
      cpSync(APP, dir, { recursive: true });
      // NOTE: Turbopack refuses a node_modules outside the project root, webpack follows the link.
      symlinkSync(nextModules(), path.join(dir, 'node_modules'));
      await runNext(dir, ['build', '--webpack'], () => false, hangGuardMs(150_000));
      port = await freePort();
      server = (
        await runNext(
          dir,
          ['start', '-H', '127.0.0.1', '-p', String(port)],
          (out) => /Ready in/.test(out),
          hangGuardMs(30_000),
        )
      ).child;
    },
    { timeout: hangGuardMs(200_000) },
  );

  after(() => {
    server?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (outcomes.size)
      console.log(
        `\nNext.js model vs next start\n${agreementTable(outcomes, (Date.now() - started) / 1000)}`,
      );
  });

  for (const route of ROUTES) {
    test(route, async () => {
      const file = path.join(APP, 'app', route, 'route.js');
      const text = readFileSync(file, 'utf8');
      const tree = await parseText(grammarFor(file)!, text);
      const policies = await extractPolicies(
        grammarFor(file)!,
        file,
        text,
        tree,
        new DiskReader(),
      ).finally(() => tree.delete());
      assert.equal(policies.length, 1, `one Next.js policy for ${route}`);
      const [policy] = policies;
      const { outcome, compare } = exchanges(port);
      outcomes.set(route, outcome);
      const routePath = urlPath(route);
      for (const origin of ORIGINS) {
        for (const req of browserRequests(`http://127.0.0.1:${port}${routePath}`, origin)) {
          const p = preview(policy, nextjsModel, req);
          if (p.preflight.needed)
            await compare('preflight', buildPreflightRequest(req), p.preflight);
          const actual = buildActualRequest(req);
          await compare(
            p.actual ? 'actual' : 'actual (not sent by a browser)',
            actual,
            p.actual ?? nextjsModel.respond(policy, actual),
          );
        }
        for (const req of rawRequests(routePath, origin))
          await compare('raw', req, nextjsModel.respond(policy, req));
      }
      assert.deepEqual(outcome.failures, []);
    });
  }
});
