/**
 * Which JS/TS files' requests a browser sends: server code by its place (a Next.js route handler,
 * a SvelteKit `+server.ts`, a Netlify function) or by what it imports or exports runs in Node,
 * where no CORS applies, and its `fetch` calls are never checked against a server's policy.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runsInBrowser } from '../../../server/src/workspace/frontend-calls';

const call = "export const load = () => fetch('http://localhost:4000/api/items');\n";

describe('server code by its place', () => {
  for (const file of [
    '/p/web/app/api/items/route.ts',
    '/p/src/app/(shop)/cart/[id]/route.js',
    '/p/pages/api/items.ts',
    '/p/src/routes/items/+server.ts',
    '/p/src/routes/items/+page.server.ts',
    '/p/app/models/items.server.ts',
    '/p/server/api/items.get.ts',
    '/p/netlify/functions/items.mjs',
  ])
    test(file, () => assert.equal(runsInBrowser(file, call), false));
});

describe('server code by what it says', () => {
  for (const [what, text] of [
    ['a use server directive', `'use server';\n${call}`],
    ['server-only', `import 'server-only';\n${call}`],
    ['next/server', `import { NextResponse } from 'next/server';\n${call}`],
    ['express', `const express = require('express');\n${call}`],
    ['@nestjs/common', `import { Injectable } from '@nestjs/common';\n${call}`],
    ['a Lambda handler', `exports.handler = async () => fetch('http://localhost:4000');\n`],
    ['a Cloudflare Pages function', `export const onRequestGet = () => fetch('http://x.test');\n`],
  ])
    test(what, () => assert.equal(runsInBrowser('/p/src/lib/items.ts', text), false));
});

describe('browser code', () => {
  for (const [file, text] of [
    ['/p/src/app/items/page.tsx', `'use client';\n${call}`],
    ['/p/src/api/routes.ts', call],
    ['/p/src/lib/client.ts', `import { hc } from 'hono/client';\n${call}`],
    ['/p/src/store/middleware.js', call],
  ])
    test(file, () => assert.equal(runsInBrowser(file, text), true));
});
