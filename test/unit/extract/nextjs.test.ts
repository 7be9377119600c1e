/** The Next.js extractor: route handlers, middleware, next.config, paths, and bad input. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DiskReader } from '../../../server/src/base/disk-reader';
import { grammarFor } from '../../../server/src/parsing/languages';
import { extractPolicies } from '../../../server/src/frameworks';
import { routePathOf, sourceRegex } from '../../../server/src/frameworks/nextjs/paths';
import { routeRegex } from '../../../server/src/lang/javascript/next-routes';
import type { SourceReader } from '../../../server/src/base/source-reader';
import { parseText } from '../../../server/src/parsing/parser';
import { type Policy, factsOf } from '../../../server/src/policy/types';
import { analyzeText } from '../../support/check-fixture';

const APP = path.resolve(__dirname, '../../fixtures/truth/nextjs');

async function policiesOf(
  file: string,
  text: string,
  reader: SourceReader = new DiskReader(),
): Promise<Policy[]> {
  const tree = await parseText(grammarFor(file)!, text);
  try {
    return await extractPolicies(grammarFor(file)!, file, text, tree, reader);
  } finally {
    tree.delete();
  }
}

const noFiles: SourceReader = { read: () => undefined };

describe('Next.js paths', () => {
  it('maps route files to URL paths and regexes', () => {
    assert.deepEqual(routePathOf('/w/web/src/app/(shop)/api/items/[id]/route.ts'), {
      root: '/w/web',
      path: '/api/items/[id]',
    });
    assert.equal(routePathOf('/w/web/app/_lib/route.ts'), undefined);
    assert.equal(routePathOf('/w/web/app/api/items/handler.ts'), undefined);
    assert.equal(routeRegex('/api/items/[id]'), '^/api/items/[^/]+$');
    assert.equal(routeRegex('/docs/[[...slug]]'), '^/docs(?:/.+)?$');
  });

  it('compiles next.config sources and matchers like path-to-regexp', () => {
    const any = new RegExp(sourceRegex('/api/:path*')!);
    assert.ok(any.test('/api') && any.test('/api/a/b') && !any.test('/apix'));
    const one = new RegExp(sourceRegex('/api/:id')!);
    assert.ok(one.test('/api/7') && !one.test('/api/7/8'));
    assert.equal(sourceRegex('api/:x'), undefined);
  });
});

describe('Next.js extractor', () => {
  it('reads an allowlist guard as exact origins, and credentials', async () => {
    const file = path.join(APP, 'app/api/guard/route.js');
    const [policy] = await policiesOf(file, new DiskReader().read(file)!);
    assert.deepEqual(
      policy.origins.exact.map((o) => o.value),
      ['http://localhost:3000', 'https://app.example.com'],
    );
    assert.equal(policy.origins.reflectAny, undefined);
    assert.equal(policy.credentials, true);
    assert.equal(policy.handSet, true);
  });

  it('reads an unguarded echo of the Origin as reflectAny', async () => {
    const file = path.join(APP, 'app/api/reflect/route.js');
    const [policy] = await policiesOf(file, new DiskReader().read(file)!);
    assert.ok(policy.origins.reflectAny);
    assert.equal(policy.origins.allowAll, false);
  });

  it('applies the middleware and next.config that cover the route', async () => {
    const mw = path.join(APP, 'app/mw/echo/route.js');
    const [a] = await policiesOf(mw, new DiskReader().read(mw)!);
    assert.ok(factsOf(a, 'nextjs')?.middleware && factsOf(a, 'nextjs')?.config.length === 0);
    const cfg = path.join(APP, 'app/cfg/items/route.js');
    const [b] = await policiesOf(cfg, new DiskReader().read(cfg)!);
    assert.equal(factsOf(b, 'nextjs')?.middleware, undefined);
    assert.deepEqual(
      b.origins.exact.map((o) => o.value),
      ['https://app.example.com'],
    );
  });

  it('marks an environment-driven origin dynamic and finds nothing', async () => {
    const file = '/w/app/api/x/route.ts';
    const text = `export function GET() {\n  return Response.json([], { headers: { 'Access-Control-Allow-Origin': process.env.ORIGIN!, 'Access-Control-Allow-Credentials': 'true' } });\n}\n`;
    const [policy] = await policiesOf(file, text, noFiles);
    assert.equal(policy.origins.dynamic, true);
    assert.deepEqual((await analyzeText(file, text, noFiles)).findings, []);
  });

  it('survives code broken mid-typing without a confident finding', async () => {
    const file = '/w/app/api/x/route.ts';
    const full = `const h = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Credentials': 'true' };\nexport async function PUT() {\n  return Response.json({}, { headers: h });\n}\n`;
    for (let cut = 0; cut <= full.length; cut += 7) {
      const text = full.slice(0, cut);
      const { findings } = await analyzeText(file, text, noFiles);
      // Only a complete, readable export may be judged.
      if (cut < full.length - 2)
        assert.ok(
          findings.every(
            (f) => f.check !== 'next-route-missing-options' || text.includes('headers: h })'),
          ),
          `cut at ${cut}`,
        );
    }
  });

  it('stays fast on a huge route file', async () => {
    const file = '/w/app/api/big/route.ts';
    const text = `const H = { 'Access-Control-Allow-Origin': 'https://a.example' };\n${'// filler line for size\n'.repeat(40000)}export function GET() { return Response.json([], { headers: H }); }\n`;
    const policies = await policiesOf(file, text, noFiles);
    assert.equal(policies.length, 1);
  });
});

describe('Next.js extractor: early returns', () => {
  it('keeps a route judgeable when an early return sets no CORS headers', async () => {
    const file = '/w/app/api/orders/route.ts';
    const text = `const CORS = { 'Access-Control-Allow-Origin': '*' };\nexport async function POST(request: Request) {\n  const body = await request.json();\n  if (!body.id) return new Response('missing id', { status: 400 });\n  return Response.json(body, { headers: CORS });\n}\n`;
    const [policy] = await policiesOf(file, text, noFiles);
    assert.equal(policy.origins.dynamic, false);
    assert.equal(policy.origins.allowAll, true);
  });

  it('marks a route dynamic when an unknown condition decides its CORS headers', async () => {
    const file = '/w/app/api/orders/route.ts';
    const text = `export async function GET(request: Request) {\n  const headers = new Headers();\n  if (isTrusted(request)) headers.set('Access-Control-Allow-Origin', '*');\n  return Response.json([], { headers });\n}\n`;
    const [policy] = await policiesOf(file, text, noFiles);
    assert.equal(policy.origins.dynamic, true);
    assert.deepEqual(
      (await analyzeText(file, text, noFiles)).findings.filter(
        (f) => f.check === 'allow-all-origins',
      ),
      [],
    );
  });
});

describe('Next.js middleware Next never loads', () => {
  const cors =
    "import { NextResponse } from 'next/server';\nexport function middleware() {\n  const res = NextResponse.next();\n  res.headers.set('Access-Control-Allow-Origin', '*');\n  return res;\n}\n";
  // Paths under a folder with no project marker: the `app` folder in the path says the layout.
  const file = '/no-such-project/web/src/app/middleware/cors.ts';

  it('a middleware() inside the app folder is read as inactive, and its headers are not sent', async () => {
    const [policy] = await policiesOf(file, cors, noFiles);
    assert.equal(policy.inactive?.label, 'a middleware Next.js never loads');
    assert.equal(factsOf(policy, 'nextjs')?.unloaded?.rootDir, '/no-such-project/web/src');
    const { findings } = await analyzeText(file, cors, noFiles);
    assert.deepEqual(
      findings.map((f) => f.check),
      ['next-middleware-never-runs'],
    );
  });

  it('one the loaded middleware imports (relative or through @/) is not reported', async () => {
    for (const loaded of [
      "export { middleware } from './app/middleware/cors';\n",
      "import { middleware as cors } from '@/app/middleware/cors';\nexport function middleware(req) {\n  return cors(req);\n}\n",
    ]) {
      const dir = mkdtempSync(path.join(tmpdir(), 'cors-lens-next-mw-'));
      try {
        writeFileSync(path.join(dir, 'package.json'), '{ "private": true }\n');
        mkdirSync(path.join(dir, 'src/app/middleware'), { recursive: true });
        const inApp = path.join(dir, 'src/app/middleware/cors.ts');
        writeFileSync(inApp, cors);
        const imported = await analyzeText(inApp, cors);
        assert.equal(
          imported.findings.filter((f) => f.check === 'next-middleware-never-runs').length,
          1,
        );
        writeFileSync(path.join(dir, 'src/middleware.ts'), loaded);
        const { findings } = await analyzeText(inApp, cors);
        assert.deepEqual(
          findings.filter((f) => f.check === 'next-middleware-never-runs'),
          [],
          loaded,
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it('a module without a middleware() export, or outside any Next layout, is left alone', async () => {
    const helper = cors.replace('export function middleware', 'export function withCors');
    const { findings } = await analyzeText(file, helper, noFiles);
    assert.equal(findings.filter((f) => f.check === 'next-middleware-never-runs').length, 0);
    const loose = await analyzeText('/no-such-project/lib/cors.ts', cors, noFiles);
    assert.equal(loose.findings.filter((f) => f.check === 'next-middleware-never-runs').length, 0);
  });
});
