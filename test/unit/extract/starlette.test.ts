/** The Starlette/FastAPI extractor: call forms, value resolution, and text that must not mislead it. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractStarlette } from '../../../server/src/frameworks/starlette/extract';
import { parseText } from '../../../server/src/parsing/parser';
import { type Policy, factsOf } from '../../../server/src/policy/types';

const HEADER =
  'from fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\napp = FastAPI()\n';

async function extract(text: string, files: Record<string, string> = {}): Promise<Policy[]> {
  const tree = await parseText('python', text);
  try {
    return await extractStarlette('/p/main.py', text, tree, { read: (f) => files[f] });
  } finally {
    tree.delete();
  }
}

const origins = (p: Policy) => p.origins.exact.map((o) => o.value);

describe('starlette extractor', () => {
  it('reads add_middleware keyword arguments with their defaults', async () => {
    const [p] = await extract(
      `${HEADER}app.add_middleware(CORSMiddleware, allow_origins=["https://a.test"], allow_credentials=True)\n`,
    );
    assert.deepEqual(origins(p), ['https://a.test']);
    assert.equal(p.credentials, true);
    assert.deepEqual(p.methods.names, ['GET']);
    assert.deepEqual(p.headers.names, []);
    assert.equal(p.maxAge, 600);
  });

  it('finds Middleware(...) lists, aliases, module imports and the direct wrap', async () => {
    const text = [
      'import starlette.middleware.cors',
      'from starlette.middleware import Middleware as M',
      'from fastapi.middleware.cors import CORSMiddleware as Cors',
      'from starlette.applications import Starlette',
      'a = Starlette(middleware=[M(Cors, allow_origins=["https://a.test"])])',
      'b = starlette.middleware.cors.CORSMiddleware(a, ["https://b.test"], ["GET", "PUT"])',
      '',
    ].join('\n');
    const policies = await extract(text);
    assert.deepEqual(policies.map(origins), [['https://a.test'], ['https://b.test']]);
    assert.deepEqual(policies[1].methods.names, ['GET', 'PUT']);
  });

  it('ignores a CORSMiddleware that is not Starlette’s', async () => {
    assert.deepEqual(
      await extract(
        'from mylib import CORSMiddleware\napp.add_middleware(CORSMiddleware, allow_origins=["*"])\n',
      ),
      [],
    );
  });

  it('resolves constants, env defaults, sibling modules and app-factory locals', async () => {
    const text = [
      'import os',
      HEADER,
      'from .config import EXTRA',
      'BASE = os.getenv("ORIGINS", "https://a.test,https://b.test").split(",")',
      'def create_app():',
      '    origins = BASE + EXTRA',
      '    app.add_middleware(CORSMiddleware, allow_origins=origins)',
      '',
    ].join('\n');
    const [p] = await extract(text, { '/p/config.py': 'EXTRA = ["https://c.test"]\n' });
    assert.deepEqual(origins(p), ['https://a.test', 'https://b.test', 'https://c.test']);
    assert.equal(p.origins.envDriven, true);
    assert.deepEqual(p.files, ['/p/config.py', '/p/main.py']);
  });

  it('marks parameters, conditional locals and unknown **options as dynamic', async () => {
    const text = [
      HEADER,
      'ORIGINS = ["https://module.test"]',
      'def create_app(ORIGINS, flag):',
      '    if flag:',
      '        creds = True',
      '    app.add_middleware(CORSMiddleware, allow_origins=ORIGINS, allow_credentials=creds, **settings.cors)',
      '',
    ].join('\n');
    const [p] = await extract(text);
    assert.deepEqual(origins(p), []);
    assert.equal(p.origins.dynamic, true);
    assert.equal(p.credentials, 'dynamic');
    assert.equal(p.maxAge, 'dynamic');
  });

  it('keeps a string allowlist as Starlette reads it', async () => {
    const [p] = await extract(
      `${HEADER}app.add_middleware(CORSMiddleware, allow_origins="https://a.test", allow_methods="*")\n`,
    );
    assert.equal(factsOf(p, 'starlette')?.strings.allow_origins, 'https://a.test');
    assert.ok(p.origins.iteratedString);
    assert.equal(p.methods.wildcard, true);
  });

  it('never takes a value from code broken mid-typing', async () => {
    const broken = `${HEADER}app.add_middleware(CORSMiddleware, allow_origins=["*", allow_credentials=True)\n`;
    const policies = await extract(broken);
    for (const p of policies) {
      assert.equal(p.origins.allowAll, false);
      assert.notEqual(p.credentials, true);
    }
    for (let cut = 0; cut < broken.length; cut += 7) await extract(broken.slice(0, cut));
  });

  it('reads the imports its setup needs, and only those', async () => {
    const read: string[] = [];
    const files: Record<string, string> = {
      '/p/config.py':
        'from .hosts import HOSTS\nfrom .db import ENGINE\nORIGINS = [f"https://{h}" for h in HOSTS]\n',
      '/p/hosts.py': 'HOSTS = ["a.test", "b.test"]\n',
      '/p/db.py': 'ENGINE = "sqlite"\n',
      '/p/routes.py': 'ROUTES = []\n',
      '/p/models.py': 'TABLES = {}\n',
    };
    const text = [
      HEADER,
      'from .routes import ROUTES',
      'from .models import TABLES',
      'from .config import ORIGINS',
      'origins = ORIGINS + ["https://c.test"]',
      'app.add_middleware(CORSMiddleware, allow_origins=origins)',
      '',
    ].join('\n');
    const tree = await parseText('python', text);
    try {
      const [p] = await extractStarlette('/p/main.py', text, tree, {
        read: (f) => {
          if (files[f] !== undefined) read.push(f);
          return files[f];
        },
      });
      assert.deepEqual(origins(p), ['https://a.test', 'https://b.test', 'https://c.test']);
      assert.deepEqual([...new Set(read)].filter((f) => !f.endsWith('/config.py')).sort(), [
        '/p/hosts.py',
      ]);
    } finally {
      tree.delete();
    }
  });

  // Its speed is bench/'s business (timed asserts fail on a loaded machine); here: the answer.
  it('answers a large file without the middleware', async () => {
    assert.deepEqual(await extract('X = 1\n'.repeat(50_000)), []);
  });
});
