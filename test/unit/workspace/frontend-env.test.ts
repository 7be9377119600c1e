/**
 * Frontend URLs in development: `.env*` precedence (Vite vs Next.js/CRA), dotenv expansion, the
 * Vite dev server's own origin (proxied calls are same-origin) and XMLHttpRequest calls.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SourceReader } from '../../../server/src/base/source-reader';
import { loadNodeEnv, loadViteEnv, parseEnvFile } from '../../../server/src/workspace/env-files';
import { WorkspaceIndex } from '../../../server/src/analysis/workspace-index';

/** Files in memory, as the LSP's open documents would give them. */
const files = (map: Record<string, string>): SourceReader => ({ read: (file) => map[file] });

async function calls(map: Record<string, string>, file: string) {
  const index = new WorkspaceIndex(files(map));
  await index.update(file, map[file]);
  return index.facts().calls.map(({ client, url, method, headers, credentials }) => ({
    client,
    url,
    method,
    headers,
    credentials,
  }));
}

const allEnvFiles = {
  '/w/.env': 'VITE_A=env\nREACT_APP_A=env\n',
  '/w/.env.local': 'VITE_A=local\nREACT_APP_A=local\n',
  '/w/.env.development': 'VITE_A=development\nREACT_APP_A=development\n',
};

describe('.env files', () => {
  it('parses quotes, export, comments and escapes as dotenv does', () => {
    const parsed = parseEnvFile(
      `# comment\nexport A=1 # trailing\nB='single $X'\nC="line\\nnext"\nD=\nE = spaced \n`,
    );
    assert.deepEqual(
      [...parsed].map(([k, v]) => [k, v.text]),
      [
        ['A', '1'],
        ['B', 'single $X'],
        ['C', 'line\nnext'],
        ['D', ''],
        ['E', 'spaced'],
      ],
    );
  });

  it('Vite: .env.development overrides .env.local, and .env.development.local overrides both', () => {
    assert.equal(loadViteEnv('/w', files(allEnvFiles)).get('VITE_A')?.value, 'development');
    assert.equal(
      loadViteEnv('/w', files({ ...allEnvFiles, '/w/.env.development.local': 'VITE_A=mine' })).get(
        'VITE_A',
      )?.value,
      'mine',
    );
  });

  it('Next.js and CRA: .env.local overrides .env.development', () => {
    assert.equal(loadNodeEnv('/w', files(allEnvFiles)).get('REACT_APP_A')?.value, 'local');
  });

  it('expands references across files; an unknown one leaves the value unknown', () => {
    const env = loadViteEnv(
      '/w',
      files({
        '/w/.env':
          'HOST=http://localhost:8000\nVITE_API=${HOST}/api\nVITE_D=${NOPE:-http://localhost:1}\nVITE_X=$NOPE/x\nVITE_Q=\\$HOST',
      }),
    );
    assert.equal(env.get('VITE_API')?.value, 'http://localhost:8000/api');
    assert.equal(env.get('VITE_D')?.value, 'http://localhost:1');
    assert.equal(env.get('VITE_X')?.value, undefined);
    assert.equal(env.get('VITE_Q')?.value, '$HOST');
  });
});

describe('frontend calls in a project', () => {
  const project = {
    '/w/package.json': '{}',
    '/w/.env':
      'VITE_API_URL=https://api.example.com\nREACT_APP_API=https://api.example.com\nSECRET_URL=http://localhost:9\n',
    '/w/.env.development':
      'VITE_API_URL=http://localhost:8000\nREACT_APP_API=http://localhost:8001\n',
  };

  it('resolves import.meta.env and process.env from the development .env files', async () => {
    const file = '/w/src/api.ts';
    const found = await calls(
      {
        ...project,
        [file]: `fetch(import.meta.env.VITE_API_URL + '/a');\nfetch(\`\${process.env.REACT_APP_API}/b\`);\n// Not exposed to the browser: the default applies.\nfetch((process.env.SECRET_URL || 'http://localhost:2') + '/c');\n`,
      },
      file,
    );
    assert.deepEqual(
      found.map((c) => c.url),
      ['http://localhost:8000/a', 'http://localhost:8001/b', 'http://localhost:2/c'],
    );
  });

  it('picks the development branch of mode checks', async () => {
    const file = '/w/src/api.ts';
    const text = `const base = import.meta.env.DEV ? 'http://localhost:8000' : 'https://api.example.com';\nfetch(base + '/a');\nfetch(process.env.NODE_ENV === 'production' ? 'https://api.example.com/b' : 'http://localhost:8000/b');\n`;
    assert.deepEqual(
      (await calls({ ...project, [file]: text }, file)).map((c) => c.url),
      ['http://localhost:8000/a', 'http://localhost:8000/b'],
    );
  });

  it('a value .env sets but cannot be known drops the call instead of using the code default', async () => {
    const file = '/w/src/api.ts';
    const found = await calls(
      {
        '/w/package.json': '{}',
        '/w/.env': 'VITE_API_URL=${FROM_SHELL}/api\n',
        [file]: `fetch((import.meta.env.VITE_API_URL || 'http://localhost:8000') + '/a');\n`,
      },
      file,
    );
    assert.deepEqual(found, []);
  });

  it('calls to the Vite dev server (proxied) are same-origin; server.port is read', async () => {
    const file = '/w/src/api.ts';
    const vite = `import { defineConfig } from 'vite';\nexport default defineConfig({ server: { port: 3001, proxy: { '/api': 'http://localhost:8000' } } });\n`;
    const text = `fetch('http://localhost:3001/api/a', { headers: { 'X-A': '1' } });\nfetch('/api/b', { headers: { 'X-A': '1' } });\nfetch('http://localhost:5173/c');\n`;
    const found = await calls(
      { '/w/package.json': '{}', '/w/vite.config.ts': vite, [file]: text },
      file,
    );
    assert.deepEqual(
      found.map((c) => c.url),
      ['http://localhost:5173/c'],
    );
  });

  it('reads XMLHttpRequest: open, the headers set before the next open, withCredentials', async () => {
    const file = '/w/src/legacy.js';
    const text =
      `export function save(id, token) {\n  const xhr = new XMLHttpRequest();\n  xhr.withCredentials ` +
      `= true;\n  xhr.open('put', \`http://localhost:8000/items/\${id}\`);\n  xhr.setRequestHeader('X-Session-Token', ` +
      `token);\n  xhr.send('{}');\n  xhr.open('GET', 'http://localhost:8000/other');\n  xhr.send();\n}\nfunction ` +
      `dynamic(m) {\n  const r = new XMLHttpRequest();\n  r.open(m, 'http://localhost:8000/x');\n}\n`;
    assert.deepEqual(await calls({ [file]: text }, file), [
      {
        client: 'XMLHttpRequest',
        url: 'http://localhost:8000/items/1',
        method: 'PUT',
        headers: [['X-Session-Token', 'x']],
        credentials: 'include',
      },
      {
        client: 'XMLHttpRequest',
        url: 'http://localhost:8000/other',
        method: 'GET',
        headers: [],
        credentials: 'include',
      },
    ]);
  });
});
