/**
 * Dev proxies and production origins read from a frontend project's own files: each tool's
 * shape as its docs write it, in a scratch project on disk.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { DiskReader } from '../../../server/src/base/disk-reader';
import { devProxies, productionOrigins } from '../../../server/src/workspace/dev-proxy';
import { loadViteEnv } from '../../../server/src/workspace/env-files';
import { FrontendProjects } from '../../../server/src/workspace/frontend-project';

const scratch: string[] = [];
after(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'cors-lens-proxy-'));
  scratch.push(root);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

describe('dev proxies', () => {
  it('Vite server.proxy: a target string and a { target } object', async () => {
    const root = project({
      'package.json': '{}',
      'vite.config.ts': `import { defineConfig } from 'vite';
export default defineConfig({
  server: {
    port: 3001,
    proxy: {
      '/api': 'http://localhost:8000',
      '/auth': { target: 'http://127.0.0.1:8000', changeOrigin: true },
    },
  },
});
`,
    });
    const found = await new FrontendProjects(new DiskReader()).of(path.join(root, 'src/a.ts'));
    assert.equal(found.vite?.origin, 'http://localhost:3001');
    assert.deepEqual(found.proxies, [
      { tool: 'Vite server.proxy', path: '/api', target: 'http://localhost:8000' },
      { tool: 'Vite server.proxy', path: '/auth', target: 'http://127.0.0.1:8000' },
    ]);
  });

  it('Create React App "proxy", Next.js rewrites, webpack devServer.proxy', () => {
    const root = project({
      'package.json': '{ "name": "web", "proxy": "http://localhost:5000/" }',
      'next.config.js': `module.exports = {
  async rewrites() {
    return [{ source: '/api/:path*', destination: 'http://localhost:8000/api/:path*' }];
  },
};
`,
      'webpack.config.js': `module.exports = {
  devServer: {
    proxy: [{ context: ['/graphql'], target: 'http://localhost:4000' }],
  },
};
`,
    });
    assert.deepEqual(devProxies(root, new DiskReader(), undefined), [
      { tool: 'the package.json "proxy"', path: '/', target: 'http://localhost:5000' },
      { tool: 'Next.js rewrites', path: '/api', target: 'http://localhost:8000' },
      { tool: 'webpack devServer.proxy', path: '/graphql', target: 'http://localhost:4000' },
    ]);
  });

  it('no proxy written: none', () => {
    assert.deepEqual(
      devProxies(project({ 'package.json': '{}' }), new DiskReader(), undefined),
      [],
    );
  });
});

describe('production origins', () => {
  it('the site of an api. URL in .env.production, vercel.json alias, netlify.toml redirects', () => {
    const root = project({
      '.env': 'VITE_API_URL=http://localhost:8000\n',
      '.env.production':
        'VITE_API_URL=https://api.example.com/v1\nVITE_CDN=https://cdn.example.net\n',
      'vercel.json': '{ "alias": ["www.example.com"] }',
      'netlify.toml':
        '[[redirects]]\n  from = "https://shop.example.org/*"\n  to = "/index.html"\n',
    });
    const reader = new DiskReader();
    assert.deepEqual(productionOrigins(root, reader, loadViteEnv(root, reader, 'production')), [
      'https://example.com',
      'https://www.example.com',
      'https://shop.example.org',
    ]);
  });

  it('development env files name none', () => {
    const root = project({ '.env.development': 'VITE_API_URL=https://api.example.com\n' });
    const reader = new DiskReader();
    assert.deepEqual(productionOrigins(root, reader, loadViteEnv(root, reader, 'production')), []);
  });
});
